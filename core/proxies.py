"""The client's address, seen through the reverse proxies we trust, and only those.

Behind a load balancer every request comes from the proxy's address, so login
lockouts (django-axes) and rate limits would count every user as one. The
proxy says who the client is in X-Forwarded-For, but anyone can send that
header: it is read only when the request comes from an address in
TRUSTED_PROXIES (addresses or networks), and then the right-most address in it
that is not one of our proxies is the client (each proxy appends the address
it saw, so everything left of that may be the client's own invention).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: list[str]) -> list[Network]:
    """TRUSTED_PROXIES as networks; a single address is a network of one."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries]


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, as far as we can trust it."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(settings.TRUSTED_PROXIES)
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop if _is_address(hop) else remote
    # Only our proxies took part: the left-most of them asked itself.
    return hops[0] if hops else remote


def _is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
