"""Which URLs Touchstone may send to: no private, loopback or link-local targets unless allowed."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.errors import Invalid


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None and _is_private(str(ip.ipv4_mapped)))
    )


def check_url(url: str, *, allow_private: bool, field: str = "url") -> str:
    """Return the URL when it is http(s) to a public address (resolved now); raise Invalid otherwise.

    Checked when an endpoint is saved and again before every delivery, because DNS can change.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"{field}: {url[:200]!r} is not an http:// or https:// URL", field=field)
    if parts.username or parts.password:
        raise Invalid(f"{field}: put no user name or password in the URL", field=field)
    if allow_private:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError, ValueError):
        raise Invalid(f"{field}: the host {parts.hostname!r} cannot be resolved", field=field) from None
    for info in infos:
        address = str(info[4][0])
        if _is_private(address.split("%", 1)[0]):
            raise Invalid(
                f"{field}: {parts.hostname!r} resolves to the private or local address {address}; "
                "webhooks only go to public addresses (TOUCHSTONE_WEBHOOK_ALLOW_PRIVATE)",
                field=field,
            )
    return url
