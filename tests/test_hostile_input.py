"""Whatever a visitor or a robot sends to a public address, in its query string, its form or
its link's token: a page (200, a redirect, a clean form), a 4xx, never a 500, on SQLite and on
PostgreSQL (which refuses a NUL character in a query: these tests run on both, in CI too)."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from ptce.demo.volume import SMALL, build_network
from tests.conftest import sign_in_to_space
from tests.factories import PersonFactory
from tests.public_site import frozen

# Every namespace a visitor reaches without a back-office account.
PUBLIC = (
    "site",
    "groups",
    "events",
    "members",
    "report",
    "joining",
    "space",
    "scic",
    "opendata",
    "news",
)
HOSTILE = ["\x00", "a\x00b", "é" * 3000, "' OR 1=1 --", ""]
# Visited last, or the signed-in round would end half-way.
SIGNING_OUT = ("space:sign_out",)
# What the public forms read, with the values a robot would try.
FIELDS = (
    "email", "name", "first_name", "last_name", "phone", "title", "town", "message",
    "response", "action", "form_token", "website", "consent", "guest_name", "guest_email",
    "suivant", "retour", "invitations", "groups", "applicant_kind", "show_contact_publicly",
    "groupe", "type", "page", "membres", "v", "p",
)  # fmt: skip


def public_patterns(resolver=None, namespace=""):
    """(URL name, pattern's arguments) of every public address."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from public_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and namespace in PUBLIC and entry.name:
            yield f"{namespace}:{entry.name}", list(entry.pattern.converters)


def addresses(net, value: str) -> list[str]:
    """Each public address with its arguments filled: real records, with `value` as the
    token of a link (the converters refuse it elsewhere)."""
    real = {
        "slug": {
            "groups": net.group.slug,
            "events": net.event.slug,
            "site": net.structure.slug,
        },
        "pk": net.meeting.pk,
        "session_pk": 1,
        "group_pk": net.group.pk,
        "year": 2025,
        "identifier": net.structure.slug,
        "number": 1,
    }
    found = []
    for name, arguments in public_patterns():
        if name in SIGNING_OUT:
            continue
        namespace = name.split(":")[0]
        kwargs = {}
        for argument in arguments:
            if argument == "token":
                kwargs[argument] = value.replace("/", "") or "x"
            elif argument == "slug":
                kwargs[argument] = real["slug"].get(namespace, net.group.slug)
            else:
                kwargs[argument] = real[argument]
        try:
            found.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:  # a converter refuses the value: no such address
            continue
    return found


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.slow
@pytest.mark.parametrize("value", HOSTILE)
@frozen()
def test_no_public_address_answers_500_to_hostile_input(value, db, visitor, site_identity):
    net = build_network(**SMALL)
    partner = PersonFactory(email="partenaire@example.org")
    net.group.participant_people.add(partner)
    query = dict.fromkeys(FIELDS, value)
    for signed_in in (False, True):
        if signed_in:
            sign_in_to_space(visitor, partner)
        for address in [*addresses(net, value), *map(reverse, SIGNING_OUT)]:
            for method in (visitor.get, visitor.post):
                response = method(address, query)
                assert response.status_code < 500, (method.__name__, address, response)


@pytest.mark.parametrize("address", ["/adherer/?groupe=%00", "/agenda/?groupe=a%00", "/a%00/"])
def test_a_nul_character_in_an_address_is_a_french_400(address, db, visitor, site_identity):
    response = visitor.get(address)
    assert response.status_code == 400
    assert "Cette adresse n'est pas valide" in response.content.decode()


@frozen()
def test_a_nul_character_in_a_cookie_is_no_500(db, visitor, site_identity):
    # A cookie's quoted value may spell a NUL in octal (« "\000" »), which Django decodes: the
    # session's key then reached PostgreSQL, which refused it (a 500 on every page with the
    # session, « Mon espace » first).
    net = build_network(**SMALL)
    nul = '"' + "\\000" * 32 + '"'
    cookies = "; ".join(f"{name}={nul}" for name in ("sessionid", "csrftoken", "messages"))
    for address in ["/mon-espace/", *addresses(net, "x")]:
        for method in (visitor.get, visitor.post):
            response = method(address, HTTP_COOKIE=cookies)
            assert response.status_code < 500, (method.__name__, address, response)
