"""The back-office of the news: the coordinator writes and publishes an article, composes an
issue and follows it; the subscribers' import page."""

import re

import pytest
from django.urls import reverse

from news.models import Article, Issue, Section, Subscriber
from tests.news.factories import PUBLISHED_ARTICLE_FORM, ArticleFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables


@pytest.mark.django_db
def test_the_coordinator_publishes_an_article_from_the_admin(coordinator_client, coordinator):
    assert coordinator_client.get("/admin/news/article/add/").status_code == 200
    response = coordinator_client.post(
        "/admin/news/article/add/",
        PUBLISHED_ARTICLE_FORM,
    )
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    article = Article.objects.get()
    assert article.author == coordinator and article.published_at is not None
    # An « actualité »: its state and dates agree (the trail leaves the dates out, the
    # admin shows none of them yet; the labels are what any list or export would show).
    listing = coordinator_client.get("/admin/news/article/").content.decode()
    assert '<td class="field-status">Publiée</td>' in listing
    labels = [Article._meta.get_field(name).verbose_name for name in ("created_at", "updated_at")]
    assert labels == ["créée le", "modifiée le"]


@pytest.mark.django_db
def test_the_coordinator_composes_an_issue_and_sees_its_sending(coordinator_client, newsletter):
    assert (
        'name="number" value="2"'
        in coordinator_client.get("/admin/news/issue/add/").content.decode()
    )
    issue = Issue.objects.create(number=2, title="Lettre d'automne")
    response = coordinator_client.post(
        "/admin/news/issue/",
        {"action": "compose", "_selected_action": [issue.pk]},
    )
    assert response.status_code == 302
    assert issue.sections.exclude(kind=Section.Kind.FREE).exists()
    page = coordinator_client.get(f"/admin/news/issue/{issue.pk}/change/").content.decode()
    assert "Aperçu web, impression et e-mail" in page
    assert coordinator_client.get("/admin/news/issue/").status_code == 200


@pytest.mark.django_db
def test_the_import_page_records_where_the_consent_comes_from(coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert coordinator_client.get("/admin/news/subscriber/importer/").status_code == 200
    upload = SimpleUploadedFile("liste.csv", b"email;consentement\na@example.org;papier\n")
    response = coordinator_client.post(
        "/admin/news/subscriber/importer/",
        {"file": upload, "source_detail": "ancienne liste"},
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().source_detail == "ancienne liste — papier"
    assert coordinator_client.get("/admin/news/subscriber/").status_code == 200


@pytest.mark.django_db
def test_the_coordinator_cannot_resubscribe_an_address_by_hand(coordinator_client):
    """Only its owner confirms an address: the admin shows the state and the address, and
    unsubscribes with an action, but never turns an unsubscribed address back on."""
    from django.utils import timezone

    subscriber = Subscriber.objects.create(
        email="parti@example.org",
        status=Subscriber.Status.UNSUBSCRIBED,
        source=Subscriber.Source.FORM,
        consent_version="2026-12",
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    url = f"/admin/news/subscriber/{subscriber.pk}/change/"
    response = coordinator_client.post(
        url, {"email": "autre@example.org", "status": "confirmed", "person": "", "groups": []}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.email == "parti@example.org"
    Subscriber.objects.filter(pk=subscriber.pk).update(status="confirmed")
    coordinator_client.post(
        "/admin/news/subscriber/",
        {"action": "unsubscribe_selected", "_selected_action": [subscriber.pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at is not None


@pytest.mark.django_db
def test_the_import_reads_a_spreadsheets_csv_and_refuses_a_huge_file(coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from news.forms import IMPORT_MAX_BYTES

    # A spreadsheet in French saves its CSV in Windows-1252.
    text = "email;consentement\na@example.org;bulletin signé à l'AG\n"
    upload = SimpleUploadedFile("liste.csv", text.encode("cp1252"))
    coordinator_client.post(
        "/admin/news/subscriber/importer/", {"file": upload, "source_detail": "AG"}
    )
    assert Subscriber.objects.get().source_detail == "AG — bulletin signé à l'AG"
    huge = SimpleUploadedFile(
        "liste.csv", b"email\n" + b"x@example.org\n" * (IMPORT_MAX_BYTES // 10)
    )
    response = coordinator_client.post(
        "/admin/news/subscriber/importer/", {"file": huge, "source_detail": "trop"}
    )
    assert response.status_code == 200 and "trop gros" in response.content.decode()
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_composing_leaves_an_issue_already_sent_as_its_readers_received_it(
    coordinator_client, newsletter
):
    issue = Issue.objects.get(number=1)  # the demo's, sent
    before = list(issue.sections.values_list("title", "body"))
    coordinator_client.post(
        "/admin/news/issue/", {"action": "compose", "_selected_action": [issue.pk]}
    )
    assert list(issue.sections.values_list("title", "body")) == before


def test_a_lead_links_an_article_to_their_groups_projects_and_published_events(
    lead_client, two_groups
):
    """The article's form offers a lead their groups and projects, and the network's published
    events: not another group's projects, nor an event still in preparation."""
    from tests.factories import EventFactory

    public = EventFactory(title="Forum public", is_published=True)
    hidden = EventFactory(title="Forum en préparation", is_published=False)
    form = lead_client.get(reverse("admin:news_article_add")).context["adminform"].form
    assert list(form.fields["group"].queryset) == [two_groups.group_a]
    assert list(form.fields["project"].queryset) == [two_groups.project_a]
    events = list(form.fields["event"].queryset)
    assert public in events and hidden not in events


def _issue_form(issue: Issue, **changed_bodies: str) -> dict:
    """The issue's change form as the browser sends it back: every section, each textarea with
    « \\r\\n » line ends, and the bodies given (by title) as the coordinator typed them."""
    sections = list(issue.sections.all())
    data = {
        "number": issue.number,
        "title": issue.title,
        "editorial": issue.editorial,
        "period_start": "",
        "published_at_0": "",
        "published_at_1": "",
        "send_at_0": "",
        "send_at_1": "",
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for index, section in enumerate(sections):
        body = changed_bodies.get(section.title, section.body)
        data |= {
            f"sections-{index}-id": section.pk,
            f"sections-{index}-issue": issue.pk,
            f"sections-{index}-order": section.order,
            f"sections-{index}-kind": section.kind,
            f"sections-{index}-title": section.title,
            f"sections-{index}-body": body.replace("\n", "\r\n"),
            f"sections-{index}-link": section.link,
        }
    return data


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_composing_again_keeps_the_proposed_sections_the_coordinator_edited(coordinator_client):
    edited = ArticleFactory(title="La friperie ouvre", summary="Une friperie.")
    untouched = ArticleFactory(title="Le garage", summary="Un garage.\nDes ateliers.")
    issue = Issue.objects.create(number=2, title="Lettre d'automne")
    compose = {"action": "compose", "_selected_action": [issue.pk]}
    coordinator_client.post("/admin/news/issue/", compose)
    typed = "Une friperie, rue Voltaire\u00a0: venez nombreux."
    response = coordinator_client.post(
        f"/admin/news/issue/{issue.pk}/change/",
        _issue_form(issue, **{"La friperie ouvre": typed}),
    )
    assert response.status_code == 302, response.context["errors"]
    # The records change, then the coordinator composes again.
    untouched.summary = "Le garage recrute."
    untouched.save()
    edited.summary = "Une friperie, enfin."
    edited.save()
    response = coordinator_client.post("/admin/news/issue/", compose, follow=True)
    by_title = {s.title: s.body for s in issue.sections.all()}
    assert by_title["La friperie ouvre"] == typed  # as they wrote it
    assert by_title["Le garage"] == "Le garage recrute."  # untouched: refreshed
    assert issue.sections.filter(link=edited.get_absolute_url()).count() == 1  # no second one
    assert issue.sections.filter(link=untouched.get_absolute_url()).count() == 1
    notice = " ".join(str(m) for m in response.context["messages"])
    assert "gardées telles que vous les avez modifiées\u00a0: «\u00a0La friperie ouvre\u00a0»" in (
        notice
    )
    assert "Le garage" not in notice
