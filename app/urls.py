"""Absolute URLs of named routes, each worked out once per application and base URL."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request

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
