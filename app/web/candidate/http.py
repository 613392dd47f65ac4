"""What every candidate page shares: private response headers and friendly pages for bad links."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from app.errors import Gone, NotFound
from app.web.templating import render

PRIVATE_HEADERS = {
    # The link is the candidate's key: no page may leak it to another site in a Referer header.
    "Referrer-Policy": "no-referrer",
    # Answers are personal; a shared computer's back button or a proxy must not show them to the next person.
    "Cache-Control": "no-store",
}


def link_problem(request: Request, error: NotFound | Gone) -> Response:
    """Render the page for an unknown (404), expired or withdrawn (410) link."""
    reason = "unknown" if isinstance(error, NotFound) else str(error.extra.get("reason", "expired"))
    return render(request, "candidate/link_problem.html", {"reason": reason}, status_code=error.status)


class PrivatePageRoute(APIRoute):
    """A route whose responses are never cached nor leak their address, bad links included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def private_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except (NotFound, Gone) as error:
                # Caught inside the session's scope, so a link found expired just now is stored as expired.
                response = link_problem(request, error)
            response.headers.update(PRIVATE_HEADERS)
            return response

        return private_handler
