"""Absolute URLs are remembered per base URL: a link or redirect always names the request's own host."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _login_redirect(client: TestClient, host: str) -> str:
    response = client.get("/hr/candidates", headers={"host": host}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def test_a_redirect_names_the_host_it_was_asked_on_every_time(client: TestClient) -> None:
    first = _login_redirect(client, "a.example")
    assert first.startswith("http://a.example/hr/login")
    assert _login_redirect(client, "b.example").startswith("http://b.example/hr/login")
    assert _login_redirect(client, "a.example") == first


def test_pages_link_to_their_own_host(client: TestClient) -> None:
    for host in ("a.example", "b.example", "a.example"):
        page = client.get("/hr/login", headers={"host": host}).text
        assert f'href="http://{host}/static/' in page
        other = "b.example" if host == "a.example" else "a.example"
        assert other not in page
