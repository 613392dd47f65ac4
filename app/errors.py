"""Domain errors: services raise these; handlers turn them into problem JSON or a friendly page."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure with an HTTP status, a short title and a detail that names what was wrong.

    A kind of error names its status and title in its class line: ``class Gone(DomainError, status=410, ...)``.
    """

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"

    def __init_subclass__(cls, *, status: int | None = None, title: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if title is not None:
            cls.title = title

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadRequest(DomainError, status=400, title="Bad request"):
    """A request we cannot have produced (a tampered cursor, an impossible date): 400."""


class Invalid(DomainError, status=422, title="Invalid input"): ...


class Unauthorized(DomainError, status=401, title="Not signed in"): ...


class Forbidden(DomainError, status=403, title="Forbidden"): ...


class NotFound(DomainError, status=404, title="Not found"): ...


class Conflict(DomainError, status=409, title="Conflict"): ...


class Gone(DomainError, status=410, title="Gone"): ...


class PayloadTooLarge(DomainError, status=413, title="Request body too large"): ...


class Unavailable(DomainError, status=503, title="Service unavailable"): ...
