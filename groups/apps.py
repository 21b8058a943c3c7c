from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Groupes de travail"

    def ready(self):
        from association.content import watch_app
        from groups.models import InvitationOptOut, MeetingAnswer, Project, WorkingGroup
        from groups.personal_data import CONTACTS, LEADS, forget_guest_answers
        from members.services.personal_data import (
            DELETED_WITH_PERSON,
            declare_personal_data,
            keep_for_figures,
            register_personal_data,
        )
        from members.services.retention import register_retention_rule

        register_personal_data(LEADS)
        register_personal_data(CONTACTS)
        # Who came to a meeting is what the yearly figures count: kept, anonymised.
        keep_for_figures(MeetingAnswer)
        register_retention_rule(forget_guest_answers)
        declare_personal_data(InvitationOptOut, DELETED_WITH_PERSON)
        declare_personal_data(WorkingGroup, "no person's data: a group's name")
        declare_personal_data(Project, "no person's data: a project's name")
        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)
