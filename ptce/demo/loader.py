"""Load the newsletter (`ptce.demo.newsletter`) into the database.

The rule is « create what is missing, never change what exists »:
- a record is looked up by its natural key (slug, name, first and last name, name and town…);
  when it is there, it is left exactly as it is, whatever the coordinator made of it;
- the parts of a record (a group's leads, contacts and meetings; a structure's membership; a
  project's progress notes and
  dated statuses; an event's programme and organisers) are created with it, and only
  then: once a group exists, a meeting the coordinator moved, cancelled or deleted is not
  brought back by the next run.
So a second run changes nothing, and `make run` can run it every time.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction

from association.models import LegalStatus, SiteIdentity, Venue
from events.models import Event, Session, SessionSpeaker
from groups.models import (
    GroupContact,
    GroupLead,
    Meeting,
    Project,
    ProjectStatusChange,
    ProjectUpdate,
    WorkingGroup,
)
from members.models import Membership, Person, Structure
from ptce.demo import news, newsletter
from report.models import (
    ActivityCount,
    ActivityReport,
    Cooperation,
    YearlyFigures,
)

_SPACE_BEFORE = re.compile(r" ([:;!?»])")
_SPACE_AFTER = re.compile(r"« ")


def typeset(text: str) -> str:
    """French typography: a non-breaking space before « : ; ! ? » and inside guillemets."""
    return _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub("\u00a0\\1", text))


def _typeset_values(values: dict) -> dict:
    return {
        key: typeset(value) if isinstance(value, str) else value for key, value in values.items()
    }


@dataclass
class Tally:
    """What one kind of record became: created, or found and left alone."""

    singular: str
    plural: str
    feminine: bool
    part_of: str = ""  # for the parts of a record: what they are created with
    created: int = 0
    existing: int = 0

    def _agree(self, word: str, count: int) -> str:
        return word + ("e" if self.feminine else "") + ("" if count == 1 else "s")

    def summary(self) -> str:
        noun = self.singular if self.created + self.existing == 1 else self.plural
        text = f"{noun}\u00a0: {self.created} {self._agree('créé', self.created)}"
        if self.part_of:
            return f"{text} (avec {self.part_of})"
        return f"{text}, {self.existing} déjà {self._agree('présent', self.existing)}"


@dataclass
class Report:
    identity_created: bool = False
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {
            "figures": Tally("bilan annuel", "bilans annuels", feminine=False),
            "venues": Tally("lieu", "lieux", feminine=False),
            "structures": Tally("structure", "structures", feminine=True),
            "memberships": Tally("adhésion", "adhésions", feminine=True, part_of="leur structure"),
            "people": Tally("personne", "personnes", feminine=True),
            "groups": Tally("groupe de travail", "groupes de travail", feminine=False),
            "leads": Tally(
                "chef ou cheffe de file",
                "chefs et cheffes de file",
                feminine=False,
                part_of="leur groupe",
            ),
            "contacts": Tally(
                "contact de groupe", "contacts de groupe", feminine=False, part_of="leur groupe"
            ),
            "meetings": Tally("réunion", "réunions", feminine=True, part_of="leur groupe"),
            "projects": Tally("projet", "projets", feminine=False),
            "updates": Tally(
                "avancée de projet", "avancées de projet", feminine=True, part_of="leur projet"
            ),
            "statuses": Tally(
                "état daté de projet",
                "états datés de projet",
                feminine=False,
                part_of="leur projet",
            ),
            "activity_reports": Tally(
                "bilan d'activité de projet", "bilans d'activité de projet", feminine=False
            ),
            "counts": Tally(
                "chiffre d'activité", "chiffres d'activité", feminine=False, part_of="leur bilan"
            ),
            "cooperations": Tally("coopération", "coopérations", feminine=True),
            "events": Tally("événement", "événements", feminine=False),
            "sessions": Tally(
                "séquence de programme",
                "séquences de programme",
                feminine=True,
                part_of="leur événement",
            ),
            "speakers": Tally(
                "intervenant·e", "intervenant·e·s", feminine=False, part_of="leur séquence"
            ),
            "articles": Tally("actualité", "actualités", feminine=True),
            "issues": Tally("lettre d'information", "lettres d'information", feminine=True),
        }
    )

    def lines(self) -> list[str]:
        identity = "créée" if self.identity_created else "déjà présente, laissée telle quelle"
        return [f"identité du site\u00a0: {identity}"] + [
            tally.summary() for tally in self.tallies.values()
        ]


class NewsletterLoader:
    def __init__(self, data=newsletter):
        self.data = data
        self.report = Report()
        self.venues: dict[str, Venue] = {}
        self.structures: dict[str, Structure] = {}
        self.people: dict[str, Person] = {}
        self.groups: dict[str, WorkingGroup] = {}
        self.projects: dict[str, Project] = {}

    @transaction.atomic
    def load(self) -> Report:
        self._load_identity()
        for values in self.data.YEARLY_FIGURES:
            self._find_or_create("figures", YearlyFigures, models.Q(year=values["year"]), values)
        for key, values in self.data.VENUES.items():
            self.venues[key], _ = self._find_or_create(
                "venues",
                Venue,
                models.Q(name__iexact=values["name"], town__iexact=values["town"]),
                values,
            )
        self._load_structures()
        self._load_people()
        for group in self.data.GROUPS:
            self._load_group(group)
        for project in self.data.PROJECTS:
            self._load_project(project)
        for report in self.data.ACTIVITY_REPORTS:
            self._load_activity_report(report)
        for cooperation in self.data.COOPERATIONS:
            self._load_cooperation(cooperation)
        for event in self.data.EVENTS:
            self._load_event(event)
        news.load_articles(self.data, self.report.tallies["articles"])
        news.load_issue(self.data, self.report.tallies["issues"])
        return self.report

    def _create(self, tally: str, model: type[models.Model], values: dict) -> models.Model:
        instance = model(**_typeset_values(values))
        instance.full_clean()
        instance.save()
        self.report.tallies[tally].created += 1
        return instance

    def _find_or_create(self, tally, model, lookup: models.Q, values: dict):
        existing = model.objects.filter(lookup).first()
        if existing is not None:
            self.report.tallies[tally].existing += 1
            return existing, False
        return self._create(tally, model, values), True

    def _load_identity(self):
        identity = SiteIdentity.objects.filter(pk=1).first()
        if identity is not None and not _is_untouched_placeholder(identity):
            return
        identity = identity or SiteIdentity()
        values = dict(self.data.SITE_IDENTITY)
        legal_status = values.pop("legal_status", None)
        for name, value in _typeset_values(values).items():
            setattr(identity, name, value)
        identity.notification_email = settings.DEMO_NOTIFICATION_EMAIL
        identity.full_clean()
        identity.save()
        if legal_status and not identity.legal_statuses.exists():
            LegalStatus.objects.create(identity=identity, since=None, form=legal_status)
        self.report.identity_created = True

    def _load_structures(self):
        for key, values in self.data.STRUCTURES.items():
            values = {"slug": key, **values}
            structure, created = self._find_or_create(
                "structures",
                Structure,
                models.Q(slug=key) | models.Q(name__iexact=values["name"]),
                values,
            )
            self.structures[key] = structure
            if created:
                for membership in self.data.MEMBERSHIPS:
                    if membership["structure"] == key:
                        self._create(
                            "memberships",
                            Membership,
                            {**membership, "structure": structure},
                        )

    def _load_people(self):
        for key, values in self.data.PEOPLE.items():
            lookup = models.Q(
                first_name__iexact=values["first_name"], last_name__iexact=values["last_name"]
            )
            if values.get("email"):
                lookup |= models.Q(email__iexact=values["email"])
            values = {**values, "structure": self.structures.get(values.get("structure"))}
            self.people[key], _ = self._find_or_create("people", Person, lookup, values)

    def _load_group(self, data: dict):
        parts = ("leads", "contacts", "meetings", "participant_structures")
        values = {name: value for name, value in data.items() if name not in parts}
        group, created = self._find_or_create(
            "groups",
            WorkingGroup,
            models.Q(slug=data["slug"]) | models.Q(name__iexact=data["name"]),
            values,
        )
        self.groups[data["slug"]] = group
        if not created:
            return
        for order, lead in enumerate(data["leads"], start=1):
            self._create(
                "leads",
                GroupLead,
                {
                    "group": group,
                    "person": self.people[lead["person"]],
                    "structure": self.structures[lead["structure"]],
                    "title": lead["title"],
                    "order": order,
                },
            )
        for order, contact in enumerate(data["contacts"], start=1):
            self._create("contacts", GroupContact, {"group": group, "order": order, **contact})
        for meeting in data["meetings"]:
            venue = self.venues[meeting["venue"]] if meeting.get("venue") else None
            # Never a sample: these are the real dates of the newsletter.
            self._create(
                "meetings",
                Meeting,
                {**meeting, "group": group, "venue": venue, "is_sample": False},
            )
        group.participant_structures.set(
            self.structures[key] for key in data["participant_structures"]
        )

    def _load_project(self, data: dict):
        values = {
            name: value for name, value in data.items() if name not in ("structures", "updates")
        }
        values["group"] = self.groups[data["group"]]
        project, created = self._find_or_create(
            "projects",
            Project,
            models.Q(slug=data["slug"]) | models.Q(name__iexact=data["name"]),
            values,
        )
        self.projects[data["slug"]] = project
        if not created:
            return
        project.structures.set(self.structures[key] for key in data["structures"])
        for update in data["updates"]:
            self._create("updates", ProjectUpdate, {**update, "project": project})
        # The newsletter dates the statuses: its history, not today's.
        history = self.data.PROJECT_STATUS_HISTORY.get(data["slug"]) or [
            (data["status"], self.data.STATUSES_KNOWN_ON)
        ]
        for status, since in history:
            self._create(
                "statuses",
                ProjectStatusChange,
                {"project": project, "status": status, "since": since},
            )

    def _load_activity_report(self, data: dict):
        values = {name: value for name, value in data.items() if name != "counts"}
        values["project"] = self.projects[data["project"]]
        report, created = self._find_or_create(
            "activity_reports",
            ActivityReport,
            models.Q(
                project=values["project"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
            values,
        )
        if not created:
            return
        for order, (label, value) in enumerate(data["counts"], start=1):
            self._create(
                "counts",
                ActivityCount,
                {"report": report, "label": label, "value": value, "order": order},
            )

    def _load_cooperation(self, data: dict):
        values = {name: value for name, value in data.items() if name != "structures"}
        values["group"] = self.groups[data["group"]]
        values["project"] = self.projects[data["project"]]
        cooperation, created = self._find_or_create(
            "cooperations", Cooperation, models.Q(title__iexact=typeset(data["title"])), values
        )
        if created:
            cooperation.structures.set(self.structures[key] for key in data["structures"])

    def _load_event(self, data: dict):
        values = {
            name: value
            for name, value in data.items()
            if name not in ("organisers", "sessions", "venue")
        }
        values["venue"] = self.venues[data["venue"]] if data["venue"] else None
        event, created = self._find_or_create(
            "events",
            Event,
            models.Q(slug=data["slug"]) | models.Q(title__iexact=data["title"], date=data["date"]),
            values,
        )
        if not created:
            return
        event.organisers.set(self.structures[key] for key in data["organisers"])
        for order, session_data in enumerate(data["sessions"], start=1):
            session_values = {
                name: value
                for name, value in session_data.items()
                if name not in ("speakers", "facilitator")
            }
            session = self._create(
                "sessions",
                Session,
                {
                    **session_values,
                    "event": event,
                    "order": order,
                    "facilitator": self.structures.get(session_data.get("facilitator")),
                },
            )
            for speaker_order, speaker in enumerate(session_data.get("speakers", []), start=1):
                self._create(
                    "speakers",
                    SessionSpeaker,
                    {
                        "session": session,
                        "person": self.people[speaker["person"]],
                        "structure": self.structures.get(speaker.get("structure")),
                        "role": speaker.get("role", ""),
                        "order": speaker_order,
                    },
                )


def _is_untouched_placeholder(identity: SiteIdentity) -> bool:
    """The empty record `SiteIdentity.load()` creates when a page is shown before any content
    exists is not an edit: the newsletter may fill it."""
    placeholder = SiteIdentity(name="PTCE", short_name="PTCE")
    return all(
        getattr(identity, f.attname) == getattr(placeholder, f.attname)
        for f in SiteIdentity._meta.concrete_fields
        if f.name not in ("id", "updated_at")
    )


def load_newsletter() -> Report:
    return NewsletterLoader().load()
