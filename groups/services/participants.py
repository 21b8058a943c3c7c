"""A lead adds someone to their own group without asking the coordinator: a person of the
member file (created, or found by their e-mail), with their structure, their consent
recorded, then invited to the group's meetings whose invitations are already out."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from groups.models import Meeting, WorkingGroup
from groups.services.invitations import send_invitations
from members.models import Person, Structure
from members.privacy import PRIVACY_NOTICE_VERSION
from members.services.names import tidy_first_name, tidy_last_name


@dataclass(frozen=True)
class AddedParticipant:
    person: Person
    invited_to: list[Meeting]


def _structure_named(name: str) -> Structure:
    """The structure of that name (any case), or a new one (kind « autre »: the coordinator
    completes it)."""
    name = " ".join(name.split())
    existing = Structure.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name)[:190] or "structure"
    slug, n = base, 1
    while Structure.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Structure.objects.create(name=name, slug=slug)


@transaction.atomic
def add_participant(
    *,
    group: WorkingGroup,
    first_name: str,
    last_name: str,
    email: str,
    structure: Structure | None = None,
    new_structure_name: str = "",
    consent: bool,
    recorded_by: str,
    invite: bool,
    site_url: str,
) -> AddedParticipant:
    """Add a participant to `group`. Someone already in the file with this e-mail is added as
    they are (nothing they recorded is overwritten, nothing of them is shown to the lead);
    otherwise a new person is created. `consent` (the person agreed to be in the file and
    invited) is required and recorded with who recorded it. With `invite`, they are invited
    to the group's upcoming meetings whose invitations already went out (the others will
    invite them with everyone)."""
    if not consent:
        raise ValidationError(
            "Cochez que la personne a accepté d'être inscrite et invitée\u00a0: sans son "
            "accord, elle ne peut pas être ajoutée."
        )
    email = email.strip().lower()
    if not email:
        raise ValidationError("Indiquez son e-mail\u00a0: les invitations partent par e-mail.")
    if new_structure_name.strip():
        structure = _structure_named(new_structure_name)
    person = Person.objects.filter(email__iexact=email, anonymised_at__isnull=True).first()
    if person is None:
        if not first_name.strip() or not last_name.strip():
            raise ValidationError("Indiquez son prénom et son nom.")
        person = Person(
            first_name=tidy_first_name(first_name),
            last_name=tidy_last_name(last_name),
            email=email,
            structure=structure,
        )
    elif person.structure_id is None and structure is not None:
        person.structure = structure
    person.consent_given_at = timezone.now()
    person.consent_recorded_by = recorded_by[:200]
    person.privacy_notice_version = PRIVACY_NOTICE_VERSION
    person.full_clean()
    person.save()
    group.participant_people.add(person)
    invited_to = []
    if invite:
        for meeting in (
            Meeting.objects.for_group(group)
            .upcoming()
            .not_cancelled()
            .filter(is_sample=False, invitations_sent_at__isnull=False)
        ):
            if send_invitations(meeting=meeting, site_url=site_url):
                invited_to.append(meeting)
    return AddedParticipant(person=person, invited_to=invited_to)
