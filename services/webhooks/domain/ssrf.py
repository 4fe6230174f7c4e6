"""Where the platform agrees to send a delivery: no server-side request forgery.

An endpoint's URL must be HTTPS and every address its host resolves to public (not loopback,
private, link-local, multicast, reserved, shared or unspecified): a partner must not make the platform
call its own network (a metadata service, a database's admin port). The check runs when the URL is
registered and again at each attempt, as DNS answers change; an attempt connects only to an address
its own check resolved (`connectable_addresses`), never to the name, which could resolve elsewhere by
the time of connecting (DNS rebinding). An allow-list setting names hosts exempt from both rules, for
the local demo and the tests' receivers on 127.0.0.1. Redirects are never followed (the sender's job),
so a public URL cannot bounce a delivery inside.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Iterable[str]]


class UnsafeUrl(ValueError):
    pass


def check_url(url: str, resolve: Resolver, allowed_hosts: frozenset[str]) -> None:
    """Raises UnsafeUrl saying why the URL is refused; `resolve(host, port)` lists its addresses."""
    host, port, allowed = _parse(url, allowed_hosts)
    if not allowed:
        _checked(host, port, resolve)


def connectable_addresses(url: str, resolve: Resolver, allowed_hosts: frozenset[str]) -> list[str]:
    """The addresses a request to `url` may connect to: resolved once, each checked (UnsafeUrl otherwise).
    An allowed host is resolved without the check."""
    host, port, allowed = _parse(url, allowed_hosts)
    if allowed:
        addresses = list(_addresses(host, port, resolve))
        if not addresses:
            raise UnsafeUrl(f"The host {host} does not resolve.")
        return addresses
    return _checked(host, port, resolve)


def _parse(url: str, allowed_hosts: frozenset[str]) -> tuple[str, int, bool]:
    """The URL's host and port, and whether the allow-list exempts it; UnsafeUrl for a malformed URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("The URL is not valid.") from exc
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in ("https", "http"):
        raise UnsafeUrl("The URL must be an absolute https URL.")
    if parts.username or parts.password:
        raise UnsafeUrl("The URL must not carry credentials.")
    if host in allowed_hosts:
        return host, port or (443 if parts.scheme == "https" else 80), True
    if parts.scheme != "https":
        raise UnsafeUrl("The URL must use https.")
    return host, port or 443, False


def _checked(host: str, port: int, resolve: Resolver) -> list[str]:
    addresses = list(_addresses(host, port, resolve))
    if not addresses:
        raise UnsafeUrl(f"The host {host} does not resolve.")
    for address in addresses:
        if not _public(address):
            raise UnsafeUrl(f"The host {host} resolves to a non-public address ({address}).")
    return addresses


def _addresses(host: str, port: int, resolve: Resolver) -> Iterable[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        return list(resolve(host, port))
    except (OSError, UnicodeError) as exc:  # UnicodeError: not a host name IDNA can spell
        raise UnsafeUrl("The URL's host does not resolve.") from exc


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def parse_allowed_hosts(setting: str) -> frozenset[str]:
    """`WEBHOOKS_ALLOWED_HOSTS`: host names or addresses, separated by commas."""
    return frozenset(part.strip().lower() for part in setting.split(",") if part.strip())
