"""The privacy notice: what the member file holds, why, for how long, and the rights."""

from django.conf import settings
from django.views.generic import TemplateView

from association.page_cache import cached_page
from members.privacy import PRIVACY_NOTICE_VERSION, retention_periods


@cached_page()
class PrivacyView(TemplateView):
    """The privacy notice: what is collected, why, how long (from the settings), and rights."""

    template_name = "members/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice_version"] = PRIVACY_NOTICE_VERSION
        context["periods"] = retention_periods()
        context["rate_window_minutes"] = max(1, settings.JOIN_RATE_WINDOW // 60)
        context["newsletter_unconfirmed_days"] = settings.NEWSLETTER_UNCONFIRMED_DAYS
        return context
