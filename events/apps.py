from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from association.content import watch_app
        from events.personal_data import REGISTRATIONS, delete_past_registrations
        from members.services.personal_data import register_personal_data
        from members.services.retention import register_retention_rule

        register_personal_data(REGISTRATIONS)
        register_retention_rule(delete_past_registrations)
        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
