"""sitemap.xml: the public pages, the groups, meetings, published events and structures."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event
from groups.models import Meeting, WorkingGroup
from members.models import Structure
from news.models import Article, Issue


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "site:home",
            "site:agenda",
            "groups:group_list",
            "events:event_list",
            "news:article_list",
            "news:issue_list",
            "news:subscribe",
            "site:structure_list",
            "site:about",
            "joining:join",
            "site:legal_notice",
            "members:privacy",
        ]

    def location(self, item):
        return reverse(item)


class GroupSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return WorkingGroup.objects.order_by("order", "pk")

    def lastmod(self, item):
        return item.updated_at


class MeetingSitemap(Sitemap):
    def items(self):
        return Meeting.objects.select_related("group").order_by("-date", "pk")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.published().order_by("-date", "pk")

    def lastmod(self, item):
        return item.updated_at


class StructureSitemap(Sitemap):
    def items(self):
        return Structure.objects.order_by("name", "pk")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().newest_first()

    def lastmod(self, item):
        return item.updated_at


class IssueSitemap(Sitemap):
    def items(self):
        return Issue.objects.public().order_by("-number")


SITEMAPS = {
    "pages": PagesSitemap,
    "groupes": GroupSitemap,
    "reunions": MeetingSitemap,
    "evenements": EventSitemap,
    "structures": StructureSitemap,
    "actualites": ArticleSitemap,
    "lettres": IssueSitemap,
}
