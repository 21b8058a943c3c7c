"""Signing in to « Mon espace » with a one-time link: mailed through the outbox, valid 15
minutes and once, signed and stored hashed; the same answer for a known and an unknown
address, after the same work in the request (one task, run here by the real worker); limits
per address and per client; a 30-day session that can be ended."""

import datetime
import hashlib
import html
import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingMail
from space.models import SignInLink, SpaceMailKind
from space.session import SESSION_KEY
from tests.conftest import run_queued_tasks
from tests.factories import PersonFactory

# The worker (run_queued_tasks) closes its database connection: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

# The request path of a sign-in request, known address or not: the client's limit in the
# (database) cache, the task's row, the site's identity for the page (savepoints counted).
QUERIES_TO_ASK = 9


@pytest.fixture(autouse=True)
def _fresh_limits(transactional_db):
    """The counters live in the database cache, which committed tests do not roll back."""
    caches["limits"].clear()


@pytest.fixture
def partner():
    return PersonFactory(first_name="Odette", last_name="Dauchet", email="odette@example.org")


def _ask(client, email, **extra):
    """Ask for a link, then let the worker do what the request enqueued."""
    response = client.post(reverse("space:sign_in"), {"email": email}, **extra)
    run_queued_tasks()
    return response


def _link_in_outbox() -> str:
    mail = OutgoingMail.objects.filter(kind=SpaceMailKind.SIGN_IN).latest("pk")
    return re.search(r"https?://\S+/mon-espace/connexion/\S+/(\?\S+)?", mail.body_text).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_known_address_gets_a_link_that_signs_in_once(client, partner):
    response = _ask(client, "ODETTE@example.org")
    assert response.status_code == 200
    mail = OutgoingMail.objects.get(kind=SpaceMailKind.SIGN_IN)
    assert mail.recipient == "odette@example.org"
    link = _path(_link_in_outbox())
    # Opening the link (a mail scanner does) signs no one in: the button does.
    opened = client.get(link)
    assert opened.status_code == 200 and SESSION_KEY not in client.session
    signed_in = client.post(link)
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("space:home")
    assert client.session[SESSION_KEY] == partner.pk
    assert client.get(reverse("space:home")).status_code == 200


def test_erasure_ends_the_partners_open_session_and_their_unused_link(client, partner):
    """Erased by the coordinator while signed in, with a second link still in their inbox:
    the next page asks to sign in, and neither link signs anyone in."""
    from members.services.personal_data import erase_person

    _ask(client, partner.email)
    client.post(_path(_link_in_outbox()))
    assert client.get(reverse("space:home")).status_code == 200
    OutgoingMail.objects.all().delete()
    _ask(client, partner.email)
    unused = _path(_link_in_outbox())

    erase_person(person=partner)

    home = client.get(reverse("space:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("space:sign_in"))
    client.post(unused)
    assert client.get(reverse("space:home")).status_code == 302


def test_the_token_is_stored_hashed(client, partner):
    _ask(client, partner.email)
    token = _link_in_outbox().rstrip("/").rsplit("/", 1)[1]
    stored = SignInLink.objects.get()
    assert token not in stored.token_hash
    raw = token.split(":")[0]
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, partner):
    known = _ask(client, partner.email).content.decode().replace(partner.email, "@")
    unknown = _ask(client, "inconnu@example.org").content.decode()
    assert unknown.replace("inconnu@example.org", "@") == known
    assert OutgoingMail.objects.filter(recipient="inconnu@example.org").count() == 0
    assert SignInLink.objects.count() == 1


def test_the_request_does_the_same_work_for_a_known_and_an_unknown_address(
    client, partner, django_assert_max_num_queries
):
    # Each from a client of its own, so that both count their first request; the page once
    # before (the site's identity is created on the first).
    url = reverse("space:sign_in")
    client.get(url)
    with django_assert_max_num_queries(QUERIES_TO_ASK) as known_queries:
        known = client.post(url, {"email": partner.email}, REMOTE_ADDR="192.0.2.1")
    with django_assert_max_num_queries(QUERIES_TO_ASK) as unknown_queries:
        unknown = client.post(url, {"email": "inconnu@example.org"}, REMOTE_ADDR="192.0.2.2")
    # The same statements for both (how many depends on the test's transaction mode).
    assert [q["sql"].split()[0] for q in known_queries.captured_queries] == [
        q["sql"].split()[0] for q in unknown_queries.captured_queries
    ]
    assert known.status_code == unknown.status_code == 200
    # Nothing but one task each: no link, no mail until the worker runs.
    assert DBTaskResult.objects.count() == 2
    assert not SignInLink.objects.exists() and not OutgoingMail.objects.exists()
    run_queued_tasks()
    sign_in_tasks = DBTaskResult.objects.filter(task_path__endswith="handle_sign_in_request")
    assert sorted(sign_in_tasks.values_list("return_value", flat=True)) == [
        "sent",
        "unknown",
    ]
    assert OutgoingMail.objects.get().recipient == partner.email


def test_an_erased_person_gets_no_link(client, partner):
    partner.anonymised_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    partner.save()
    _ask(client, "odette@example.org")
    assert not OutgoingMail.objects.exists()


def test_a_used_link_does_not_sign_in_again(client, partner):
    _ask(client, partner.email)
    link = _path(_link_in_outbox())
    client.post(link)
    client.post(reverse("space:sign_out"))
    again = client.post(link)
    assert again.status_code == 410
    assert "déjà servi" in again.content.decode()
    assert SESSION_KEY not in client.session


def test_an_expired_link_does_not_sign_in(client, partner):
    with time_machine.travel(datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC), tick=False):
        _ask(client, partner.email)
    link = _path(_link_in_outbox())
    with time_machine.travel(datetime.datetime(2025, 10, 1, 9, 16, tzinfo=datetime.UTC)):
        response = client.post(link)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-3] + "xyz",  # signature broken
        lambda t: ("B" if t[0] == "A" else "A") + t[1:],  # token changed, signature kept
        lambda t: t.split(":")[0],  # no signature
        lambda t: "n-importe-quoi",
    ],
    ids=["signature", "jeton", "sans-signature", "inventé"],
)
def test_a_forged_link_does_not_sign_in(client, partner, mangle):
    _ask(client, partner.email)
    token = _link_in_outbox().rstrip("/").rsplit("/", 1)[1]
    url = reverse("space:sign_in_link", args=[mangle(token)])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert SESSION_KEY not in client.session
    assert SignInLink.objects.get().used_at is None


def test_links_to_one_address_are_limited_silently(client, partner, settings):
    settings.SPACE_LINK_LIMIT = 2
    pages = [_ask(client, partner.email).status_code for _ in range(4)]
    assert pages == [200, 200, 200, 200]  # the same answer
    assert OutgoingMail.objects.filter(kind=SpaceMailKind.SIGN_IN).count() == 2


def test_requests_from_one_client_are_limited(client, partner, settings):
    settings.SPACE_CLIENT_LIMIT = 3
    codes = [_ask(client, f"x{i}@example.org").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Trop de demandes" in _ask(client, partner.email).content.decode()
    assert not OutgoingMail.objects.exists()
    other = _ask(client, partner.email, REMOTE_ADDR="192.0.2.8")
    assert other.status_code == 200 and OutgoingMail.objects.count() == 1


def test_an_ipv6_client_is_limited_by_its_network(client, partner, settings):
    settings.SPACE_CLIENT_LIMIT = 1
    first = _ask(client, "x@example.org", REMOTE_ADDR="2001:db8:1:2::1")
    rotated = _ask(client, partner.email, REMOTE_ADDR="2001:db8:1:2::2")
    assert (first.status_code, rotated.status_code) == (200, 429)
    assert not OutgoingMail.objects.exists()


@pytest.mark.logged_errors
def test_the_limits_fail_open_when_the_cache_fails(client, partner, settings):
    settings.CACHES = {
        **settings.CACHES,
        "limits": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "nulle"},
    }
    assert _ask(client, partner.email).status_code == 200
    assert OutgoingMail.objects.count() == 1


def test_the_session_lasts_thirty_days_and_ends_on_sign_out(client, partner):
    _ask(client, partner.email)
    client.post(_path(_link_in_outbox()))
    assert 29 * 86400 < client.session.get_expiry_age() <= 30 * 86400
    response = client.post(reverse("space:sign_out"))
    assert response.status_code == 302
    assert client.get(reverse("space:home")).status_code == 302


def test_space_pages_are_never_cached(client, partner):
    anonymous = client.get(reverse("space:sign_in"))
    assert "no-store" in anonymous["Cache-Control"] and "private" in anonymous["Cache-Control"]
    _ask(client, partner.email)
    client.post(_path(_link_in_outbox()))
    page = client.get(reverse("space:home"))
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]


def test_the_next_page_is_kept_and_never_another_site(client, partner):
    _ask(client, partner.email)
    link = _path(_link_in_outbox())
    response = client.post(link, {"suivant": "https://ailleurs.example/"})
    assert response["Location"] == reverse("space:home")


def test_the_link_leads_where_the_visitor_was_going(client, partner):
    # A reserved document's address, opened before signing in, is where the mailed link leads.
    going_to = reverse("space:meeting", args=[12])
    asked = reverse("space:sign_in") + "?" + urlencode({"suivant": going_to})
    client.post(asked, {"email": partner.email})
    run_queued_tasks()
    link = _link_in_outbox()
    assert link.endswith("?" + urlencode({"suivant": going_to}))
    form = client.get(_path(link)).content.decode()
    assert f'name="suivant" value="{going_to}"' in form
    response = client.post(_path(link), {"suivant": going_to})
    assert response["Location"] == going_to


def test_another_site_is_never_written_into_the_mailed_link(client, partner):
    asked = reverse("space:sign_in") + "?" + urlencode({"suivant": "https://ailleurs.example/"})
    client.post(asked, {"email": partner.email})
    run_queued_tasks()
    assert "ailleurs" not in _link_in_outbox()


def test_the_pages_and_the_mail_say_the_same_lengths(client, partner, settings):
    """One sentence for how long the link and the session last, with the settings' figures,
    on the form, on the « link sent » page and in the mail."""
    settings.SPACE_LINK_MINUTES, settings.SPACE_SESSION_DAYS = 20, 45
    said = (
        "Le lien est valable 20\u00a0minutes et une seule fois. Vous restez ensuite "
        "connecté·e 45\u00a0jours sur cet appareil, ou jusqu'à ce que vous cliquiez sur "
        "«\u00a0Se déconnecter\u00a0»."
    )
    form = html.unescape(client.get(reverse("space:sign_in")).content.decode())
    sent = html.unescape(_ask(client, partner.email).content.decode())
    mail = OutgoingMail.objects.get(kind=SpaceMailKind.SIGN_IN).body_text
    assert said in form
    assert said in sent
    assert said in mail
    assert "quelques minutes" not in form + sent
