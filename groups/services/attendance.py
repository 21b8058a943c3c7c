"""Attendance: the sign-in sheet (feuille d'émargement) of a meeting, its closing (who came,
people met on the spot, minutes and decisions), and the people and structures present, which
the yearly figures count. Names recorded here never appear on a public page."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower

from association import formats
from audit.registry import log_bulk_create, update_logged
from groups.models import Meeting, MeetingAnswer
from members.models import Person, Structure
from members.services.matching import find_people_like
from members.services.names import tidy_first_name, tidy_last_name

# Lines left blank at the foot of the sign-in sheet, for people who come without having
# answered: enough for a usual meeting, and the sheet can be printed twice.
BLANK_LINES = 8

_RESPONSE_ORDER = Case(
    When(response=MeetingAnswer.Response.YES, then=Value(0)),
    When(response=MeetingAnswer.Response.MAYBE, then=Value(1)),
    When(response="", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def sign_in_sheet_answers(meeting: Meeting) -> QuerySet:
    """The lines of a meeting's sign-in sheet: those who said yes, then maybe, then the other
    invited participants (not answered, then those who said no: they may come after all),
    each group by name. Guests count once they confirmed their e-mail. One query."""
    return (
        meeting.answers.counted()
        .select_related("person__structure")
        .annotate(
            _response_rank=_RESPONSE_ORDER,
            _sort_name=Lower(Coalesce("person__last_name", "guest_name")),
        )
        .order_by("_response_rank", "_sort_name", "person__first_name", "pk")
    )


# --- Who came ---------------------------------------------------------------------------------


def present_answers(meetings: QuerySet | None = None) -> QuerySet:
    """Answers of people recorded as present, for the given meetings (all by default)."""
    answers = MeetingAnswer.objects.filter(present=True)
    if meetings is not None:
        answers = answers.filter(meeting__in=meetings)
    return answers


def people_present(meetings: QuerySet | None = None) -> QuerySet:
    """People of the member file recorded as present at any of these meetings, each once."""
    return Person.objects.filter(
        pk__in=present_answers(meetings).exclude(person=None).values("person_id")
    )


def structures_present(meetings: QuerySet | None = None) -> QuerySet:
    """Structures with at least one of their people present at any of these meetings, each
    once: what « structures contributrices » counts. A person is counted with the structure
    the file gives them today."""
    return Structure.objects.filter(pk__in=people_present(meetings).values("structure_id"))


# --- Closing a meeting ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """Someone who came and is not in the member file, as typed on the closing page.

    `confirmed` says the coordinator saw the look-alikes the file holds and chose to create a
    new person anyway (namesakes exist)."""

    first_name: str
    last_name: str
    email: str = ""
    structure: Structure | None = None
    confirmed: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def check_can_close(meeting: Meeting, now: datetime.datetime | None = None) -> None:
    """Raise why `meeting` cannot be closed: cancelled, or not started yet (the same day
    included: attendance is taken once people are there)."""
    described = f"La réunion du {formats.long_date(meeting.date)}"
    if meeting.is_cancelled:
        raise ValidationError(
            f"{described} est annulée\u00a0: elle ne peut pas être close.",
            code="cancelled",
        )
    if not meeting.has_started(now):
        starts = formats.when(meeting.date, meeting.start_time)
        raise ValidationError(
            f"La réunion du {starts} n'a pas encore commencé\u00a0: elle ne peut être "
            "close qu'une fois commencée.",
            code="not_yet_held",
        )


def _check_new_people(new_people: list[NewPerson]) -> None:
    errors, emails = [], set()
    for new in new_people:
        if not new.first_name.strip() or not new.last_name.strip():
            errors.append(
                f"Indiquez le prénom et le nom de chaque personne à ajouter («\u00a0"
                f"{new.full_name or '?'}\u00a0»)."
            )
            continue
        email = new.email.strip().lower()
        if email and email in emails:
            errors.append(f"L'e-mail {email} est indiqué pour deux personnes.")
        emails.add(email)
        alike = find_people_like(first_name=new.first_name, last_name=new.last_name, email=email)
        if email and any(person.email == email for person in alike):
            errors.append(
                f"Une personne avec l'e-mail {email} est déjà dans le fichier\u00a0: "
                "choisissez-la plutôt que d'en créer une nouvelle."
            )
        elif alike and not new.confirmed:
            names = formats.enumerate_in_french([p.full_name for p in alike], quoted=True)
            errors.append(
                f"«\u00a0{new.full_name}\u00a0» ressemble à {names}, déjà dans "
                f"le fichier\u00a0: choisissez la bonne fiche, ou confirmez qu'il "
                "s'agit d'une nouvelle personne."
            )
    if errors:
        raise ValidationError(errors, code="look_alike")


@transaction.atomic
def close_meeting(
    *,
    meeting: Meeting,
    present_answer_ids: list[int],
    added_people: list[Person],
    new_people: list[NewPerson],
    unrecorded: int,
    minutes: str,
    decisions: str,
    may_create_people: bool = True,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record that a meeting was held and who came.

    The answers in `present_answer_ids` are marked present and every other answer absent;
    `added_people` (picked from the member file) and `new_people` (created here, after the
    look-alike check) get an answer marked present. A meeting already closed can be closed
    again to correct it. Never a cancelled meeting nor one still to come."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_can_close(meeting, now)
    if unrecorded < 0:
        raise ValidationError("Le nombre d'autres présents ne peut pas être négatif.")
    present_ids = set(present_answer_ids)
    known = meeting.answers.counted().filter(pk__in=present_ids).values_list("pk", flat=True)
    if present_ids - set(known):
        raise ValidationError("Une des personnes cochées n'est pas invitée à cette réunion.")
    if new_people and not may_create_people:
        # Said without searching the file: a lead must not learn who is in it.
        raise ValidationError(
            "Seule la coordination ajoute une personne au fichier\u00a0: comptez-la dans "
            "«\u00a0autres présents\u00a0» et signalez-la à la coordination."
        )
    _check_new_people(new_people)

    # Recorded in the audit trail, each answer's presence before and after.
    counted = meeting.answers.counted()
    update_logged(counted.filter(pk__in=present_ids), present=True)
    update_logged(counted.exclude(pk__in=present_ids), present=False)
    created = [
        Person.objects.create(
            first_name=tidy_first_name(new.first_name),
            last_name=tidy_last_name(new.last_name),
            email=new.email.strip().lower(),
            structure=new.structure,
        )
        for new in new_people
    ]
    people = {person.pk: person for person in [*added_people, *created]}
    if people:
        update_logged(meeting.answers.filter(person__in=people), present=True)
        answered = set(
            meeting.answers.filter(person__in=people).values_list("person_id", flat=True)
        )
        log_bulk_create(
            MeetingAnswer.objects.bulk_create(
                MeetingAnswer(meeting=meeting, person=person, present=True)
                for pk, person in people.items()
                if pk not in answered
            )
        )

    meeting.status = Meeting.Status.HELD
    meeting.unrecorded_attendees = unrecorded
    meeting.minutes = minutes.strip()
    meeting.decisions = decisions.strip()
    meeting.save()
    return meeting
