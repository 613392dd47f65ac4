"""Pure ASGI middleware: request ids and access logs, security headers, trusted hosts, reading the request body."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Collection

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.headers import add_security_headers
from app.i18n import N_
from app.logs import request_id_var
from app.problems import BUSY_RETRY_AFTER_SECONDS, error_response, template

access_log = logging.getLogger("touchstone.access")

REQUEST_ID_HEADER = "X-Request-ID"
TOO_LARGE = "Request body too large"
# The details of the refusals below, with their values: problem documents and pages give them in the reader's language.
TOO_LARGE_DETAIL = template(
    N_("The request body has %(size)s bytes or more; the limit is %(limit)s (TOUCHSTONE_MAX_BODY_BYTES).")
)
TOO_SLOW_DETAIL = template(
    N_(
        "The request body did not arrive within %(seconds)s seconds (TOUCHSTONE_BODY_TIMEOUT_SECONDS); "
        "nothing was saved. Please try again."
    )
)
TOO_BUSY_DETAIL = template(
    N_("This instance had more requests to serve than it takes at once for %(seconds)s s; try again.")
)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

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


class RequestBodyMiddleware:
    """Read the whole request body before the application sees the request, within a deadline and a size limit.

    Nothing downstream then waits for a client: no database session or transaction can be open while a
    body trickles in. A body that has not arrived body_timeout seconds after the headers gets 408, one
    larger than max_body_bytes gets 413 (announced or streamed), and the connection is closed; no handler
    runs for either.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is None and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body announced: nothing to wait for
            return
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send, 413, TOO_LARGE, self._too_large(int(declared)))
            return
        chunks: list[bytes] = []
        size = 0
        with anyio.move_on_after(self.body_timeout) as deadline:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left: there is no one to answer
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body_bytes:
                    await self._refuse(scope, receive, send, 413, TOO_LARGE, self._too_large(size))
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        if deadline.cancelled_caught:
            detail = TOO_SLOW_DETAIL % {"seconds": f"{self.body_timeout:g}"}
            await self._refuse(scope, receive, send, 408, "Request timeout", detail)
            return
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # after the body only a disconnect can come
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str) -> None:
        # The rest of the body is never read, so the connection cannot carry another request.
        response = error_response(Request(scope), status, title=title, detail=detail, headers={"Connection": "close"})
        await response(scope, receive, send)

    def _too_large(self, size: int) -> str:
        return TOO_LARGE_DETAIL % {"size": size, "limit": self.max_body_bytes}


class RequestSlotsMiddleware:
    """Let at most ``slots`` requests into the application at once; the others wait their turn, in order.

    Every request inside may hold a pooled database connection and a worker thread; with no more requests
    inside than connections (and threads), none ever waits for a connection held by a request that is
    itself waiting for a thread. A slot is taken after the body has arrived (RequestBodyMiddleware) and
    given back when the response starts, so slow clients hold none, or earlier by a route whose remaining
    work is long and touches no database (leave_slot). A request that cannot get in within ``wait``
    seconds gets 503 with Retry-After.
    """

    def __init__(self, app: ASGIApp, slots: int, wait: float) -> None:
        self.app = app
        self.slots = anyio.Semaphore(slots)
        self.wait = wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with anyio.move_on_after(self.wait) as waited:
            await self.slots.acquire()
        if waited.cancelled_caught:
            detail = TOO_BUSY_DETAIL % {"seconds": f"{self.wait:g}"}
            headers = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}
            response = error_response(Request(scope), 503, title="Server busy", detail=detail, headers=headers)
            await response(scope, receive, send)
            return
        held = True

        def free() -> None:
            nonlocal held
            if held:
                held = False
                self.slots.release()

        async def send_and_free(message: Message) -> None:
            if message["type"] == "http.response.start":
                free()
            await send(message)

        scope[_FREE_SLOT] = free
        try:
            await self.app(scope, receive, send_and_free)
        finally:
            free()


_FREE_SLOT = "touchstone.free_slot"


def leave_slot(request: Request) -> None:
    """Give the request's place among those the process works on at once back before its response starts.

    For a route whose remaining work is long and touches no database (laying out a PDF): other requests
    then need not wait for it. Call it on the event loop (from an async route), after the session's
    transaction has ended.
    """
    free = request.scope.get(_FREE_SLOT)
    if free is not None:
        free()
