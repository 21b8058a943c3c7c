from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from association.content import watch_app

        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
