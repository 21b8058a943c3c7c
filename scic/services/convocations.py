"""Convocations to a general assembly: every current associate on the attendance sheet, a mail
through the outbox (the structure's e-mail, else its representative's or a contact person's)
with the assembly's calendar entry and a signed link to reply; the notice period; the list of
those to convene by post: no e-mail known, or, under the rule « Convocation par voie
électronique sur accord préalable de l'associé », no agreement in force for that address."""

import datetime
from dataclasses import dataclass, field

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from association.calendars import assembly_component, build_calendar, calendar_origin
from association.formats import long_date
from association.models import SiteIdentity
from association.signed_links import sign_ids, unsign_ids
from audit.registry import update_logged
from outbox.services import queue_templated_mail
from scic.models import Associate, Attendance, ConvocationConsent, GeneralAssembly, ScicMailKind
from scic.services.consent import consent_required, why_by_post

ByPost = Attendance.ByPost

REPLY_SALT = "scic.attendance-reply"


# --- Convocations ------------------------------------------------------------------------------


def reply_token(attendance: Attendance) -> str:
    """The signed token of an associate's reply page: whoever has the mail may answer."""
    return sign_ids(attendance.pk, salt=REPLY_SALT)


def attendance_from_token(token: str) -> Attendance | None:
    ids = unsign_ids(token, salt=REPLY_SALT)
    if ids is None:
        return None
    (pk,) = ids
    return (
        Attendance.objects.select_related(
            "assembly__venue", "associate__structure", "associate__person", "proxy_holder"
        )
        .filter(pk=pk)
        .first()
    )


def earliest_assembly_date(today: datetime.date | None = None) -> datetime.date:
    """The first day an assembly convened today may be held (the notice period)."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.SCIC_CONVOCATION_NOTICE_DAYS)


@dataclass
class ConvocationOutcome:
    queued: int = 0
    already: int = 0
    without_email: list[str] = field(default_factory=list)
    without_consent: list[str] = field(default_factory=list)
    # « name (accord pour a@…, convocation à b@…) »
    other_address: list[str] = field(default_factory=list)

    @property
    def by_post(self) -> int:
        return len(self.without_email) + len(self.without_consent) + len(self.other_address)

    def message(self) -> str:
        parts = [f"Convoqués par e-mail (mis dans la file d'envoi)\u00a0: {self.queued}."]
        if self.already:
            parts.append(f"Déjà convoqués\u00a0: {self.already}.")
        if not self.by_post:
            return " ".join(parts)
        reasons = []
        if self.without_email:
            reasons.append(
                "sans aucune adresse e-mail (ni la structure, ni son représentant, ni une "
                f"personne à contacter)\u00a0: {', '.join(self.without_email)}"
            )
        if self.without_consent:
            reasons.append(f"{ByPost.NO_CONSENT.label}\u00a0: {', '.join(self.without_consent)}")
        if self.other_address:
            reasons.append(
                "accord donné pour une autre adresse que celle de la convocation, qui ne vaut "
                f"donc pas accord\u00a0: {', '.join(self.other_address)}"
            )
        listed = "\u00a0; ".join(reasons)
        parts.append(
            f"À convoquer par courrier\u00a0: {self.by_post} — {listed}. "
            "La liste de leurs adresses postales est imprimable depuis l'assemblée "
            "(«\u00a0Convocations par courrier\u00a0»)."
        )
        return " ".join(parts)


def assembly_calendar(assembly: GeneralAssembly, *, site_url: str) -> icalendar.Calendar:
    """The assembly as a calendar file (its `venue` loaded): the file attached to each
    convocation and offered by the link of the mail (the entry: `assembly_component`)."""
    origin = calendar_origin(site_url)
    return build_calendar(
        origin=origin,
        path=None,
        key=f"scic-assembly-{assembly.pk}",
        name=assembly.title,
        description=str(assembly),
        components=[assembly_component(assembly, origin=origin)],
    )


def assembly_calendar_filename(assembly: GeneralAssembly) -> str:
    return f"assemblee-{assembly.date:%Y-%m-%d}.ics"


def convene_assembly(*, assembly: GeneralAssembly, site_url: str) -> ConvocationOutcome:
    """Put every current associate on the attendance sheet and queue their convocation (with
    the assembly's .ics attached, a link to reply and one to the calendar entry), in one
    transaction. Refused once the notice period (`SCIC_CONVOCATION_NOTICE_DAYS`) can no longer
    be given. Run again, it convenes only those entered since. `site_url` is the portal's
    address for the links and the calendar's UID."""
    today = timezone.localdate()
    if assembly.is_cancelled:
        raise ValidationError("Cette assemblée est annulée.")
    if assembly.date < earliest_assembly_date(today):
        raise ValidationError(
            f"Trop tard pour convoquer l'assemblée du {long_date(assembly.date)}\u00a0: les "
            f"convocations partent au moins {settings.SCIC_CONVOCATION_NOTICE_DAYS} jours "
            "avant. Au plus tôt, elle peut se tenir le "
            f"{long_date(earliest_assembly_date(today))}."
        )
    if not assembly.agenda_items:
        raise ValidationError("Indiquez l'ordre du jour avant de convoquer.")
    outcome = ConvocationOutcome()
    site = SiteIdentity.load()
    with transaction.atomic():
        assembly = (
            GeneralAssembly.objects.select_for_update(of=("self",))
            .select_related("venue")
            .get(pk=assembly.pk)
        )
        convened = set(assembly.attendances.values_list("associate_id", flat=True))
        for associate in Associate.objects.current(today).select_related(
            "structure", "person", "college"
        ):
            if associate.pk not in convened:
                Attendance.objects.create(
                    assembly=assembly, associate=associate, college=associate.college
                )
        attendances = (
            assembly.attendances.select_related(
                "associate__structure", "associate__person", "associate__convocation_recipient"
            )
            .annotate(mails=Count("outgoing_mails"))
            .order_by("associate__number")
        )
        ics = assembly_calendar(assembly, site_url=site_url).to_ical().decode()
        required = consent_required()
        consents = _consents_in_force() if required else {}
        by_post: dict[str, list[int]] = {}
        for attendance in attendances:
            associate = attendance.associate
            if attendance.mails:
                outcome.already += 1
                continue
            email, addressee = associate.convocation_address()
            reason = _why_by_post(outcome, associate, email, consents.get(associate.pk), required)
            if reason or attendance.by_post:
                by_post.setdefault(reason, []).append(attendance.pk)
            if reason:
                continue
            queue_templated_mail(
                about=attendance,
                kind=ScicMailKind.CONVOCATION,
                recipient=email,
                reply_to=site.email,
                attachment_name=assembly_calendar_filename(assembly),
                attachment_type="text/calendar",
                attachment=ics,
                context=_convocation_context(attendance, assembly, site, site_url, addressee),
            )
            outcome.queued += 1
        for reason, pks in by_post.items():
            update_logged(Attendance.objects.filter(pk__in=pks), by_post=reason)
        # Not `save()`: convening changes nothing in the calendar entry just attached, whose
        # SEQUENCE must stay the one the link of the mail serves.
        update_logged(GeneralAssembly.objects.filter(pk=assembly.pk), convened_at=timezone.now())
    return outcome


def _consents_in_force() -> dict[int, ConvocationConsent]:
    return {c.associate_id: c for c in ConvocationConsent.objects.in_force()}


def _why_by_post(
    outcome: ConvocationOutcome,
    associate: Associate,
    email: str,
    consent: ConvocationConsent | None,
    required: bool,
) -> str:
    """Why `associate` is convened by post (`why_by_post`), noted in `outcome`; "" to mail."""
    reason = why_by_post(email=email, consent=consent, required=required)
    if reason == ByPost.NO_ADDRESS:
        outcome.without_email.append(associate.name)
    elif reason == ByPost.NO_CONSENT:
        outcome.without_consent.append(associate.name)
    elif reason == ByPost.OTHER_ADDRESS:
        outcome.other_address.append(
            f"{associate.name} (accord pour {consent.email}, convocation à {email})"
        )
    return reason


@dataclass(frozen=True)
class PostalConvocation:
    number: int
    name: str
    address: str
    reason: str


def postal_convocations(assembly: GeneralAssembly) -> list[PostalConvocation]:
    """The associates on the attendance sheet whom no convocation mail reached (none was
    queued: the portal knows no e-mail for them, or they have not agreed to be convened by
    e-mail at that address), with their postal address and the reason."""
    attendances = (
        assembly.attendances.select_related("associate__structure", "associate__person")
        .filter(outgoing_mails__isnull=True)
        .order_by("associate__number")
    )
    return [
        PostalConvocation(
            number=a.associate.number,
            name=a.associate.name,
            address=a.associate.postal_address,
            # Convened before the reason was recorded: only a missing address kept a mail back.
            reason=ByPost(a.by_post or ByPost.NO_ADDRESS).label,
        )
        for a in attendances
    ]


def _convocation_context(attendance, assembly, site, site_url: str, addressee: str) -> dict:
    token = reply_token(attendance)
    return {
        "assembly": assembly,
        "associate": attendance.associate,
        "addressee": addressee,
        "site": site,
        "resolutions": list(assembly.resolutions.all()),
        "reply_url": site_url + reverse("scic:reply", args=[token]),
        "ics_url": site_url + reverse("scic:assembly_ics", args=[token]),
        "notice_days": settings.SCIC_CONVOCATION_NOTICE_DAYS,
    }
