"""The newsletter on the web: the archive /lettre/ and a page per issue, laid out for print
(A4, in columns) by its own stylesheet.

An issue reserved to some groups' participants is in no public list and its page answers 404,
but to the coordination (staff allowed to view issues) and through the signed « voir dans le
navigateur » link of each recipient's mail; such a page is never stored by a cache nor
indexed."""

from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from association.page_cache import cached_page
from association.signed_links import invalid_link_page
from news.models import Issue
from news.services.sending import issue_of_read_token
from news.views.articles import note_next_publication


@cached_page()
class IssueListView(ListView):
    template_name = "news/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        note_next_publication(self.request)
        return Issue.objects.public().order_by("-number")


def _keep_private(response):
    """A reserved issue's page: for its reader only, in no shared cache, in no search engine."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@cached_page()
class IssueDetailView(DetailView):
    template_name = "news/issue_detail.html"
    context_object_name = "issue"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return Issue.objects.published().with_reserved().prefetch_related("sections")

    def get_object(self, queryset=None):
        issue = super().get_object(queryset)
        # The user is looked at for a reserved issue only: a public page reads no session,
        # and stays in the page cache.
        user = self.request.user if issue.reserved else None
        if user is not None and not (user.is_staff and user.has_perm("news.view_issue")):
            raise Http404
        return issue

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return _keep_private(response) if self.object.reserved else response


class IssueReadView(IssueDetailView):
    """The page of an issue by a recipient's signed link (`news.services.sending.read_url`)."""

    cached_page = None  # a personal link: never in the page cache

    def get_object(self, queryset=None):
        token, number = self.kwargs["token"], self.kwargs["number"]
        issue = issue_of_read_token(token, number=number, issues=self.get_queryset())
        if issue is None:
            raise Http404
        return issue

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return invalid_link_page(
                request,
                heading="Ce lien ne fonctionne pas",
                message="Il est incomplet ou a été modifié, ou la lettre n'est plus en ligne.",
                back_url=reverse("news:issue_list"),
                back_label="Les lettres du PTCE",
                status=404,
            )

    def render_to_response(self, context, **response_kwargs):
        return _keep_private(super().render_to_response(context, **response_kwargs))
