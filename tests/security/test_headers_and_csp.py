"""Headers and the Content-Security-Policy: every page strict, and no template needs an exception to it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.config import ROOT

PAGES = ["/", "/self-test", "/hr/login", "/docs", "/setup", "/t/unknown-token-for-headers"]
INLINE = [
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get("referrer-policy") in {"same-origin", "no-referrer"}


def test_token_pages_send_no_referrer_and_are_not_cached(client: TestClient) -> None:
    response = client.get("/t/unknown-token-for-headers")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers.get("cache-control", "")


def test_hr_pages_are_not_cached(client: TestClient) -> None:
    response = client.get("/hr/login")
    assert "no-store" in response.headers.get("cache-control", "")


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name)
def test_templates_need_no_inline_script_or_style(template: object) -> None:
    text = template.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    text = re.sub(r"{#.*?#}", "", text, flags=re.DOTALL)  # comments may mention what is forbidden
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{template}: {what} ({match.group(0) if match else ''}) breaks the CSP"
