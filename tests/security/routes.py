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


def routes_where(predicate: object) -> Iterator[tuple[str, str, str]]:
    for route in all_routes():
        if callable(predicate) and predicate(*route):
            yield route
