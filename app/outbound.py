"""Which URLs Touchstone may send to: no private, loopback, link-local or otherwise non-public targets unless allowed.

The check runs when a URL is saved, before every delivery, and once more when the connection is opened
(PublicOnlyTransport): a DNS name that resolved to a public address at the check but to 127.0.0.1 a moment
later (DNS rebinding) is refused at connect time, and the connection goes to the address that was checked.
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from urllib.parse import urlsplit

import httpcore
import httpx

from app.errors import Invalid

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64 prefixes (RFC 6052 well-known, RFC 8215 local-use): the last 32 bits are an IPv4 address.
NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if any(ip in network for network in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public(address: str) -> bool:
    """Return whether an IP address is globally routable unicast (the only kind a webhook may go to).

    ``is_global`` leaves out the private ranges, loopback, link-local (169.254.169.254, the cloud metadata
    service), carrier-grade NAT (100.64.0.0/10), benchmarking, documentation and reserved ranges. Before
    Python 3.13 it counts the deprecated IPv6 site-local range fec0::/10 as global, so the module's own
    ``is_site_local`` (and ``is_unspecified``) are asked too.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global or ip.is_multicast or ip.is_unspecified:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return False
    embedded = _embedded_ipv4(ip)
    return embedded is None or is_public(str(embedded))


def public_addresses(host: str, port: int, *, field: str = "url") -> list[str]:
    """Resolve host and return its addresses; raise Invalid unless every one of them is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise Invalid(f"{field}: the host {host!r} cannot be resolved", field=field) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not is_public(address):
            raise Invalid(
                f"{field}: {host!r} resolves to the private or local address {address}; "
                "webhooks only go to public addresses (TOUCHSTONE_WEBHOOK_ALLOW_PRIVATE)",
                field=field,
            )
    if not addresses:
        raise Invalid(f"{field}: the host {host!r} cannot be resolved", field=field)
    return addresses


def check_url(url: str, *, allow_private: bool, field: str = "url") -> str:
    """Return the URL when it is http(s) to a public address (resolved now); raise Invalid otherwise.

    Checked when an endpoint is saved and again before every delivery, because DNS can change.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"{field}: {url[:200]!r} is not an http:// or https:// URL", field=field)
    if parts.username or parts.password:
        raise Invalid(f"{field}: put no user name or password in the URL", field=field)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Invalid(f"{field}: {url[:200]!r} has no valid port", field=field) from None
    if not allow_private:
        public_addresses(parts.hostname, port, field=field)
    return url


class _PublicOnlyBackend(httpcore.NetworkBackend):
    """Open TCP connections only to public addresses, resolving the name once and connecting to that address."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            address = public_addresses(host, port)[0]
        except Invalid as refused:
            raise httpcore.ConnectError(refused.detail) from None
        return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks are not sent over Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class PublicOnlyTransport(httpx.HTTPTransport):
    """An httpx transport whose connections can only reach public addresses (TLS still checks the host name)."""

    def __init__(self, **options: typing.Any) -> None:
        super().__init__(**options)
        # httpx has no public option for the network backend; the pool reads it on every new connection.
        self._pool._network_backend = _PublicOnlyBackend()
