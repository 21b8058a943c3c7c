"""Pages with a form (the join form, a meeting's guests' form, an event's registrations) come from
the page cache with holes, filled at each visit with a CSRF token and a one-time form token of
their own (ptce/cache.py, association/page_cache.py)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from joining.antispam import read_form_token
from joining.models import JoinRequest
from ptce.demo.volume import SMALL, TODAY, build_network, page_url
from tests.public_site import frozen

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _upcoming_event_url(event: Event) -> str:
    event.date = TODAY + datetime.timedelta(days=10)
    event.registration_open = True
    event.save()
    assert event.takes_registrations()
    return event.get_absolute_url()


def _urls(net) -> dict[str, str]:
    return {
        "join": "/adherer/",
        "join for a group": f"/adherer/?groupe={net.group.slug}",
        "meeting": page_url("meeting_detail", net),
        "event": _upcoming_event_url(net.event),
    }


def _tokens(html: str) -> list[str]:
    return CSRF.findall(html) + FORM_TOKEN.findall(html)


def _blanked(html: str) -> str:
    return FORM_TOKEN.sub("FORM-TOKEN", CSRF.sub("CSRF", html))


@pytest.mark.parametrize("page", ["join", "join for a group", "meeting", "event"])
@frozen()
def test_a_form_page_from_the_cache_is_the_render_but_its_tokens(
    page, db, django_assert_num_queries
):
    url = _urls(build_network(**SMALL))[page]
    rendered = Client().get(url)  # the cache is empty: a normal render, which is stored
    with django_assert_num_queries(1):  # the content version alone
        cached = Client().get(url)
    html, cached_html = rendered.content.decode(), cached.content.decode()
    assert CSRF.search(html)
    assert _blanked(cached_html) == _blanked(html)
    assert len(cached.content) == len(rendered.content)
    assert not set(_tokens(cached_html)) & set(_tokens(html))
    assert "\x00" not in cached_html
    assert cached["Content-Type"] == rendered["Content-Type"]
    assert cached["ETag"] != rendered["ETag"]  # ConditionalGetMiddleware's, of the content
    for response in (rendered, cached):
        assert "csrftoken" in response.cookies  # the CSRF middleware saw the token used
        assert "Last-Modified" not in response  # never a 304 for a page with tokens
        assert "no-cache" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("stored", [False, True], ids=["not yet stored", "stored"])
@frozen()
def test_a_page_with_a_form_never_answers_304_to_a_date(stored, db):
    """A 304 would leave the visitor with a copy whose tokens are someone else's, or stale."""
    url = _urls(build_network(**SMALL))["join"]
    if stored:
        Client().get(url)
    response = Client().get(url, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200
    assert CSRF.search(response.content.decode())
    assert FORM_TOKEN.search(response.content.decode())


@frozen()
def test_each_visit_gets_its_own_valid_form_token(db):
    build_network(**SMALL)
    client = Client()
    tokens = [FORM_TOKEN.search(client.get("/adherer/").content.decode())[1] for _ in range(3)]
    assert len(set(tokens)) == 3
    assert all(read_form_token(token) is not None for token in tokens)


@frozen()
def test_a_visitor_served_from_the_cache_can_send_the_form(db, settings):
    settings.JOIN_MIN_FILL_SECONDS = 0
    build_network(**SMALL)
    Client().get("/adherer/")  # someone else's visit stores the page
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/adherer/").content.decode()
    answer = visitor.post(
        "/adherer/",
        {
            "csrfmiddlewaretoken": CSRF.search(html)[1],
            "form_token": FORM_TOKEN.search(html)[1],
            "wants_membership": "on",
            "applicant_kind": "person",
            "first_name": "Camille",
            "last_name": "Durand",
            "email": "camille@example.org",
            "consent": "on",
        },
    )
    assert answer.status_code == 302
    assert JoinRequest.objects.get().form_token == FORM_TOKEN.search(html)[1]


@frozen()
def test_a_stale_csrf_token_from_another_visitor_is_refused(db):
    build_network(**SMALL)
    first = Client(enforce_csrf_checks=True)
    html = first.get("/adherer/").content.decode()
    other = Client(enforce_csrf_checks=True)
    other.get("/adherer/")  # its own cookie
    answer = other.post(
        "/adherer/",
        {"csrfmiddlewaretoken": CSRF.search(html)[1], "form_token": FORM_TOKEN.search(html)[1]},
    )
    assert answer.status_code == 403


@frozen()
def test_a_page_with_an_unrecognised_token_is_not_stored(db, client):
    build_network(**SMALL)
    # A CSRF cookie in a bad format makes the middleware issue a new one, yet the home page
    # has no form: the cache finds no token where it expects one and does not store the page.
    client.cookies["csrftoken"] = "not-a-token"
    response = client.get("/")
    assert "csrftoken" in response.cookies
    assert "Last-Modified" not in response  # given to stored pages only


@frozen()
def test_a_form_page_not_declared_public_is_rendered_at_each_visit(db, django_assert_num_queries):
    # A visitor's own record (a registration to manage, an invitation's answer) or a link's
    # token may be on a page with a form: only views calling `public_form()` are stored.
    net = build_network(**SMALL)
    url = reverse("events:registration_create", kwargs={"slug": net.event.slug})
    _upcoming_event_url(net.event)
    assert CSRF.search(Client().get(url).content.decode())
    with django_assert_num_queries(3):  # the version, then the event rendered again
        Client().get(url)


def test_an_event_page_loses_its_form_when_the_event_ends_the_same_day(db):
    """The key changes at midnight; an event ending at 17 h says so (`changes_at`), and its
    stored page is not served after that, nor a 304 to the copy a visitor holds."""
    with frozen(TODAY, hour=9):
        net = build_network(**SMALL)
        event = net.event
        event.date, event.start_time, event.end_time = TODAY, datetime.time(9), datetime.time(17)
        event.registration_open = True
        event.save()
        url = event.get_absolute_url()
        Client().get(url)  # rendered and stored
    with frozen(TODAY, hour=16, minute=59):
        during = Client().get(url)
        assert CSRF.search(during.content.decode())  # the form, from the stored page
    with frozen(TODAY, hour=17, minute=1):
        after = Client().get(url, headers={"If-None-Match": during.get("ETag", '"none"')})
        assert after.status_code == 200
        assert not CSRF.search(after.content.decode())
        again = Client().get(url)
        assert again.content == after.content  # the new page is stored in turn
