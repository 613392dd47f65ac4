"""Every /hr route is named and documented, and templates link to routes by name.

Who may call each route (anonymous, roles) and the CSRF checks are tested with the other security
concerns in tests/security/ (test_function_authorization.py, test_csrf.py).
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from app.config import ROOT
from tests.security.routes import under

ROUTES = sorted(((m, p, n), r) for m, p, n, r in under("/hr"))
IDS = [f"{m} {p}" for (m, p, _n), _r in ROUTES]


@pytest.mark.parametrize(("key", "route"), ROUTES, ids=IDS)
def test_every_hr_route_is_named_and_documented(key: tuple[str, str, str], route: APIRoute) -> None:
    method, path, name = key
    assert name and not name.startswith("<"), f"{method} {path} has no name="
    assert (route.endpoint.__doc__ or "").strip(), f"{name} has no docstring"


def test_hr_templates_only_link_to_named_routes() -> None:
    for template in (ROOT / "templates" / "hr").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert 'href="/hr' not in text and 'action="/hr' not in text, f"{template.name} hard-codes an /hr URL"
