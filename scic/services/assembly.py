"""The general assembly: convocations through the outbox with the notice period, the
associates' replies, attendance and proxies (within the statutes' limit), and the quorum."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from association import formats
from association.calendars import build_calendar, uid_host
from association.formats import NBSP, long_date, percent
from association.models import SiteIdentity
from association.signed_links import sign_ids, unsign_ids
from outbox.services import queue_mail
from scic.models import Associate, Attendance, College, GeneralAssembly, Rule, ScicMailKind

Status = Attendance.Status
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

    def message(self) -> str:
        parts = [f"Convocations mises dans la file d'envoi{NBSP}: {self.queued}."]
        if self.already:
            parts.append(f"Déjà convoqués{NBSP}: {self.already}.")
        if self.without_email:
            parts.append(
                f"Sans adresse e-mail, à convoquer par courrier{NBSP}: "
                f"{', '.join(self.without_email)}."
            )
        return " ".join(parts)


def assembly_calendar(assembly: GeneralAssembly, *, request) -> icalendar.Calendar:
    """The assembly as a calendar entry (its `venue` loaded): the file attached to each
    convocation and offered by the link of the mail. Its UID is the assembly's, so a second
    convocation or a change of hour updates the entry already in the associate's agenda."""
    begins, ends = _span(assembly)
    component = icalendar.Event.new(
        uid=f"scic-assembly-{assembly.pk}@{uid_host(request)}",
        summary=assembly.title,
        start=begins,
        end=ends,
        stamp=assembly.updated_at,
        sequence=assembly.sequence,
        status="CANCELLED" if assembly.is_cancelled else "CONFIRMED",
        description=formats.typography("Ordre du jour :\n" + "\n".join(assembly.agenda_items)),
    )
    if assembly.venue is not None:
        component.add("LOCATION", assembly.venue.full_address)
    return build_calendar(
        request=request,
        key=f"scic-assembly-{assembly.pk}",
        name=assembly.title,
        description=str(assembly),
        components=[component],
    )


def assembly_calendar_filename(assembly: GeneralAssembly) -> str:
    return f"assemblee-{assembly.date:%Y-%m-%d}.ics"


def _span(assembly):
    if assembly.start_time is None:
        return assembly.date, assembly.date + datetime.timedelta(days=1)
    zone = timezone.get_default_timezone()
    begins = datetime.datetime.combine(assembly.date, assembly.start_time, tzinfo=zone)
    if assembly.end_time is None:
        return begins, begins + datetime.timedelta(hours=3)
    return begins, datetime.datetime.combine(assembly.date, assembly.end_time, tzinfo=zone)


def convene_assembly(*, assembly: GeneralAssembly, request) -> ConvocationOutcome:
    """Put every current associate on the attendance sheet and queue their convocation (with
    the assembly's .ics attached, a link to reply and one to the calendar entry), in one
    transaction. Refused once the notice period (`SCIC_CONVOCATION_NOTICE_DAYS`) can no longer
    be given. Run again, it convenes only those entered since. `request` gives the portal's
    address for the links and the calendar's UID."""
    site_url = request.build_absolute_uri("/").rstrip("/")
    today = timezone.localdate()
    if assembly.is_cancelled:
        raise ValidationError("Cette assemblée est annulée.")
    if assembly.date < earliest_assembly_date(today):
        raise ValidationError(
            f"Trop tard pour convoquer l'assemblée du {long_date(assembly.date)}{NBSP}: les "
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
            assembly.attendances.select_related("associate__structure", "associate__person")
            .annotate(mails=Count("outgoing_mails"))
            .order_by("associate__number")
        )
        ics = assembly_calendar(assembly, request=request).to_ical().decode()
        for attendance in attendances:
            associate = attendance.associate
            if attendance.mails:
                outcome.already += 1
                continue
            if not associate.contact_email:
                outcome.without_email.append(associate.name)
                continue
            queue_mail(
                about=attendance,
                kind=ScicMailKind.CONVOCATION,
                recipient=associate.contact_email,
                reply_to=site.email,
                subject=f"{site.short_name or site.name}{NBSP}: convocation à l'{assembly.title}"
                f" du {long_date(assembly.date)}",
                attachment_name=assembly_calendar_filename(assembly),
                attachment_type="text/calendar",
                attachment=ics,
                **_convocation_bodies(attendance, assembly, site, site_url),
            )
            outcome.queued += 1
        # Not `save()`: convening changes nothing in the calendar entry just attached, whose
        # SEQUENCE must stay the one the link of the mail serves.
        GeneralAssembly.objects.filter(pk=assembly.pk).update(convened_at=timezone.now())
    return outcome


def _convocation_bodies(attendance, assembly, site, site_url: str) -> dict:
    token = reply_token(attendance)
    context = {
        "assembly": assembly,
        "associate": attendance.associate,
        "site": site,
        "resolutions": list(assembly.resolutions.all()),
        "reply_url": site_url + reverse("scic:reply", args=[token]),
        "ics_url": site_url + reverse("scic:assembly_ics", args=[token]),
        "notice_days": settings.SCIC_CONVOCATION_NOTICE_DAYS,
    }
    return {
        "body_text": render_to_string("scic/emails/convocation.txt", context),
        "body_html": render_to_string("scic/emails/convocation.html", context),
    }


# --- Attendance and proxies --------------------------------------------------------------------


def proxy_limit() -> int | None:
    value = Rule.objects.value_of(Rule.Code.PROXY_LIMIT)
    return int(value) if value is not None else None


def proxy_problems(*, assembly: GeneralAssembly, changes: dict[int, tuple[str, int | None]]):
    """What is wrong with the attendance sheet once `changes` (attendance pk → (status, proxy
    holder's associate pk)) are applied: French messages, empty when all is well. Checks that a
    proxy goes to another associate convened to the same assembly, who attends in person, and
    that nobody holds more proxies than the statutes allow."""
    rows = {
        a.pk: (a.associate_id, a.status, a.proxy_holder_id, a.associate.name)
        for a in assembly.attendances.select_related("associate__structure", "associate__person")
    }
    for pk, (status, holder) in changes.items():
        associate_id, _s, _h, name = rows[pk]
        rows[pk] = (associate_id, status, holder if status == Status.REPRESENTED else None, name)
    by_associate = {
        associate_id: (status, name) for associate_id, status, _h, name in rows.values()
    }
    problems = []
    held: dict[int, int] = {}
    for associate_id, status, holder, name in rows.values():
        if status != Status.REPRESENTED:
            continue
        if holder is None:
            problems.append(f"{name}{NBSP}: indiquez à qui le pouvoir est donné.")
        elif holder == associate_id:
            problems.append(f"{name}{NBSP}: un associé ne se donne pas pouvoir à lui-même.")
        elif holder not in by_associate:
            problems.append(f"{name}{NBSP}: le pouvoir va à un associé convoqué à l'assemblée.")
        else:
            held[holder] = held.get(holder, 0) + 1
    limit = proxy_limit()
    for holder, count in held.items():
        status, name = by_associate[holder]
        if status == Status.REPRESENTED:
            problems.append(
                f"{name} a donné son propre pouvoir et ne peut pas en recevoir ({count})."
            )
        if limit is not None and count > limit:
            problems.append(
                f"{name} recevrait {count} pouvoirs{NBSP}; les statuts en permettent au plus "
                f"{limit} par associé."
            )
    return problems


def set_attendance(
    *,
    attendance: Attendance,
    status: str,
    proxy_holder: Associate | None = None,
    from_reply: bool = False,
) -> Attendance:
    """Record whether an associate comes, gives a proxy or is absent (their reply, or the
    coordinator on the day), within the statutes' proxy limit."""
    if status not in Status.values:
        raise ValidationError("Choisissez une réponse.")
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        assembly = GeneralAssembly.objects.select_for_update().get(pk=attendance.assembly_id)
        if from_reply and assembly.date < timezone.localdate():
            raise ValidationError("L'assemblée a eu lieu\u00a0: les réponses sont closes.")
        holder_pk = proxy_holder.pk if proxy_holder and status == Status.REPRESENTED else None
        problems = proxy_problems(assembly=assembly, changes={attendance.pk: (status, holder_pk)})
        if problems:
            raise ValidationError(problems)
        attendance.status = status
        attendance.proxy_holder_id = holder_pk
        fields = ["status", "proxy_holder"]
        if from_reply:
            attendance.replied_at = timezone.now()
            fields.append("replied_at")
        attendance.save(update_fields=fields)
    return attendance


# --- Quorum ------------------------------------------------------------------------------------


QUORUM_RULES = {
    (GeneralAssembly.Kind.ORDINARY, GeneralAssembly.Call.FIRST): Rule.Code.QUORUM_ORDINARY_FIRST,
    (GeneralAssembly.Kind.ORDINARY, GeneralAssembly.Call.SECOND): Rule.Code.QUORUM_ORDINARY_SECOND,
    (
        GeneralAssembly.Kind.EXTRAORDINARY,
        GeneralAssembly.Call.FIRST,
    ): Rule.Code.QUORUM_EXTRAORDINARY_FIRST,
    (
        GeneralAssembly.Kind.EXTRAORDINARY,
        GeneralAssembly.Call.SECOND,
    ): Rule.Code.QUORUM_EXTRAORDINARY_SECOND,
}


@dataclass(frozen=True)
class CollegeAttendance:
    college: College | None
    convened: int
    present: int
    represented: int

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def absent(self) -> int:
        return self.convened - self.counted

    @property
    def name(self) -> str:
        return self.college.name if self.college else "Tous les associés"


@dataclass(frozen=True)
class Quorum:
    convened: int
    counted: int
    required_percent: Decimal
    colleges: list[CollegeAttendance]

    @property
    def reached(self) -> bool:
        return self.convened > 0 and self.counted * 100 >= self.required_percent * self.convened

    @property
    def counted_percent(self) -> Decimal:
        return Decimal(self.counted * 100) / self.convened if self.convened else Decimal(0)

    def explanation(self) -> str:
        """« 12 associés présents ou représentés sur 40 convoqués, soit 30,00 % ; il en faut
        20 % : quorum atteint. »"""
        verdict = "quorum atteint" if self.reached else "quorum non atteint"
        return (
            f"{self.counted} associé{'s' if self.counted > 1 else ''} présent"
            f"{'s' if self.counted > 1 else ''} ou représenté{'s' if self.counted > 1 else ''} "
            f"sur {self.convened} convoqué{'s' if self.convened > 1 else ''}, soit "
            f"{percent(self.counted_percent)}{NBSP}; il en faut {percent(self.required_percent)}"
            f"{NBSP}: {verdict}."
        )


def quorum(*, assembly: GeneralAssembly) -> Quorum:
    """Attendance per college and whether the statutes' quorum is reached: associates present
    or represented, as a share of the associates convened (one associate, one vote)."""
    required = Rule.objects.value_of(QUORUM_RULES[(assembly.kind, assembly.call)], Decimal(0))
    rows = (
        assembly.attendances.values("college")
        .annotate(
            convened=Count("pk"),
            present=Count("pk", filter=Q(status=Status.PRESENT)),
            represented=Count("pk", filter=Q(status=Status.REPRESENTED)),
        )
        .order_by()
    )
    colleges = {college.pk: college for college in College.objects.all()}
    lines = [
        CollegeAttendance(
            college=colleges.get(row["college"]),
            convened=row["convened"],
            present=row["present"],
            represented=row["represented"],
        )
        for row in rows
    ]
    lines.sort(
        key=lambda line: (line.college is None, getattr(line.college, "position", 0), line.name)
    )
    return Quorum(
        convened=sum(line.convened for line in lines),
        counted=sum(line.counted for line in lines),
        required_percent=required,
        colleges=lines,
    )
