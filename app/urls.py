"""Absolute URLs: the base address links made in a request point at, and named routes worked out once."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request

from app.config import Environment, Settings


def link_settings(request: Request, settings: Settings) -> Settings:
    """Return settings whose base_url is the address links made in this request point at.

    With TOUCHSTONE_BASE_URL configured (always in production) that address; without it (development) the
    address the request came in on, so `make run PORT=8001` hands out port-8001 links. The HR pages, the JSON
    API and the Greenhouse adapter all build candidates' and HR's links from these settings. A link sealed
    into an invitation's mail keeps the address it was made with, also when the worker sends it later.
    """
    if settings.base_url_configured or settings.environment is Environment.PRODUCTION:
        return settings
    return settings.model_copy(update={"base_url": str(request.base_url).rstrip("/")})


# URLs remembered per application; links with tokens in them would otherwise pile up.
CACHE_SIZE = 4096


def url_for(request: Request, name: str, /, **path_params: Any) -> URL:
    """Return the absolute URL of the route ``name``, as ``request.url_for`` does, remembered.

    Finding a route by name tries every route of the application in turn (and FastAPI raises and catches
    an exception for each that does not match): about 0.15 ms a lookup, and the HR menu alone took 11 of
    them on every page. The key holds the request's base URL (scheme, host, root path), so a link is never
    shown with another request's host; a URL is immutable (include_query_params returns a new one), so it
    is shared.
    """
    cache = _cache_of(request)
    key = (str(request.base_url), name, tuple(sorted(path_params.items())))
    try:
        url = cache.get(key)
    except TypeError:  # an unhashable parameter: look it up every time
        return request.url_for(name, **path_params)
    if url is None:
        url = request.url_for(name, **path_params)
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = url
    return url


def _cache_of(request: Request) -> dict[tuple[str, str, tuple[tuple[str, Any], ...]], URL]:
    state = request.app.state
    cache: dict[tuple[str, str, tuple[tuple[str, Any], ...]], URL] | None = getattr(state, "url_cache", None)
    if cache is None:
        cache = state.url_cache = {}
    return cache
