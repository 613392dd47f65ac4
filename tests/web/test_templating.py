"""Links in pages: remembered per host, so one request's host never appears in another's page; the language switch."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from tests.web.hr.helpers import sign_in_as


def test_links_follow_each_requests_own_host(client: TestClient) -> None:
    for host in ("one.example", "two.example", "one.example"):
        page = client.get("/self-test", headers={"Host": host})
        assert page.status_code == 200
        assert f'href="http://{host}/static/touchstone.css"' in page.text
        other = "two.example" if host == "one.example" else "one.example"
        assert other not in page.text


def test_language_switch_keeps_the_page_query_and_the_favicon_is_linked(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.VIEWER)
    page = client.get("/hr/candidates?status=completed&sort=name&lang=nl").text
    assert 'href="?status=completed&amp;sort=name&amp;lang=en" hreflang="en"' in page
    assert 'href="?status=completed&amp;sort=name&amp;lang=nl" hreflang="nl"' in page
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon and client.get(icon.group(1)).status_code == 200


def test_favicon_ico_is_the_svg_icon_cacheable_and_without_cookies(client: TestClient) -> None:
    svg = client.get("/static/favicon.svg")
    for method in ("GET", "HEAD"):
        icon = client.request(method, "/favicon.ico")
        assert icon.status_code == 200, method
        assert icon.headers["content-type"] == "image/svg+xml"
        assert icon.headers["cache-control"] == "public, max-age=86400"
        assert "set-cookie" not in icon.headers  # no session and no CSRF cookie for an icon
    assert client.get("/favicon.ico").content == svg.content
