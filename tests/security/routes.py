"""Every route of the application, read from the app itself so new routes are covered automatically."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi.routing import APIRoute, iter_route_contexts

from app.main import create_app

PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def all_routes() -> list[tuple[str, str, str]]:
    """Return (method, path, name) of every API route, HEAD left out."""
    app = create_app(run_startup=False)
    found: set[tuple[str, str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, context.path, str(context.name)))
    return sorted(found)


def fill(path: str, value: str = "999999") -> str:
    """Put a value that exists nowhere into every path parameter (hex, so id patterns accept it)."""
    return PARAM.sub(lambda m: "deadbeef" * 4 if "assessment" in m.group(1) or m.group(1) == "token" else value, path)


def routes_where(predicate: object) -> Iterator[tuple[str, str, str]]:
    for route in all_routes():
        if callable(predicate) and predicate(*route):
            yield route
