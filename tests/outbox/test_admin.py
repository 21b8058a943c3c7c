"""The outbox in the back-office: each mail's state, « Renvoyer », read-only records."""

import datetime

import pytest
from django.urls import reverse

from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import (
    OutgoingMailFactory,
)

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

CHANGELIST = "admin:joining_joinrequest_changelist"
NOW = datetime.datetime(2025, 10, 7, 14, 0, tzinfo=datetime.UTC)


def test_renvoyer_from_a_mail_page(coordinator_client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    mail = OutgoingMailFactory(status=OutgoingMail.Status.FAILED, attempts=5, last_error="x")
    page = reverse("admin:outbox_outgoingmail_change", args=[mail.pk])
    assert "Renvoyer" in text_of(coordinator_client.get(page))

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            page, {"CHANGE_FORM-action": "resend", "_selected_action": mail.pk}
        )

    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == ("pending", 0, "")
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_outgoing_mails_are_read_only(coordinator_client):
    mail = OutgoingMailFactory()

    response = coordinator_client.post(
        reverse("admin:outbox_outgoingmail_change", args=[mail.pk]),
        {"recipient": "pirate@example.org", "_save": "1"},
    )

    assert response.status_code == 403
    mail.refresh_from_db()
    assert mail.recipient != "pirate@example.org"


@pytest.mark.parametrize("size", [3, 12])
def test_mail_changelist_query_count_does_not_grow(
    coordinator_client, django_assert_num_queries, size
):
    for _ in range(size):
        OutgoingMailFactory(status=OutgoingMail.Status.FAILED, last_error="x" * 200)
    url = reverse("admin:outbox_outgoingmail_changelist")
    coordinator_client.get(url)

    # session, user, perms (2), counts (2), page with its requests, site identity
    with django_assert_num_queries(8):
        response = coordinator_client.get(url)

    assert text_of(response).count("Échec") >= size


@pytest.mark.ignore_template_errors
def test_site_mails_are_not_called_sent_since_many_wait_or_failed(coordinator_client):
    OutgoingMailFactory(status=OutgoingMail.Status.FAILED)

    index = text_of(coordinator_client.get(reverse("admin:index")))
    changelist = text_of(coordinator_client.get(reverse("admin:outbox_outgoingmail_changelist")))

    assert "E-mails du site" in index
    assert "envoyés" not in index.lower()
    assert "1 e-mail du site" in changelist


def test_a_record_s_mails_are_named_by_their_kind_not_their_code(coordinator_client):
    """The join request's page lists its mails by the kind's French name (it showed
    « acknowledgement »)."""
    mail = OutgoingMailFactory()  # an acknowledgement, about a join request
    page = text_of(
        coordinator_client.get(reverse("admin:joining_joinrequest_change", args=[mail.object_id]))
    )
    assert "Accusé de réception au demandeur" in page
    assert "acknowledgement</" not in page


def test_a_mail_about_a_record_without_an_admin_page_names_it(coordinator_client):
    """A « Mon espace » sign-in link has no page of its own: the mail names it, unlinked (the
    whole list crashed with NoReverseMatch)."""
    from space.services.sign_in import send_sign_in_link
    from tests.factories import PersonFactory

    link = send_sign_in_link(person=PersonFactory(), site_url="http://testserver")
    page = text_of(coordinator_client.get(reverse("admin:outbox_outgoingmail_changelist")))
    assert f"Lien de connexion n°\u00a0{link.pk}" in page
    assert "Lien de connexion à « Mon espace »" in page
