"""What a request tells about who sent it."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The visitor's address, as far as we can trust it.

    Without a proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR: X-Forwarded-For is whatever
    the client sends. Behind N proxies, each appends the address it received the request from,
    so the N-th hop from the right is the one the outermost proxy saw; the hops on its left
    are the visitor's to forge. Fewer hops than proxies, or anything but an IP address
    there: REMOTE_ADDR (the proxy's own address, so such requests share one allowance)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies].strip()))
    except ValueError:
        return remote
