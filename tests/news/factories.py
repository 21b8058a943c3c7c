"""Factories of the news app's records (re-exported by tests/factories.py)."""

import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from news.models import Article, Issue, Subscriber

# The admin's article form as the coordinator fills it to publish at once (date left empty).
PUBLISHED_ARTICLE_FORM = {
    "title": "La friperie ouvre",
    "slug": "friperie",
    "summary": "Une friperie.",
    "body": "Texte.",
    "image_alt": "",
    "status": "published",
    "published_at_0": "",
    "published_at_1": "",
}


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Actualité {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Les nouvelles du réseau."
    body = "Le **groupe** avance."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lettre d'information n° {n + 1}")


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    status = Subscriber.Status.CONFIRMED
    source = Subscriber.Source.FORM
    consent_version = "2026-12"
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
