from django.views.generic import TemplateView


class JoinView(TemplateView):
    """Placeholder until the join-us form lands (issue 4)."""

    template_name = "members/join.html"


class PrivacyView(TemplateView):
    """Placeholder until the privacy page is written (issue 4)."""

    template_name = "members/privacy.html"
