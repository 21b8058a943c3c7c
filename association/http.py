"""What a request tells about who sent it, and the requests refused before any view reads them."""

import ipaddress

from django.conf import settings
from django.shortcuts import render


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
    hops = request.headers.get("x-forwarded-for", "").split(",")
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies].strip()))
    except ValueError:
        return remote


def client_network(request) -> str:
    """Whom a rate limit counts: the client's address (`client_address`), or for IPv6 its /64
    network — a line, a household or a server is given a whole /64, 2^64 addresses to rotate
    through —; an IPv4 client seen through IPv6 (« ::ffff:192.0.2.1 ») as its IPv4 address."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6 and ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        if ip.version == 6:
            return str(ipaddress.ip_network(f"{ip.exploded}/64", strict=False))
    except ValueError:
        pass
    return address


class RefuseNulCharactersMiddleware:
    """A 400 for an address or a query string holding a NUL character, which no link and no
    browser sends: PostgreSQL refuses it in a query (a 500), SQLite stores it. Every view's
    arguments and GET parameters are then safe to look up on either database. Forms sent by
    POST check their own fields (Django's CharField refuses NUL with a French message). A
    cookie holding one (a quoted value may spell it « \\000 ») is dropped, as if never sent:
    the session's key would reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return render(request, "invalid_address.html", status=400)
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if "\x00" not in name and "\x00" not in value
            }
        return self.get_response(request)
