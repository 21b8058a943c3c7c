"""Working groups, their leads and contacts, their meetings (planned one by one or as a series,
with invitations, answers, reminders and attendance), their documents and the projects they
support."""

from groups.models.answers import (
    InvitationOptOut,
    MeetingAnswer,
    MeetingAnswerQuerySet,
    MeetingMailKind,
    MeetingReminder,
)
from groups.models.documents import Document, DocumentQuerySet
from groups.models.groups import (
    GroupContact,
    GroupContactQuerySet,
    GroupLead,
    LeadMailKind,
    WorkingGroup,
    WorkingGroupQuerySet,
    label_names_person,
)
from groups.models.meetings import Meeting, MeetingQuerySet
from groups.models.projects import Project, ProjectStatusChange, ProjectUpdate
from groups.models.series import MeetingSeries

__all__ = [
    "Document",
    "DocumentQuerySet",
    "GroupContact",
    "GroupContactQuerySet",
    "GroupLead",
    "InvitationOptOut",
    "LeadMailKind",
    "Meeting",
    "MeetingAnswer",
    "MeetingAnswerQuerySet",
    "MeetingMailKind",
    "MeetingQuerySet",
    "MeetingReminder",
    "MeetingSeries",
    "Project",
    "ProjectStatusChange",
    "ProjectUpdate",
    "WorkingGroup",
    "WorkingGroupQuerySet",
    "label_names_person",
]
