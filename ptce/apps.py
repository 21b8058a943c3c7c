from django.apps import AppConfig


class PtceConfig(AppConfig):
    """The top floor: the public pages that combine apps (home, agenda, directory, sitemaps,
    theme) over every app below."""

    name = "ptce"
    verbose_name = "Portail"

    def ready(self):
        from association.identity import annotate_site_identity
        from ptce.theme import groups_changed

        annotate_site_identity("groups_changed", groups_changed)
