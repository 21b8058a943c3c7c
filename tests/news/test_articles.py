"""News articles: sanitised Markdown, published ones only, their feeds, JSON-LD, sitemap and
the links from home and from the group and event pages; leads write drafts, the coordinator
publishes."""

import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from association.roles import LEAD_GROUP
from news.models import Article
from news.services.articles import save_article
from tests.factories import EventFactory, UserFactory, WorkingGroupFactory


def make_article(**fields) -> Article:
    defaults = {
        "title": "La friperie solidaire ouvre",
        "slug": "friperie",
        "summary": "Une friperie au cœur de la ZAC.",
        "body": "Le **groupe** ouvre une friperie.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(hours=1),
    }
    return Article.objects.create(**(defaults | fields))


@pytest.mark.django_db
def test_no_raw_html_typed_in_the_admin_reaches_the_page(client):
    make_article(
        body="Texte <script>alert(1)</script> [piège](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [site](https://example.org)'
    )
    page = client.get("/actualites/friperie/").content.decode()
    body = page.split('class="article-body">', 1)[1].split("</div>", 1)[0]
    assert "<script>" not in body and "<img" not in body
    assert "javascript:" not in body
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in body


@pytest.mark.django_db
def test_drafts_and_programmed_articles_are_not_public(client):
    make_article(slug="brouillon", title="Brouillon", status=Article.Status.DRAFT)
    make_article(
        slug="demain", title="Demain", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    make_article(slug="paru", title="Paru")
    assert client.get("/actualites/brouillon/").status_code == 404
    assert client.get("/actualites/demain/").status_code == 404
    listing = client.get("/actualites/").content.decode()
    assert "Paru" in listing and "Brouillon" not in listing and "Demain" not in listing


@pytest.mark.django_db
def test_an_article_page_gives_news_article_data_and_feeds_list_it(client, site_identity):
    make_article()
    page = client.get("/actualites/friperie/").content.decode()
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S)[1])
    assert data["@type"] == "NewsArticle" and data["headline"] == "La friperie solidaire ouvre"
    # The association writes and publishes; no account's name reaches the page.
    association = {
        "@type": "Organization",
        "name": site_identity.name,
        "url": "http://testserver/",
    }
    assert data["author"] == data["publisher"] == association
    assert 'property="og:type" content="article"' in page
    assert '<p class="meta">Publiée le <time' in page  # an « actualité »
    assert "La friperie solidaire ouvre" in client.get("/actualites/flux.rss").content.decode()
    assert "<entry>" in client.get("/actualites/flux.atom").content.decode()
    assert "/actualites/friperie/" in client.get("/sitemap.xml").content.decode()


@pytest.mark.django_db
def test_home_group_and_event_pages_link_to_their_articles(client):
    group = WorkingGroupFactory()
    event = EventFactory(is_published=True)
    make_article(group=group, event=event)
    link = 'href="/actualites/friperie/"'
    assert link in client.get("/").content.decode()
    assert link in client.get(group.get_absolute_url()).content.decode()
    assert link in client.get(event.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_lead_writes_drafts_but_only_the_coordinator_publishes(coordinator):
    from django.contrib.auth.models import Group

    lead = UserFactory(is_staff=True)
    lead.groups.add(Group.objects.get(name=LEAD_GROUP))
    draft = Article(title="T", slug="t", summary="S", body="B")
    save_article(article=draft, user=lead, is_new=True)
    assert draft.author == lead and draft.status == Article.Status.DRAFT
    draft.status = Article.Status.PUBLISHED
    lead = type(lead).objects.get(pk=lead.pk)  # a fresh permission cache
    with pytest.raises(PermissionDenied):
        save_article(article=draft, user=lead, is_new=False)
    save_article(article=draft, user=coordinator, is_new=False)
    assert draft.published_at is not None


@pytest.mark.django_db
def test_an_image_needs_its_alt_text(coordinator):
    article = Article(title="T", slug="t", summary="S", body="B", image="actualites/x.png")
    with pytest.raises(ValidationError):
        save_article(article=article, user=coordinator, is_new=True)


@pytest.mark.django_db
def test_a_programmed_article_appears_at_its_hour_on_the_home_page_and_in_the_feeds(client):
    """Stored pages are kept until a record changes or midnight: those that list the articles
    say when the next programmed one comes out, so that it is not a day late there."""
    import time_machine

    hour = timezone.now() + datetime.timedelta(hours=1)
    make_article(slug="bientot", title="Bientôt en ligne", published_at=hour)
    pages = ("/", "/actualites/", "/actualites/flux.rss", "/actualites/flux.atom")
    for url in pages:
        assert "Bientôt en ligne" not in client.get(url).content.decode(), url
    with time_machine.travel(hour + datetime.timedelta(minutes=1)):
        for url in pages:
            assert "Bientôt en ligne" in client.get(url).content.decode(), url
