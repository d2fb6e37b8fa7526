"""The client's address, as the login throttle, the access logs and the audit see it.

Behind a reverse proxy REMOTE_ADDR is the proxy. X-Forwarded-For is believed only as far as
the chain of proxies named in settings.TRUSTED_PROXIES: read from the right, the first
address that is not a trusted proxy is the client; anything further left was written by the
client itself and could be anything.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str | None) -> str | None:
    """Return `text` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """Return the address of the client that sent `request` (None when the server was given none)."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if remote is None or not networks or not _trusted(remote, networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy would not write this: stop at the last address it vouched for.
            return client
        client = address
        if not _trusted(address, networks):
            return address
    return client
