"""The newsletter: composed from the records, on the web (archive, page, print), by e-mail (HTML
that holds in the common clients, a real plain-text alternative), previewed in the admin; the
demo's issue n° 1 reads like the summer-2025 seed."""

import html
import re

import pytest
from django.utils import timezone

from association.identity import site_url
from news.models import Issue, Section, Subscriber
from news.services.composing import compose_issue
from news.services.sending import personal_mail, recipients, render_issue_mail
from news.services.subscriptions import request_subscription
from tests.factories import ArticleFactory, PersonFactory, WorkingGroupFactory


@pytest.mark.django_db
def test_the_demo_loads_the_summer_2025_newsletter_as_issue_1(client, newsletter):
    page = client.get("/lettre/1/").content.decode()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert "Lettre d'information — été 2025" in text
    for expected in (
        "Premier séminaire du PTCE Hénin-Carvin",
        "Merci à Jean-Michel BONDU",
        "L'année 2024 en chiffres",
        "34 réunions organisées",
        "1 932",
        "Mobilité sociale, solidaire et inclusive",
        "vendredi 12 septembre 2025",
        "Friperie solidaire",
        # The seed's group news, its welcome to the development officer and its new office.
        "Le garage solidaire de Courrières poursuit son développement",
        "Le maraîchage de Drocourt continue de fleurir",
        "vendredi 12 septembre 2025 à 9 h, Garage solidaire (Courrières)",
        "Bienvenue à Rodolphe MOGLIA",
        "Un nouveau local pour impulser la coopération",
    ):
        assert expected in text, expected
    assert 'href="/lettre/1/"' in client.get("/lettre/").content.decode()
    assert 'href="/lettre/1/"' in client.get("/").content.decode()
    assert "newsletter.css" in page  # the print layout: A4, two columns
    assert "PTCE et CAHC\u00a0: un travail en collaboration\u202f!" in html.unescape(page)


@pytest.mark.django_db
def test_composing_again_replaces_the_proposal_and_keeps_the_free_sections():
    group = WorkingGroupFactory(is_active=True)
    article = ArticleFactory(title="Ancienne")
    issue = Issue.objects.create(number=7, title="Lettre")
    Section.objects.create(issue=issue, kind=Section.Kind.FREE, title="Édito libre", order=1)
    compose_issue(issue=issue)
    assert "Ancienne" in issue.sections.values_list("title", flat=True)
    article.delete()  # the records no longer give it: its untouched section goes
    compose_issue(issue=issue)
    titles = list(issue.sections.values_list("title", flat=True))
    assert "Édito libre" in titles and "Ancienne" not in titles
    assert group.name not in titles  # a group with nothing to tell is left out


def _issue_with_sections() -> Issue:
    issue = Issue.objects.create(
        number=3,
        title="Lettre d'automne",
        editorial="Bonjour <script>alert(1)</script> **à tous**",
        published_at=timezone.now(),
    )
    body = "Des [ateliers](/groupes/mobilite/)."
    Section.objects.create(issue=issue, title="Le garage", body=body, link="/groupes/")
    return issue


@pytest.mark.django_db
def test_the_mail_holds_in_the_common_clients_with_a_real_plain_text_alternative():
    issue = _issue_with_sections()
    subscriber = request_subscription(email="ana@example.org")
    mail = personal_mail(render_issue_mail(issue), subscriber)
    body, text = mail["body_html"], mail["body_text"]
    assert "<script" not in body
    assert 'role="presentation"' in body and 'style="' in body  # table layout, inline styles
    assert 'name="color-scheme" content="light dark"' in body
    hrefs = re.findall(r'href="([^"]+)"', body)
    assert hrefs and all(h.startswith(site_url() + "/") for h in hrefs)
    assert f'href="{site_url()}/groupes/mobilite/"' in body
    assert "Voir cette lettre dans le navigateur" in body
    assert f"{site_url()}/lettre/3/" in body and f"{site_url()}/lettre/3/" in text
    # The signed personal unsubscribe link, in both bodies and in the header's field.
    assert mail["unsubscribe_url"] in body and mail["unsubscribe_url"] in text
    assert "/lettre/desabonnement/" in mail["unsubscribe_url"]
    assert "<p>" not in text and "<table" not in text and "**" not in text  # no markup
    assert "Le garage" in text and "ateliers (/groupes/mobilite/)" in text
    assert f"En savoir plus : {site_url()}/groupes/" in text


@pytest.mark.django_db
def test_a_segment_reaches_only_the_participants_of_the_chosen_groups():
    chosen, other = WorkingGroupFactory(), WorkingGroupFactory()
    inside = PersonFactory(email="in@example.org")
    inside.working_groups.add(chosen)
    outside = PersonFactory(email="out@example.org")
    outside.working_groups.add(other)
    for person in (inside, outside):
        Subscriber.objects.create(
            email=person.email,
            person=person,
            status="confirmed",
            source="space",
            consent_version="x",
            requested_at=timezone.now(),
            confirmed_at=timezone.now(),
        )
    issue = Issue.objects.create(number=4, title="Réservée")
    assert recipients(issue).count() == 2
    issue.audience_groups.add(chosen)
    assert list(recipients(issue).values_list("email", flat=True)) == ["in@example.org"]


@pytest.mark.django_db
def test_the_admin_previews_web_print_and_mail_side_by_side(coordinator_client):
    issue = _issue_with_sections()
    page = coordinator_client.get(f"/admin/news/issue/{issue.pk}/apercu/").content.decode()
    assert "Web" in page and "Impression (A4, deux colonnes)" in page and "E-mail" in page
    assert "Version texte" in page
    mail = coordinator_client.get(f"/admin/news/issue/{issue.pk}/apercu/courriel/")
    assert mail.status_code == 200 and "default-src 'none'" in mail["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_proposed_figures_never_print_an_unknown_figure_as_zero():
    """The report says « non renseigné » when no sign-in sheet was entered for the meetings
    held: the newsletter must not mail « 0 membres impliqués » instead."""
    import datetime

    from tests.factories import MeetingFactory

    MeetingFactory(date=datetime.date(2025, 3, 4), status="held")
    issue = Issue.objects.create(number=8, title="Lettre")
    compose_issue(issue=issue, today=datetime.date(2026, 2, 1))
    figures = issue.sections.get(kind=Section.Kind.FIGURES)
    assert "**1** réunion organisée" in figures.body
    assert "membres impliqués" not in figures.body
    assert "**0**" not in figures.body
    assert figures.link == "/bilan/2025/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example"]
)
def test_a_section_link_is_a_page_of_the_site_or_a_web_address(link):
    from django.core.exceptions import ValidationError

    issue = Issue.objects.create(number=9, title="Lettre")
    with pytest.raises(ValidationError) as raised:
        Section(issue=issue, title="Lien", link=link).full_clean()
    assert "link" in raised.value.message_dict
    for good in ("/groupes/mobilite/", "https://ptce-hc.fr/"):
        Section(issue=issue, title="Lien", link=good).full_clean()


@pytest.mark.django_db
def test_a_groups_news_reads_in_french_with_its_next_dates_hour_and_place():
    """« Projet : ouverture… ; dépôt… » (no capital after a colon or a semicolon), and the
    next dates as the seed gives them: the hour and the place."""
    import datetime

    from tests.factories import (
        MeetingFactory,
        ProjectFactory,
        ProjectUpdateFactory,
        VenueFactory,
    )

    group = WorkingGroupFactory(is_active=True)
    project = ProjectFactory(group=group, name="Friperie", is_published=True)
    ProjectUpdateFactory(project=project, date=datetime.date(2025, 3, 1), text="Ouverture.")
    ProjectUpdateFactory(project=project, date=datetime.date(2025, 4, 1), text="Dépôt du CV.")
    venue = VenueFactory(name="Garage solidaire", town="Courrières")
    MeetingFactory(group=group, date=datetime.date(2025, 9, 12), venue=venue)
    MeetingFactory(group=group, date=datetime.date(2025, 9, 5), is_cancelled=True)
    issue = Issue.objects.create(number=10, title="Lettre", period_start=datetime.date(2025, 1, 1))
    compose_issue(issue=issue, today=datetime.date(2025, 7, 1))
    body = issue.sections.get(kind=Section.Kind.GROUP).body
    assert "**Friperie**\u00a0: ouverture\u00a0; dépôt du CV." in body
    assert (
        "vendredi 12\u00a0septembre 2025 à\u00a014\u00a0h, Garage solidaire (Courrières)" in body
    )
    assert "5\u00a0septembre" not in body  # cancelled


@pytest.mark.django_db
def test_a_segment_reaches_a_participant_who_subscribed_from_the_public_form():
    """Most participants subscribe from the footer's form, which knows only an address: the
    segment finds them by it, whatever its case."""
    from news.services.subscriptions import confirm_subscription

    chosen = WorkingGroupFactory()
    participant = PersonFactory(email="Camille@Example.org")
    participant.working_groups.add(chosen)
    confirm_subscription(subscriber=request_subscription(email="camille@example.org"))
    confirm_subscription(subscriber=request_subscription(email="autre@example.org"))
    issue = Issue.objects.create(number=11, title="Réservée")
    issue.audience_groups.add(chosen)
    assert list(recipients(issue).values_list("email", flat=True)) == ["camille@example.org"]


@pytest.mark.django_db
def test_the_next_issue_proposes_the_articles_published_after_the_previous_one_that_day():
    """Issue n° 1 went out at 17:00 with the morning's article: n° 2 proposes the evening's,
    not the morning's again."""
    import datetime

    from tests.news.factories import ArticleFactory

    tz = timezone.get_current_timezone()
    day = datetime.date(2025, 7, 1)
    at = lambda hour: datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)  # noqa: E731
    ArticleFactory(title="Le matin", published_at=at(9))
    ArticleFactory(title="Le soir", published_at=at(18))
    Issue.objects.create(number=1, title="Lettre 1", published_at=at(17))
    second = Issue.objects.create(number=2, title="Lettre 2")
    compose_issue(issue=second, today=day)
    titles = list(
        second.sections.filter(kind=Section.Kind.ARTICLE).values_list("title", flat=True)
    )
    assert titles == ["Le soir"]


@pytest.mark.django_db
def test_a_letter_reserved_to_a_group_does_not_end_the_next_public_letters_period():
    """N° 2 went to one group only: n° 3, to everyone, proposes what came after n° 1; a letter
    to that group again starts after n° 2."""
    import datetime

    from tests.factories import WorkingGroupFactory
    from tests.news.factories import ArticleFactory

    tz = timezone.get_current_timezone()
    at = lambda day: datetime.datetime.combine(day, datetime.time(17), tzinfo=tz)  # noqa: E731
    group = WorkingGroupFactory()
    Issue.objects.create(number=1, title="Lettre 1", published_at=at(datetime.date(2025, 5, 1)))
    ArticleFactory(title="En mai", published_at=at(datetime.date(2025, 5, 20)))
    reserved = Issue.objects.create(
        number=2, title="Pour le groupe", published_at=at(datetime.date(2025, 6, 1))
    )
    reserved.audience_groups.add(group)
    ArticleFactory(title="En juin", published_at=at(datetime.date(2025, 6, 20)))

    def proposed_titles(issue):
        compose_issue(issue=issue, today=datetime.date(2025, 7, 1))
        sections = issue.sections.filter(kind=Section.Kind.ARTICLE)
        return list(sections.values_list("title", flat=True))

    public = Issue.objects.create(number=3, title="Lettre 3")
    assert proposed_titles(public) == ["En mai", "En juin"]
    again = Issue.objects.create(number=4, title="Pour le groupe encore")
    again.audience_groups.add(group)
    assert proposed_titles(again) == ["En juin"]
