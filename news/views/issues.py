"""The newsletter on the web: the archive /lettre/ and a page per issue, laid out for print
(A4, in columns) by its own stylesheet."""

from django.views.generic import DetailView, ListView

from association.page_cache import cached_page
from news.models import Issue
from news.views.articles import note_next_publication


@cached_page()
class IssueListView(ListView):
    template_name = "news/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        note_next_publication(self.request)
        return Issue.objects.published().order_by("-number")


@cached_page()
class IssueDetailView(DetailView):
    template_name = "news/issue_detail.html"
    context_object_name = "issue"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return Issue.objects.published().prefetch_related("sections")
