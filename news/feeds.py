"""RSS and Atom feeds of the published articles (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from association.calendars import uid_host
from association.identity import get_site_identity, site_url
from association.page_cache import cached_page
from news.models import Article
from news.views.articles import note_next_publication

FEED_ITEMS = 30


@cached_page()
class ArticleFeed(Feed):
    def get_object(self, request, *args, **kwargs):
        note_next_publication(request)  # a programmed article enters the feed at its hour
        site = get_site_identity(request)
        site.uid_domain = uid_host(site_url(), site)
        return site

    def title(self, site):
        return f"Actualités — {site.name}"

    def description(self, site):
        return f"Les nouvelles du réseau — {site.name}"

    def link(self):
        return reverse("news:article_list")

    def items(self, site):
        articles = list(Article.objects.published().newest_first()[:FEED_ITEMS])
        for article in articles:
            article.uid_domain = site.uid_domain
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        """A `tag:` URI (RFC 4151) that neither the slug nor the host can change."""
        day = timezone.localdate(item.created_at).isoformat()
        return f"tag:{item.uid_domain},{day}:article-{item.pk}"

    item_guid_is_permalink = False


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    subtitle = ArticleFeed.description
