"""The security headers every response carries (the middleware and the error handlers both set them)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders

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


def add_security_headers(headers: MutableHeaders) -> None:
    """Set each security header that is not already present."""
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value
