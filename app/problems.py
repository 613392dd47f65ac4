"""Turn every error into RFC 9457 problem JSON (/api, /integrations) or a friendly page (HTML)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

from app import i18n
from app.errors import DomainError
from app.form_messages import pydantic_message
from app.headers import add_security_headers
from app.i18n import N_
from app.logs import request_id_var

# The web layer's page renderer (request, template, context, status_code=...), passed in by create_app.
PageRenderer = Callable[..., Response]

logger = logging.getLogger("touchstone.errors")

PROBLEM_TYPE_BASE = "https://touchstone.invalid/problems/"
MACHINE_PREFIXES = ("/api", "/integrations", "/readyz", "/healthz")


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"


def _slug(title: str) -> str:
    return "-".join(title.lower().replace("'", "").split())


def wants_problem(request: Request) -> bool:
    """Tell whether the caller is a machine that reads problem JSON rather than an HTML page."""
    return request.url.path.startswith(MACHINE_PREFIXES)


# Titles of problem documents (the domain errors' and HTTP's), for the catalogues: each is translated when shown.
TITLES = (
    N_("Bad request"),
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Not signed in"),
    N_("Forbidden"),
    N_("Not found"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Request timeout"),
    N_("Server busy"),
    N_("Conflict"),
    N_("Gone"),
    N_("Request body too large"),
    N_("Unsupported Media Type"),
    N_("Invalid input"),
    N_("Invalid request"),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
    N_("Service unavailable"),
    N_("Database busy"),
    N_("Database unavailable"),
)
_TEMPLATES: list[tuple[int, re.Pattern[str], str]] = []
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def template(message: str) -> str:
    """Register a detail with values (``%(name)s``) so that problem documents translate it; return it.

    The detail is formatted in English where it is raised; the translation is found by matching that text
    against the registered templates, and gets the same values. When more than one matches, the one with
    the most fixed text wins: "mentor assignment 7 does not exist" is the mentor assignment's sentence, not
    the mentor's nor the generic "%(name)s %(value)s does not exist".
    """
    pattern = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(message))
    fixed = len(_PLACEHOLDER.sub("", message))
    _TEMPLATES.append((fixed, re.compile(pattern, re.DOTALL), message))
    _TEMPLATES.sort(key=lambda registered: -registered[0])
    return message


def localised(text: str, lang: str) -> str:
    """Return a title or detail in ``lang``: a fixed message, "field: fixed message" or a registered template.

    Anything else (a detail naming the values of this request) stays as it is.
    """
    if lang == i18n.DEFAULT or not text:
        return text
    catalogue = i18n.load_translations().get(lang)
    if catalogue is None:
        return text
    found = catalogue.gettext(text)
    if found != text:
        return found
    head, sep, tail = text.partition(": ")
    if sep and catalogue.gettext(tail) != tail:
        # "field: fixed message" keeps the field's name and translates the message.
        return f"{head}{sep}{catalogue.gettext(tail)}"
    for _fixed, pattern, message in _TEMPLATES:
        match = pattern.fullmatch(text)
        if match:
            return catalogue.gettext(message) % match.groupdict()
    return text


def language_headers(request: Request) -> dict[str, str]:
    """Return the Content-Language header of a problem document in the request's language."""
    return {"Content-Language": i18n.negotiate(request)}


def problem(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    """Build an application/problem+json response, in the request's language (Accept-Language)."""
    body = problem_body(request, status, title=title, detail=detail, **extra)
    return ProblemResponse(body, status_code=status, headers={**(headers or {}), **language_headers(request)})


def problem_body(
    request: Request, status: int, *, title: str | None = None, detail: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Return the JSON of a problem document (for a route that answers it through app.api.idempotency).

    The title and the detail are in the request's language where a translation exists; ``type`` and the
    names and values in ``extra`` stay as they are.
    """
    title = title or HTTPStatus(status).phrase
    lang = i18n.negotiate(request)
    return {
        "type": PROBLEM_TYPE_BASE + _slug(title),
        "title": localised(title, lang),
        "status": status,
        "detail": localised(detail or title, lang),
        "instance": request.url.path,
        "request_id": request_id_var.get(),
        **extra,
    }


def error_response(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """Answer with problem JSON for machines and the error page for people."""
    render: PageRenderer | None = getattr(request.app.state, "error_page", None)
    if wants_problem(request) or render is None:
        return problem(request, status, title=title, detail=detail, headers=headers, **extra)
    if detail == HTTPStatus(status).phrase:
        detail = None  # the page's heading already says it, in the reader's language
    elif detail:
        # Fixed messages marked with N_ have a Dutch translation; details that name a value stay as they are.
        detail = localised(detail, i18n.negotiate(request))
    response = render(
        request,
        "error.html",
        {"status": status, "detail": detail, "request_id": request_id_var.get()},
        status_code=status,
    )
    if headers:
        response.headers.update(headers)
    return response


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_response(request, exc.status, title=exc.title, detail=exc.detail, **exc.extra)


def allowed_methods(request: Request) -> list[str]:
    """Return every method some route serves at the request's path (Starlette's 405 names only one route's)."""
    methods: set[str] = set()
    # FastAPI keeps included routers nested; iter_route_contexts walks them as the router does.
    for route in iter_route_contexts(request.app.routes):
        match, _child = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(route.methods or ())
    return sorted(methods)


NOT_ALLOWED = template(N_("%(method)s is not allowed here; use %(allowed)s"))


NOT_UTF8 = template(N_("the body is not valid UTF-8: %(reason)s"))
TOO_DEEP = N_("the body is nested too deeply to be read")
NOT_READ = N_("the body could not be read")
WRONG_TYPE = template(N_("the body was sent as %(content_type)s; send it as JSON with Content-Type: application/json"))
NO_TYPE = N_("the body was sent without a Content-Type; send it as JSON with Content-Type: application/json")
PARSE_FAILED = "There was an error parsing the body"  # FastAPI's words when its JSON parsing fails otherwise


def _unreadable_body(request: Request, exc: HTTPException) -> Response:
    """Answer a body FastAPI could not parse (bad UTF-8, nesting beyond Python's limit) like invalid JSON: 422."""
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        message = i18n.translate(NOT_UTF8) % {"reason": f"{cause.reason} at byte {cause.start}"}
    elif isinstance(cause, RecursionError):
        message = i18n.translate(TOO_DEEP)
    else:
        message = i18n.translate(NOT_READ)
    errors = [{"location": "body", "field": "body", "message": message}]
    return error_response(request, 422, title="Invalid request", detail=f"body: {message}", errors=errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and exc.detail == PARSE_FAILED:
        return _unreadable_body(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else None
    title = "Request body too large" if exc.status_code == 413 else None
    headers = exc.headers
    if exc.status_code == 405:
        allow = ", ".join(allowed_methods(request))
        headers = {**(headers or {}), "Allow": allow}
        if wants_problem(request):
            detail = NOT_ALLOWED % {"method": request.method, "allowed": allow}
    return error_response(request, exc.status_code, title=title, detail=detail, headers=headers)


def _location(loc: tuple[int | str, ...]) -> tuple[str, str]:
    where = str(loc[0]) if loc else "body"
    field = ".".join(str(part) for part in loc[1:]) if len(loc) > 1 else where
    return where, field


NOT_JSON = N_("the body is not valid JSON")
UNKNOWN_FIELD = N_("This field is not known here; leave it out.")
ONE_OF = template(N_("Use one of %(expected)s."))
ONLY = N_("Use %(expected)s.")
ALTERNATIVES = N_("%(values)s or %(last)s")
# pydantic writes the allowed values as Python reprs; a JSON client sends true, false and null.
_JSON_LITERALS = {"True": "true", "False": "false", "None": "null"}
WRONG_FORM = template(N_("%(value)s does not have the form this field needs."))


def api_message(error: Mapping[str, Any]) -> str:
    """Return one of pydantic's errors as a sentence in the request's language, naming the value it expects.

    The sentences are the forms' (app.form_messages), but for those that would hide what to send instead.
    """
    kind = error.get("type")
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return i18n.translate(UNKNOWN_FIELD)
    if kind in ("literal_error", "enum") and context.get("expected"):
        return _one_of(str(context["expected"]))
    if kind == "string_pattern_mismatch" and isinstance(error.get("input"), str):
        return i18n.translate(WRONG_FORM) % {"value": repr(error["input"][:100])}
    return i18n.translate(pydantic_message(error))


def _one_of(expected: str) -> str:
    """Return "Use one of 'a', 'b' or 'c'." from pydantic's "'a', 'b' or 'c'", with "or" and the values in JSON."""
    head, sep, last = expected.rpartition(" or ")
    values = [_JSON_LITERALS.get(value, value) for value in ([*head.split(", "), last] if sep else [expected])]
    if len(values) == 1:
        return i18n.translate(ONLY) % {"expected": values[0]}
    joined = i18n.translate(ALTERNATIVES) % {"values": ", ".join(values[:-1]), "last": values[-1]}
    return i18n.translate(ONE_OF) % {"expected": joined}


def _without_union_branches(errors: Sequence[Any]) -> list[Any]:
    """Report a field whose type is "X or nothing" once, under its own name.

    pydantic reports each branch of such a union: "first_name.str: ..." and "first_name.none: Input should
    be None". The null branch only lets a PATCH leave the field out, so its error is dropped and the other
    branch's error is given the field's name.
    """
    unions = {tuple(error.get("loc", ()))[:-1] for error in errors if error.get("type") == "none_required"}
    kept = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) > 2 and loc[:-1] in unions:
            if error.get("type") == "none_required":
                continue
            error = {**error, "loc": loc[:-1]}
        kept.append(error)
    return kept


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in _without_union_branches(exc.errors()):
        where, field = _location(tuple(error.get("loc", ())))
        if error.get("type") == "json_invalid":
            # FastAPI puts the parse error's character offset where the field goes: the field is the body.
            where, field = "body", "body"
            reason = (error.get("ctx") or {}).get("error", "")
            message = f"{i18n.translate(NOT_JSON)}: {reason} (at character {error['loc'][-1]})"
        elif field == "body" and isinstance(error.get("input"), bytes):
            # A body FastAPI did not parse as JSON because of its Content-Type (text/plain, a form).
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type:
                message = i18n.translate(WRONG_TYPE) % {"content_type": content_type}
            else:
                message = i18n.translate(NO_TYPE)
        else:
            message = api_message(error) if wants_problem(request) else pydantic_message(error)
        errors.append({"location": where, "field": field, "message": message})
    # People read the page: each message in their language (app.form_messages), never pydantic's English.
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return error_response(request, 422, title="Invalid request", detail=summary, errors=errors)


DATABASE_RETRY_AFTER_SECONDS = 5
# A busy database frees up within the bounded waits of app.db.engine.Limits: try again soon.
BUSY_RETRY_AFTER_SECONDS = 2
# SQLite's words for its write lock, and PostgreSQL's SQLSTATEs for lock_timeout and statement_timeout.
_BUSY_TEXTS = ("database is locked", "database is busy")
_BUSY_SQLSTATES = frozenset({"55P03", "57014"})


def database_unavailable(exc: BaseException) -> bool:
    """Tell whether a database error means the database cannot be reached or written, not a bug."""
    if isinstance(exc, DisconnectionError | SQLAlchemyTimeoutError | OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def database_busy(exc: BaseException) -> bool:
    """Tell whether a database error means a bounded wait ran out (a lock, a pooled connection), not an outage."""
    if isinstance(exc, SQLAlchemyTimeoutError):
        return True
    cause = getattr(exc, "orig", None)
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and any(text in str(cause).lower() for text in _BUSY_TEXTS)


async def _database_error(request: Request, exc: Exception) -> Response:
    if not database_unavailable(exc):
        return await _unexpected_error(request, exc)
    # The request's transaction was rolled back, so nothing was half-written; the pool's pre-ping
    # replaces dead connections, so the service resumes by itself once the database is back.
    busy = database_busy(exc)
    logger.warning(
        "database %s: %s", "busy" if busy else "unavailable", type(getattr(exc, "orig", None) or exc).__name__
    )
    if busy:
        title = "Database busy"
        detail = N_(
            "The database is busy with other requests; nothing from this request was saved. Try again in a moment."
        )
        wait = BUSY_RETRY_AFTER_SECONDS
    else:
        title = "Database unavailable"
        detail = N_("The database is unavailable; nothing from this request was saved. Try again in a moment.")
        wait = DATABASE_RETRY_AFTER_SECONDS
    response = error_response(request, 503, title=title, detail=detail, headers={"Retry-After": str(wait)})
    add_security_headers(response.headers)
    request_id = request_id_var.get()
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the log, keyed by request id; the client only sees that id.
    logger.error("unhandled error", exc_info=exc)
    response = error_response(request, 500, detail=N_("Something went wrong on our side. It has been logged."))
    # This handler runs outside the other middleware, so it adds their headers itself.
    add_security_headers(response.headers)
    request_id = request_id_var.get()
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


def install(app: FastAPI, page: PageRenderer | None = None) -> None:
    """Register the error handlers; ``page`` renders the error page people see (problem JSON without it)."""
    app.state.error_page = page
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(Exception, _unexpected_error)
