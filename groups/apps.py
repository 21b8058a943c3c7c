from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Groupes de travail"

    def ready(self):
        from audit.registry import register as audit
        from audit.registry import register_naming, register_scope
        from groups import models as groups
        from groups.admin.scoping import trail_names, trail_scope

        # A lead sees the history of their groups' records (`scope`: the record's group).
        audit(
            groups.WorkingGroup,
            m2m=("participant_people", "participant_structures"),
            scope="pk",
        )
        for model in (groups.GroupLead, groups.GroupContact, groups.Meeting, groups.MeetingSeries):
            audit(model, scope="group_id")
        audit(groups.Project, m2m=("structures",), scope="group_id")
        audit(groups.MeetingAnswer, scope=lambda answer: answer.meeting.group_id)
        audit(
            groups.Document,
            scope=lambda document: (
                document.group_id or (document.meeting.group_id if document.meeting_id else None)
            ),
        )
        audit(groups.ProjectUpdate, scope=lambda update: update.project.group_id)
        audit(groups.ProjectStatusChange, scope=lambda change: change.project.group_id)
        register_scope(trail_scope)
        register_naming(trail_names)

        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, LEAD_GROUP, register_permissions
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

        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "workinggroup": (*ALL, "manage_every_group"),
                "grouplead": ALL,
                "groupcontact": ALL,
                "meeting": ALL,
                "meetingseries": ALL,
                # Answers come from the participants' links; presence from closing a meeting.
                "meetinganswer": ("view", "change"),
                "meetingreminder": ("view",),
                "invitationoptout": ("view", "delete"),
                "project": ALL,
                "projectupdate": ALL,
                "document": ALL,
                # Written when a project's status changes; corrected here.
                "projectstatuschange": ALL,
            },
        )
        # A lead runs their own groups (groups/admin/scoping.py): description, participants,
        # meetings (series, invitations, attendance, minutes), documents and projects.
        register_permissions(
            LEAD_GROUP,
            self.label,
            {
                "workinggroup": ("view", "change"),
                "grouplead": ("view",),
                "groupcontact": ALL,
                "meeting": ALL,
                "meetingseries": ALL,
                "meetinganswer": ("view", "change"),
                "meetingreminder": ("view",),
                "invitationoptout": ("view",),
                "project": ALL,
                "projectupdate": ALL,
                "document": ALL,
            },
        )
