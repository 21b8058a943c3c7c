"""The coordinator's role: one declared list of permissions, applied after every `migrate`.

Each app's models get a line here when they appear. The group is rebuilt from this list, so a
permission removed here is removed from the group too: what the coordinator may do is read
here, not clicked together in the admin.
"""

from django.contrib.auth.models import Group, Permission

COORDINATOR_GROUP = "coordinateur"

ALL = ("view", "add", "change", "delete")

# app label -> model name -> actions
COORDINATOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "association": {
        "siteidentity": ("view", "change"),
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
        "workinggroup": ALL,
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


def coordinator_permission_codenames() -> set[tuple[str, str]]:
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in COORDINATOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def sync_coordinator_group(**kwargs) -> Group:
    """Make the `coordinateur` group hold exactly the declared permissions."""
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    wanted = coordinator_permission_codenames()
    permissions = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=COORDINATOR_PERMISSIONS.keys()
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group
