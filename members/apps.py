from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membres"

    def ready(self):
        from association.content import watch_app
        from members.models import Structure
        from members.services.personal_data import declare_personal_data

        declare_personal_data(Structure, "no person's data: an organisation's own details")

        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
