"""The API client dependencies: a Bearer key with the scope a route needs, counted against the rate limit.

A route takes one `Api` (its parameter `api: ReadApi`, `WriteApi` or `WebhooksApi`): the request's session,
the settings its links are made with, and the key it came with. Once the key is admitted, a query parameter
the operation does not take is a 422 naming it: an ATS that filters by a misspelt or unsupported parameter
would otherwise read the whole list as the filtered one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey, ApiScope
from app.config import Settings
from app.db import utcnow
from app.deps import LinkSettingsDep, SessionDep, SettingsDep
from app.errors import Forbidden, Invalid
from app.i18n import N_
from app.problems import template

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer tsk_...`.")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="touchstone"'}
INVALID = {"WWW-Authenticate": 'Bearer realm="touchstone", error="invalid_token"'}


# Fixed texts of the refusals, translated in the problem document (app.problems).
NO_KEY = N_("Send the API key as 'Authorization: Bearer <key>'.")
INVALID_KEY = N_("The API key is not valid or was revoked.")
TOO_MANY = template(N_("More than %(limit)s requests this minute for this key; retry in %(wait)s s."))
MISSING_SCOPE = template(N_("this API key has scope(s) %(scopes)s; this request needs '%(scope)s'"))
UNKNOWN_QUERY = template(N_("%(name)s: this operation takes no such query parameter; it takes %(known)s"))
NO_QUERY = template(N_("%(name)s: this operation takes no query parameters"))
# Taken by every operation besides its own parameters: the language of problem documents (app.i18n).
COMMON_QUERY = frozenset({"lang"})


async def _api_client(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    # Keys in query strings are ignored on purpose: they end up in logs and browser history.
    if credentials is None:
        raise HTTPException(401, NO_KEY, headers=CHALLENGE)
    # Async, so that the common case (a key this process checked moments ago, within this process's share
    # of the rate limit) costs no database and no trip to the thread pool.
    now = utcnow()
    key = apikeys.recently_checked(credentials.credentials, now)
    counter: apikeys.RequestCounter = request.app.state.request_counter
    if key is None or key.id is None or not counter.admit(key.id, settings.api_rate_limit_per_minute, now):
        key = await run_in_threadpool(_checked_in_database, request, session, settings, credentials.credentials)
    request.state.api_key = key
    return key


def _checked_in_database(request: Request, session: Session, settings: Settings, raw: str) -> ApiKey:
    key = apikeys.authenticate(session, raw)
    if key is None:
        raise HTTPException(401, INVALID_KEY, headers=INVALID)
    count_request(request, session, settings, key)
    return key


def count_request(request: Request, session: SessionDep, settings: SettingsDep, key: ApiKey) -> None:
    """Count a request against the key's limit per minute; over it, answer 429 with Retry-After."""
    wait = apikeys.hit_rate_limit(
        session, key, settings.api_rate_limit_per_minute, counter=request.app.state.request_counter
    )
    if wait is not None:
        raise HTTPException(
            429,
            TOO_MANY % {"limit": settings.api_rate_limit_per_minute, "wait": wait},
            headers={"Retry-After": str(wait)},
        )


@dataclass(frozen=True, slots=True)
class Api:
    """One API request: its database session, the settings its links are made with, and the key it came with."""

    session: Session
    settings: Settings
    client: ApiKey

    @property
    def actor(self) -> str:
        """How the request's key appears in the audit log."""
        return apikeys.actor_of(self.client)


def require_scope(scope: ApiScope) -> Callable[..., Awaitable[Api]]:
    """Build a dependency admitting a valid key that has ``scope`` (403 otherwise), answering the request's `Api`."""

    # async: a check this small is not worth a trip to the thread pool (FastAPI runs a plain def there).
    async def guard(
        request: Request, key: Annotated[ApiKey, Depends(_api_client)], session: SessionDep, settings: LinkSettingsDep
    ) -> Api:
        if str(scope) not in key.scopes:
            raise Forbidden(
                MISSING_SCOPE % {"scopes": ", ".join(key.scopes), "scope": scope},
                required_scope=str(scope),
            )
        _refuse_unknown_query(request)
        return Api(session, settings, key)

    guard.required_scope = str(scope)  # type: ignore[attr-defined]
    return guard


def _refuse_unknown_query(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        name = unknown[0][:40]
        takes = ", ".join(sorted(known - COMMON_QUERY))
        message = UNKNOWN_QUERY % {"name": name, "known": takes} if takes else NO_QUERY % {"name": name}
        raise Invalid(message, field=name)


def _query_names(route: APIRoute) -> frozenset[str]:
    """Return the names of every query parameter the route takes (its dependencies' too), kept on the route."""
    # Routes are not hashable, so the names are worked out once and kept on the route itself.
    cached: frozenset[str] | None = getattr(route, "_touchstone_query_names", None)
    if cached is None:
        stack, names = [route.dependant], set(COMMON_QUERY)
        while stack:
            current = stack.pop()
            names |= {param.alias for param in current.query_params}
            stack.extend(current.dependencies)
        cached = frozenset(names)
        route._touchstone_query_names = cached  # type: ignore[attr-defined]
    return cached


ReadApi = Annotated[Api, Depends(require_scope(ApiScope.READ))]
WriteApi = Annotated[Api, Depends(require_scope(ApiScope.WRITE))]
WebhooksApi = Annotated[Api, Depends(require_scope(ApiScope.WEBHOOKS))]
