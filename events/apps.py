from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, register_permissions
        from events.models import Event, SessionSpeaker
        from events.personal_data import REGISTRATIONS, delete_past_registrations
        from members.services.personal_data import (
            DELETED_WITH_PERSON,
            declare_personal_data,
            register_personal_data,
        )
        from members.services.retention import register_retention_rule

        register_personal_data(REGISTRATIONS)
        register_retention_rule(delete_past_registrations)
        declare_personal_data(SessionSpeaker, DELETED_WITH_PERSON)
        declare_personal_data(Event, "no person's data: a public event's programme")
        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)

        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "event": ALL,
                "session": ALL,
                "sessionspeaker": ALL,
                # Registrations come from the public page (no add); « change » serves
                # « Annuler », delete serves erasure on request.
                "registration": ("view", "change", "delete"),
                "registrationnotice": ("view",),
            },
        )
