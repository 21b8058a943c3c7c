from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Groupes de travail"

    def ready(self):
        from association.content import watch_app
        from groups.models import MeetingAnswer
        from groups.personal_data import CONTACTS, LEADS, forget_guest_answers
        from members.services.personal_data import keep_for_figures, register_personal_data
        from members.services.retention import register_retention_rule

        register_personal_data(LEADS)
        register_personal_data(CONTACTS)
        # Who came to a meeting is what the yearly figures count: kept, anonymised.
        keep_for_figures(MeetingAnswer)
        register_retention_rule(forget_guest_answers)
        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
