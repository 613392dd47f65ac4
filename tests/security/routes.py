"""Every route of the application, read from the app itself so new routes are covered automatically."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from fastapi.routing import APIRoute, iter_route_contexts

from app.main import create_app

PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Machine-to-machine routes: authenticated by an API key in a header, never by a cookie (see test_csrf.py).
MACHINE_PREFIXES = ("/api/", "/integrations/")

Route = tuple[str, str, str]


@cache
def route_table() -> tuple[tuple[str, str, str, APIRoute], ...]:
    """Return (method, path, name, route) of every API route, HEAD left out, sorted by method and path."""
    app = create_app(run_startup=False)
    found: dict[Route, APIRoute] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                found[(method, context.path, str(context.name))] = route
    return tuple((m, p, n, found[(m, p, n)]) for m, p, n in sorted(found))


def all_routes() -> list[Route]:
    """Return (method, path, name) of every API route, HEAD left out."""
    return [(m, p, n) for m, p, n, _route in route_table()]


def under(*prefixes: str) -> list[tuple[str, str, str, APIRoute]]:
    """Return the routes whose path is one of prefixes or lies below one of them."""
    return [
        row
        for row in route_table()
        if any(row[1] == prefix.rstrip("/") or row[1].startswith(prefix.rstrip("/") + "/") for prefix in prefixes)
    ]


def browser_writes() -> list[Route]:
    """Return every state-changing route a browser uses: POST/PUT/PATCH/DELETE outside the machine APIs."""
    return [(m, p, n) for m, p, n, _r in route_table() if m in WRITE_METHODS and not p.startswith(MACHINE_PREFIXES)]


def _value(param: str, default: str) -> str:
    if "questionnaire" in param:
        return "no-such-questionnaire"
    if "assessment" in param or param in {"token", "partner_interview_id"}:
        return "deadbeef" * 4  # hex, so id patterns accept it
    if param == "section_id":
        return "about_you"
    return default


def fill(path: str, value: str = "999999") -> str:
    """Put a value that exists nowhere, but is well-formed, into every path parameter."""
    return PARAM.sub(lambda m: _value(m.group(1), value), path)


def routes_where(predicate: object) -> Iterator[Route]:
    for route in all_routes():
        if callable(predicate) and predicate(*route):
            yield route
