"""The news in the trail: who published an article (a lead's draft, the coordinator's
publication) and who scheduled a newsletter, from the back-office. Subscribers are not in it
(see docs/audit.md)."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Origin
from news.models import Article, Issue, Subscriber
from tests.audit.test_trail import entries_of
from tests.conftest import text_of
from tests.news.factories import PUBLISHED_ARTICLE_FORM, SubscriberFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables


@pytest.mark.django_db
def test_publishing_an_article_in_the_admin_is_signed_by_the_account(
    coordinator_client, coordinator
):
    response = coordinator_client.post(
        "/admin/news/article/add/",
        PUBLISHED_ARTICLE_FORM,
    )
    assert response.status_code == 302
    (created,) = entries_of(Article.objects.get())
    assert created.origin == Origin.ADMIN and created.actor == coordinator
    assert created.changes["status"] == ["None", "published"]
    # Read as the trail shows it: the state agrees with « actualité ».
    detail = text_of(
        coordinator_client.get(reverse("admin:audit_auditentry_change", args=[created.pk]))
    )
    assert "<td>État</td><td></td><td>Publiée</td>" in detail


@pytest.mark.django_db
def test_scheduling_an_issue_in_the_admin_is_recorded_with_its_author(
    coordinator_client, coordinator, newsletter
):
    issue = Issue.objects.create(number=2, title="Lettre d'automne")
    response = coordinator_client.post(
        "/admin/news/issue/", {"action": "schedule", "_selected_action": [issue.pk]}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    created, *changes = entries_of(issue)
    assert created.action == AuditEntry.Action.CREATE
    assert {(entry.action, entry.origin, entry.actor) for entry in changes} == {
        (AuditEntry.Action.UPDATE, Origin.ADMIN, coordinator)
    }
    changed = {name: values for entry in changes for name, values in entry.changes.items()}
    assert changed["status"] == ["draft", "scheduled"]
    assert {"send_at", "published_at"} <= changed.keys()


@pytest.mark.django_db
def test_subscribers_are_not_in_the_trail(db):
    SubscriberFactory()
    assert Subscriber.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="news").exists()
