"""When each dataset last changed, and when the data began, for the data package's
`lastModified` and `created` and the DCAT catalogue's `dct:modified`.

Each dataset's date is the last change of its own records, not the site's content version
(which every public change and every nightly harvest of the other portals moves). Where its
records carry an update timestamp (`updated_at`), that; a record deleted leaves none, so the
audit trail's last deletion of a record of that kind is read too; what has neither is said:

- structures: the structures' and their memberships' (« membre de l'année ») `updated_at`, the
  trail's deletions of structures; a structure joining or leaving a group (a many-to-many,
  without a timestamp) is not seen;
- groupes: the groups' `updated_at`, the trail's deletions;
- reunions: the meetings' `updated_at` (samples aside, whatever their date, so a meeting moved
  out of the window counts) and their groups' (the group's name is a column), the trail's
  deletions; a venue renamed (no timestamp) is not seen, nor a meeting leaving the window of
  twelve months as the days pass;
- evenements: the events' `updated_at` (published or not: an event unpublished leaves); the
  trail does not record events, so a deleted event is not seen, nor a venue renamed;
- projets: the projects' `updated_at`, and the trail's last change to a project (its carrying
  structures are a many-to-many the trail records, `updated_at` does not move);
- indicateurs: the definitions are the portal's code: the last migration applied, that is the
  last upgrade of the portal;
- chiffres: computed from records without timestamps (attendance, activity reports, staff
  positions, declared figures, cooperations): the trail's last change to any of them, or to a
  meeting or a project.

`created` is the first record's creation among those that carry one. Seven queries whatever
the data."""

import datetime
from dataclasses import dataclass

from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max, Min, Q
from django.utils import timezone

from audit.models import AuditEntry
from events.models import Event
from groups.models import Meeting, Project, WorkingGroup
from members.models import Structure

# What the figures are computed from, as (app label, model) of the trail.
FIGURE_RECORDS = (
    ("groups", "meeting"),
    ("groups", "meetinganswer"),
    ("groups", "project"),
    ("groups", "projectstatuschange"),
    ("report", "activityreport"),
    ("report", "activitycount"),
    ("report", "staffcontract"),
    ("report", "cooperation"),
    ("report", "yearlyfigures"),
)
# Each dataset's records the trail records the deletions of.
DELETIONS = {
    "structures": ("members", "structure"),
    "groupes": ("groups", "workinggroup"),
    "reunions": ("groups", "meeting"),
    "projets": ("groups", "project"),
}


@dataclass(frozen=True)
class Dates:
    created: datetime.datetime
    modified: datetime.datetime  # the newest of `by_dataset`
    by_dataset: dict[str, datetime.datetime]


def _latest(*moments) -> datetime.datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def _trail() -> dict[tuple[str, str, int], datetime.datetime]:
    """The trail's last entry of each (app label, model, action) of `DELETIONS` and
    `FIGURE_RECORDS`: one query."""
    condition = Q()
    for app_label, model in {*DELETIONS.values(), *FIGURE_RECORDS}:
        condition |= Q(content_type__app_label=app_label, content_type__model=model)
    rows = (
        AuditEntry.objects.filter(condition)
        .values("content_type__app_label", "content_type__model", "action")
        .annotate(last=Max("timestamp"))
        .order_by()
    )
    return {
        (row["content_type__app_label"], row["content_type__model"], row["action"]): row["last"]
        for row in rows
    }


def dataset_dates() -> Dates:
    structures = Structure.objects.aggregate(
        created=Min("created_at"),
        modified=Max("updated_at"),
        memberships=Max("memberships__updated_at"),
    )
    groups = WorkingGroup.objects.aggregate(created=Min("created_at"), modified=Max("updated_at"))
    meetings = Meeting.objects.filter(is_sample=False).aggregate(
        created=Min("created_at"), modified=Max("updated_at"), groups=Max("group__updated_at")
    )
    events = Event.objects.aggregate(created=Min("created_at"), modified=Max("updated_at"))
    projects = Project.objects.aggregate(created=Min("created_at"), modified=Max("updated_at"))
    upgraded = MigrationRecorder.Migration.objects.aggregate(last=Max("applied"))["last"]
    trail = _trail()

    def deleted(name: str):
        return trail.get((*DELETIONS[name], AuditEntry.Action.DELETE))

    found = {
        "structures": _latest(
            structures["modified"], structures["memberships"], deleted("structures")
        ),
        "groupes": _latest(groups["modified"], deleted("groupes")),
        "reunions": _latest(meetings["modified"], meetings["groups"], deleted("reunions")),
        "evenements": events["modified"],
        "projets": _latest(
            projects["modified"],
            *(last for (*kind, _), last in trail.items() if tuple(kind) == DELETIONS["projets"]),
        ),
        "indicateurs": upgraded,
        "chiffres": _latest(
            *(last for (*kind, _), last in trail.items() if tuple(kind) in FIGURE_RECORDS)
        ),
    }
    # A dataset with no record yet (an empty portal) takes the newest date of the others.
    newest = _latest(*found.values()) or timezone.now()
    firsts = [
        moment
        for moment in (
            structures["created"],
            groups["created"],
            meetings["created"],
            events["created"],
            projects["created"],
        )
        if moment is not None
    ]
    return Dates(
        created=_second(min(firsts) if firsts else newest),
        modified=_second(newest),
        by_dataset={name: _second(moment or newest) for name, moment in found.items()},
    )


def _second(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(microsecond=0)
