"""Join requests: a visitor's submission with its mails, and the coordinator's decisions
(take, accept with the records to link or create, decline).

Every function is keyword-only, atomic where it writes, and raises `ValidationError` with a
French message when the coordinator asks for something that cannot be done.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from association.formats import day_month_year
from association.models import SiteIdentity
from groups.models import Meeting
from joining.antispam import may_acknowledge
from joining.models import JoinMailKind, JoinRequest
from members.models import Membership, Person, Structure
from members.privacy import PRIVACY_NOTICE_VERSION, retention_periods
from members.services.matching import find_people_like, find_structures_like
from members.services.names import tidy_first_name, tidy_last_name
from outbox.services import queue_templated_mail

logger = logging.getLogger(__name__)


# --- Submission --------------------------------------------------------------------------------


class DuplicateSubmissionError(Exception):
    """The form token was already used: the request exists, nothing new was saved."""

    def __init__(self, join_request: JoinRequest):
        super().__init__(f"Form token already used by join request {join_request.pk}.")
        self.join_request = join_request


def submit_join_request(*, data: dict, form_token: str, site_url: str) -> JoinRequest:
    """Save a visitor's request and its outgoing mails in one transaction; the mails are
    handed to the task queue only once the transaction is committed.

    `data` holds the form's answers (`JoinRequestForm.request_data()`); `site_url` is the
    site's address (https://…), for the links in the mails. Raises `DuplicateSubmissionError`
    when the token was already used (a double click, a reload).

    The acknowledgement is skipped when its address has had its share for now (someone may
    be typing another's address); the request and the coordinator's notification are not.
    Counted before the transaction: a failing database cache must not spoil it."""
    existing = JoinRequest.objects.filter(form_token=form_token).first()
    if existing:
        raise DuplicateSubmissionError(existing)
    acknowledge = may_acknowledge(data["email"])
    data = dict(data)
    groups = data.pop("groups", [])
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                **data,
                form_token=form_token,
                consent_given_at=timezone.now(),
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
            )
            join_request.groups.set(groups)
            for fields in _join_mails(
                join_request=join_request, site_url=site_url, acknowledge=acknowledge
            ):
                queue_templated_mail(about=join_request, **fields)
    except IntegrityError:
        # Two submissions with the same token at the same moment: the other one won.
        existing = JoinRequest.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        raise DuplicateSubmissionError(existing) from None
    return join_request


def _join_mails(
    *, join_request: JoinRequest, site_url: str, acknowledge: bool = True
) -> list[dict]:
    """The mails of a new request (French, plain text and HTML): the coordinator's
    notification and, when `acknowledge`, the applicant's acknowledgement."""
    site = SiteIdentity.load()
    context = {
        "join_request": join_request,
        "groups": list(join_request.groups.all()),
        "site": site,
        "site_url": site_url,
        "admin_url": site_url
        + reverse("admin:joining_joinrequest_change", args=[join_request.pk]),
        "privacy_url": site_url + reverse("members:privacy"),
    }
    mails = []
    coordinator_address = site.notification_email or site.email
    if coordinator_address:
        mails.append(
            {
                "kind": JoinMailKind.COORDINATOR_NOTIFICATION,
                "recipient": coordinator_address,
                "reply_to": join_request.email,
                "context": context,
            }
        )
    else:
        logger.warning(
            "No notification address in the site identity: join request %s is only in the admin.",
            join_request.pk,
        )
    if not acknowledge:
        logger.info(
            "Join request %s: no acknowledgement, its address had enough for now.",
            join_request.pk,
        )
        return mails
    mails.append(
        {
            "kind": JoinMailKind.APPLICANT_ACKNOWLEDGEMENT,
            "recipient": join_request.email,
            "reply_to": site.email,
            # Its subject has the full name: the applicant may not know what « PTCE » means.
            "context": context,
        }
    )
    return mails


# --- The coordinator's decisions ----------------------------------------------------------------


@dataclass
class Matches:
    """Records that may already be the applicant or their structure."""

    people: list[Person] = field(default_factory=list)
    structures: list[Structure] = field(default_factory=list)

    def person_by_pk(self, pk: int) -> Person:
        return next(p for p in self.people if p.pk == pk)

    def structure_by_pk(self, pk: int) -> Structure:
        return next(s for s in self.structures if s.pk == pk)


def find_matches(*, join_request: JoinRequest) -> Matches:
    """People with the applicant's e-mail or name and, for a structure, structures with its
    name or acronym: the member file's look-alike check (`members.services.matching`)."""
    matches = Matches(
        people=find_people_like(
            first_name=join_request.first_name,
            last_name=join_request.last_name,
            email=join_request.email,
        )
    )
    if join_request.is_structure and join_request.structure_name:
        matches.structures = find_structures_like(name=join_request.structure_name)
    return matches


def _locked_open_request(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not locked.is_open:
        raise ValidationError(
            f"Cette demande a déjà été traitée (statut\u00a0: {locked.get_status_display()})."
        )
    return locked


def take_join_request(*, join_request: JoinRequest, handled_by) -> JoinRequest:
    """The coordinator starts handling a new request (status « en cours »)."""
    with transaction.atomic():
        locked = _locked_open_request(join_request)
        locked.status = JoinRequest.Status.IN_PROGRESS
        locked.handled_by = handled_by
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    return locked


def accept_join_request(
    *,
    join_request: JoinRequest,
    handled_by,
    person: Person | None = None,
    structure: Structure | None = None,
    allow_new_despite_matches: bool = False,
    site_url: str = "",
) -> JoinRequest:
    """Accept a request: link the given person and structure, or create them (None); add them
    to the groups asked for; record this year's membership (pending) if they asked to join;
    mail the applicant a welcome (their groups' next meetings, how to reach « Mon espace »,
    links to `site_url`).

    Creating a record while look-alikes exist needs `allow_new_despite_matches`: the
    coordinator saw the matches and chose « nouvelle » (namesakes exist). Never a silent
    duplicate."""
    with transaction.atomic():
        locked = _locked_open_request(join_request)
        matches = find_matches(join_request=locked)
        if person is None and matches.people and not allow_new_despite_matches:
            raise ValidationError(
                "Des personnes existantes ressemblent au demandeur\u00a0: choisissez laquelle "
                "lier, ou confirmez la création d'une nouvelle personne."
            )
        if (
            locked.is_structure
            and structure is None
            and matches.structures
            and not allow_new_despite_matches
        ):
            raise ValidationError(
                "Des structures existantes ressemblent à celle du demandeur\u00a0: choisissez "
                "laquelle lier, ou confirmez la création d'une nouvelle structure."
            )
        if locked.is_structure and structure is None:
            structure = _create_structure(locked)
        if person is None:
            person = _create_person(locked, structure=structure)
        else:
            _complete_person(person, locked, structure=structure)
        for group in locked.groups.all():
            group.participant_people.add(person)
            if structure is not None:
                group.participant_structures.add(structure)
        if locked.wants_membership:
            member = {"structure": structure} if locked.is_structure else {"person": person}
            received = day_month_year(timezone.localdate(locked.created_at))
            Membership.objects.get_or_create(
                **member,
                year=timezone.localdate().year,
                defaults={
                    "status": Membership.Status.PENDING,
                    "notes": f"Demande d'adhésion reçue le {received}.",
                },
            )
        locked.status = JoinRequest.Status.ACCEPTED
        locked.handled_by = handled_by
        locked.handled_at = timezone.now()
        locked.person = person
        locked.structure = structure
        locked.save()
        queue_templated_mail(about=locked, **_welcome_mail(join_request=locked, site_url=site_url))
    return locked


# How many of each group's next meetings the welcome mail lists.
WELCOME_MEETINGS_PER_GROUP = 2


def _welcome_mail(*, join_request: JoinRequest, site_url: str) -> dict:
    """The applicant's welcome: what was recorded, the next meetings of the
    groups they joined, and how to sign in to « Mon espace » (a link by e-mail, no password)."""
    site = SiteIdentity.load()
    groups = list(join_request.groups.all())
    upcoming = Meeting.objects.upcoming().not_cancelled().select_related("venue")
    for group in groups:
        group.next_meetings = list(upcoming.for_group(group)[:WELCOME_MEETINGS_PER_GROUP])
    context = {
        "join_request": join_request,
        "groups": groups,
        "site": site,
        "site_url": site_url,
        "space_url": site_url + reverse("space:sign_in"),
        "year": timezone.localdate().year,
    }
    return {
        "kind": JoinMailKind.APPLICANT_WELCOME,
        "recipient": join_request.email,
        "reply_to": site.email,
        "context": context,
    }


def _create_structure(join_request: JoinRequest) -> Structure:
    name = " ".join(join_request.structure_name.split())
    if Structure.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            f"Une structure nommée «\u00a0{name}\u00a0» existe déjà\u00a0: liez-la plutôt que "
            "d'en créer une nouvelle."
        )
    base = slugify(name)[:190] or "structure"
    slug, n = base, 1
    while Structure.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Structure.objects.create(
        name=name,
        slug=slug,
        kind=join_request.structure_kind or Structure.Kind.OTHER,
        town=join_request.town,
    )


def _create_person(join_request: JoinRequest, *, structure: Structure | None) -> Person:
    if Person.objects.filter(email__iexact=join_request.email).exists():
        raise ValidationError(
            f"Une personne avec l'e-mail {join_request.email} existe déjà\u00a0: liez-la "
            "plutôt que d'en créer une nouvelle."
        )
    return Person.objects.create(
        first_name=tidy_first_name(join_request.first_name),
        last_name=tidy_last_name(join_request.last_name),
        email=join_request.email,
        phone=join_request.phone,
        structure=structure,
    )


def _complete_person(person: Person, join_request: JoinRequest, *, structure) -> None:
    """Fill what the existing record lacks; never overwrite what the coordinator entered."""
    changed = []
    if not person.email and not Person.objects.filter(email__iexact=join_request.email).exists():
        person.email = join_request.email
        changed.append("email")
    if not person.phone and join_request.phone:
        person.phone = join_request.phone
        changed.append("phone")
    if person.structure_id is None and structure is not None:
        person.structure = structure
        changed.append("structure")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])


def decline_join_request(
    *, join_request: JoinRequest, handled_by, reason: str, message: str = ""
) -> JoinRequest:
    """Decline with an internal `reason`; with a `message`, the applicant is answered by mail
    (through the outbox, in the same transaction: declined and answered, or neither)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Indiquez le motif du refus.")
    with transaction.atomic():
        locked = _locked_open_request(join_request)
        locked.status = JoinRequest.Status.DECLINED
        locked.decline_reason = reason
        locked.handled_by = handled_by
        locked.handled_at = timezone.now()
        locked.save()
        if message.strip():
            site = SiteIdentity.load()
            queue_templated_mail(
                about=locked,
                kind=JoinMailKind.APPLICANT_DECLINED,
                recipient=locked.email,
                reply_to=site.email,
                context={
                    "join_request": locked,
                    "message": message.strip(),
                    "site": site,
                    "months": retention_periods().declined_months,
                },
            )
    return locked
