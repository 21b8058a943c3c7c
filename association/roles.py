"""The roles of the back-office: the coordinator's and the group leads', each one declared
list of permissions, applied after every `migrate`.

Each app's models get a line here when they appear. The groups are rebuilt from these lists,
so a permission removed here is removed from the group too: what each role may do is read
here, not clicked together in the admin.

A lead's permissions are on the models of the working groups; which groups is another matter:
without `groups.manage_every_group` (the coordinator's), an account sees only the groups it
leads (`groups/admin/scoping.py`)."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission


def back_office_session(request) -> bool:
    """Whether the request comes from a staff member's back-office session as the admin lets
    one in: active staff and, with ADMIN_REQUIRE_2FA on, verified by a one-time code
    (django-otp). Every page that trusts a back-office account outside the admin asks here."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return not settings.ADMIN_REQUIRE_2FA or user.is_verified()


COORDINATOR_GROUP = "coordinateur"
LEAD_GROUP = "chef de file"

ALL = ("view", "add", "change", "delete")

# app label -> model name -> actions
COORDINATOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "association": {
        "siteidentity": ("view", "change"),
        # A dated legal form is added (a transformation); an old one stays for old documents.
        "legalstatus": ("view", "add"),
        "yearlyfigures": ALL,
        "venue": ALL,
    },
    "members": {
        "structure": ALL,
        "person": ALL,
        "membership": (*ALL, "import", "export"),
    },
    "outbox": {
        # Mails are a record, never edited: « change » is what « Renvoyer » needs.
        "outgoingmail": ("view", "change"),
    },
    "joining": {
        # Requests come from the public form (no add); delete serves erasure on request.
        "joinrequest": ("view", "change", "delete"),
    },
    "groups": {
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
    },
    "space": {
        # Requests come from the partners' space; « change » marks one handled.
        "erasurerequest": ("view", "change", "delete"),
    },
    "events": {
        "event": ALL,
        "session": ALL,
        "sessionspeaker": ALL,
        # Registrations come from the public page (no add); « change » serves « Annuler »,
        # delete serves erasure on request.
        "registration": ("view", "change", "delete"),
        "registrationnotice": ("view",),
    },
    "scic": {
        "college": ALL,
        "category": ALL,
        # The rules are loaded by a migration: edited (thresholds, references), never added.
        "rule": ("view", "change"),
        # The register is a legal record: an associate leaves (a dated exit), is never deleted.
        "associate": ("view", "add", "change"),
        # Append-only: a correction is a new movement.
        "sharemovement": ("view", "add"),
        # Append-only too: a change of category or college is a new dated entry.
        "placement": ("view", "add"),
        "generalassembly": ALL,
        "resolution": ALL,
        "attendance": ALL,
        "votecount": ALL,
    },
    "report": {
        "activityreport": ALL,
        "activitycount": ALL,
        "cooperation": ALL,
        "staffcontract": ALL,
        "projectstatuschange": ALL,
    },
}


# A lead runs their own groups: description, participants, meetings (series, invitations,
# attendance, minutes), documents and projects. Of the member file they only see, read-only,
# the people and structures taking part in their groups, and add people to their own groups
# (« Ajouter un participant », groups/services/participants.py); venues: any of them for a
# meeting's place, and a new one added from the meeting's form (changing one is the
# coordinator's: other groups meet there).
LEAD_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "association": {"venue": ("view", "add")},
    "members": {"structure": ("view",), "person": ("view",)},
    "groups": {
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
}

ROLES = {COORDINATOR_GROUP: COORDINATOR_PERMISSIONS, LEAD_GROUP: LEAD_PERMISSIONS}


def permission_codenames(declared: dict[str, dict[str, tuple[str, ...]]]) -> set[tuple[str, str]]:
    """(app label, codename) of each permission declared; an action with an underscore is a
    custom permission's whole codename (« manage_every_group »)."""
    return {
        (app_label, action if "_" in action else f"{action}_{model}")
        for app_label, models in declared.items()
        for model, actions in models.items()
        for action in actions
    }


def coordinator_permission_codenames() -> set[tuple[str, str]]:
    return permission_codenames(COORDINATOR_PERMISSIONS)


def lead_permission_codenames() -> set[tuple[str, str]]:
    return permission_codenames(LEAD_PERMISSIONS)


def _sync_group(name: str, declared: dict[str, dict[str, tuple[str, ...]]]) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    wanted = permission_codenames(declared)
    permissions = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=declared.keys()
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group


def sync_coordinator_group(**kwargs) -> Group:
    """Make the `coordinateur` group hold exactly the declared permissions."""
    return _sync_group(COORDINATOR_GROUP, COORDINATOR_PERMISSIONS)


def sync_lead_group(**kwargs) -> Group:
    """Make the `chef de file` group hold exactly the declared permissions."""
    return _sync_group(LEAD_GROUP, LEAD_PERMISSIONS)


def sync_roles(**kwargs) -> None:
    """Both roles, after every app's `migrate` (connected in `AssociationConfig.ready`)."""
    sync_coordinator_group()
    sync_lead_group()
