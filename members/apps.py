from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membres"

    def ready(self):
        from association.content import watch_app

        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
