from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Groupes de travail"

    def ready(self):
        from association.content import watch_app
        from groups.personal_data import CONTACTS, LEADS
        from members.services.personal_data import register_personal_data

        register_personal_data(LEADS)
        register_personal_data(CONTACTS)
        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
