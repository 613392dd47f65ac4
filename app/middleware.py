"""Pure ASGI middleware: request ids and access logs, security headers, trusted hosts, the request body limit."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Collection

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import request_id_var

access_log = logging.getLogger("touchstone.access")

REQUEST_ID_HEADER = "X-Request-ID"
TOO_LARGE = "Request body too large"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Pages that carry a token in their URL override this with no-referrer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


# A candidate's link: whoever reads it can open their assessment, so logs name it by a short hash.
_CANDIDATE_LINK = re.compile(r"^/t/([^/]+)")
HSTS = "max-age=31536000; includeSubDomains"


def loggable_path(path: str) -> str:
    """Return path as the access log shows it: a /t/{token} link becomes /t/~<12 hex of its SHA-256>."""
    match = _CANDIDATE_LINK.match(path)
    if match is None:
        return path
    digest = hashlib.sha256(match.group(1).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"/t/~{digest}{path[match.end() :]}"


def accept_request_id(value: str | None) -> str:
    """Keep a caller's request id when it is well-formed, else make a new one."""
    if value and _VALID_REQUEST_ID.match(value):
        return value
    return secrets.token_hex(16)


class RequestContextMiddleware:
    """Give each request an id, return it in X-Request-ID and log one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(Request(scope).headers.get(REQUEST_ID_HEADER))
        # Each request runs in its own task, so the context variable cannot leak into another request.
        request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = loggable_path(scope["path"])
            access_log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


class SecurityHeadersMiddleware:
    """Add the security headers every response needs, unless a route set its own value; HSTS when served over https."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                add_security_headers(headers)
                if self.hsts and "Strict-Transport-Security" not in headers:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TrustedHosts:
    """Refuse (400) a Host header other than the configured ones, except on the health probes.

    Links in pages and e-mails are built from the Host header; a forged one would point them elsewhere.
    Orchestrators probe /healthz and /readyz by address, so those answer whatever the Host.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Collection[str], exempt_paths: Collection[str]) -> None:
        self.app = app
        self.exempt = frozenset(exempt_paths)
        self.checked = TrustedHostMiddleware(app, allowed_hosts=list(allowed_hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"] not in self.exempt:
            await self.checked(scope, receive, send)
            return
        await self.app(scope, receive, send)


def add_security_headers(headers: MutableHeaders) -> None:
    """Set each security header that is not already present."""
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value


class BodySizeLimitMiddleware:
    """Refuse request bodies larger than max_body_bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = Request(scope).headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            from app.problems import error_response  # imported late: problems imports the web layer

            response = error_response(Request(scope), 413, title=TOO_LARGE, detail=self._detail(int(declared)))
            await response(scope, receive, send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI turns other exceptions raised while reading a body into a 400.
                    raise HTTPException(413, self._detail(received))
            return message

        await self.app(scope, limited_receive, send)

    def _detail(self, size: int) -> str:
        return (
            f"The request body has {size} bytes or more; "
            f"the limit is {self.max_body_bytes} (TOUCHSTONE_MAX_BODY_BYTES)."
        )
