"""Links in pages: remembered per host, so one request's host never appears in another's page."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_links_follow_each_requests_own_host(client: TestClient) -> None:
    for host in ("one.example", "two.example", "one.example"):
        page = client.get("/self-test", headers={"Host": host})
        assert page.status_code == 200
        assert f'href="http://{host}/static/touchstone.css"' in page.text
        other = "two.example" if host == "one.example" else "one.example"
        assert other not in page.text
