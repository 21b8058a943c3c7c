"""Personal links in mails: the ids of the records a link is for, signed with a salt of its own
use (a guest's answer, a registration, an associate's reply, opting out), so that whoever has
the mail may use the link and nobody can make one for another record or another use.

One format for every app: « 12:signature » (django.core.signing's `Signer`), « 3:45:signature »
for two ids. What a link gives access to, and until when, is each app's own business; a link
that cannot serve gets the same French page everywhere (`invalid_link_page`)."""

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from association.formats import typography


def sign_ids(*ids: int, salt: str) -> str:
    """The token of a personal link to the records `ids`, for the use `salt`."""
    return signing.Signer(salt=salt).sign(":".join(str(pk) for pk in ids))


def unsign_ids(token: str, *, salt: str, count: int = 1) -> tuple[int, ...] | None:
    """The `count` ids a token made by `sign_ids` with `salt` carries, or None if it was forged,
    cut in transit, or made for another use."""
    try:
        value = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split(":")
    if len(parts) != count or not all(part.isdecimal() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def invalid_link_page(
    request: HttpRequest,
    *,
    heading: str,
    message: str,
    back_url: str,
    back_label: str,
    status: int = 400,
) -> HttpResponse:
    """The French page of a personal link that cannot serve, and changed nothing: `heading`
    and `message` say why (forged: 400, erased since: 404, too late or cancelled: 410), the
    last link where to go instead."""
    context = {
        "heading": typography(heading),
        "message": typography(message),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "link_invalid.html", context, status=status)
