"""Public pages of the news: the list, an article's page, and their feeds (`news/feeds.py`)."""

from django.utils import timezone
from django.views.generic import DetailView, ListView

from association.identity import get_site_identity, site_url
from association.page_cache import cached_page, changes_at, page_number
from news.models import Article, Issue

PER_PAGE = 12


def _public_articles():
    return Article.objects.published().select_related("group", "event", "project", "structure")


@cached_page(page=page_number)
class ArticleListView(ListView):
    template_name = "news/article_list.html"
    context_object_name = "articles"
    paginate_by = PER_PAGE

    def get_queryset(self):
        note_next_publication(self.request)
        return _public_articles().newest_first()


@cached_page()
class ArticleDetailView(DetailView):
    """A published article; drafts and programmed ones do not exist here."""

    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return _public_articles()

    def get_context_data(self, **kwargs):
        article = self.object
        site = get_site_identity(self.request)
        return super().get_context_data(jsonld=article_data(article, site), **kwargs)


def note_next_publication(request) -> None:
    """A programmed article, or an issue of the newsletter scheduled, appears by itself at its
    date, with no record saved: the page changes then (one query for both)."""
    now = timezone.now()
    upcoming = (
        Article.objects.programmed(now)
        .order_by()
        .values_list("published_at", flat=True)
        .union(Issue.objects.programmed(now).order_by().values_list("published_at", flat=True))
        .order_by("published_at")
        .first()
    )
    if upcoming is not None:
        changes_at(request, upcoming)


def article_data(article: Article, site) -> dict:
    """schema.org `NewsArticle` (JSON-LD), read by search engines and link previews. The
    association is its author and publisher: the account that typed it names a person, whom
    the page does not name either."""
    association = {"@type": "Organization", "name": site.name, "url": site_url() + "/"}
    if site.logo:
        association["logo"] = {"@type": "ImageObject", "url": site_url() + site.logo.url}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": site_url() + article.get_absolute_url(),
        "inLanguage": "fr",
        "author": association,
        "publisher": association,
    }
    if article.image:
        data["image"] = [site_url() + article.image.url]
    return data
