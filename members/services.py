"""Workflows of the member file: join requests, their mails, and personal data.

Every function is keyword-only, atomic where it writes, and raises `ValidationError` with a
French message when the coordinator asks for something that cannot be done.
"""

import datetime
import logging
import re
import smtplib
import socket
import ssl
import unicodedata
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from association.models import SiteIdentity
from members.antispam import may_acknowledge
from members.models import (
    JoinRequest,
    Membership,
    OutgoingMail,
    Person,
    Structure,
    outgoing_mail_claim_timeout,
    stale_claim,
)
from members.privacy import PRIVACY_NOTICE_VERSION, retention_periods
from members.validators import header_text

logger = logging.getLogger(__name__)

NBSP = "\u00a0"


# --- Names -------------------------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_LEADING_ARTICLES = {"le", "la", "les", "l"}


def normalize_name(value: str) -> str:
    """A name as compared for duplicates: without case, accents, punctuation nor a leading
    article. « Les Compagnons-Bâtisseurs » and « compagnons batisseurs » are the same."""
    value = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", value).split()
    while len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def tidy_first_name(value: str) -> str:
    """A first name as the member file writes it, whatever the visitor typed: each part
    capitalised, hyphens kept. « jean-michel » and « JEAN-MICHEL » are « Jean-Michel »."""
    return re.sub(
        r"[^\s-]+", lambda part: part[0][:1].upper() + part[0][1:].lower(), " ".join(value.split())
    )


def tidy_last_name(value: str) -> str:
    """A last name as typed (« de La Fontaine » keeps its case), spaces tidied: it is shown in
    capitals anyway."""
    return " ".join(value.split())


# --- Join requests: submission -----------------------------------------------------------------


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
            mails = [
                OutgoingMail.objects.create(**fields)
                for fields in _join_mails(
                    join_request=join_request, site_url=site_url, acknowledge=acknowledge
                )
            ]
            for outgoing in mails:
                transaction.on_commit(partial(enqueue_outgoing_mail, mail_id=outgoing.pk))
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
    """The mails of a new request, rendered now (French, plain text and HTML): the
    coordinator's notification and, when `acknowledge`, the applicant's acknowledgement."""
    site = SiteIdentity.load()
    context = {
        "join_request": join_request,
        "groups": list(join_request.groups.all()),
        "site": site,
        "site_url": site_url,
        "admin_url": site_url
        + reverse("admin:members_joinrequest_change", args=[join_request.pk]),
        "privacy_url": site_url + reverse("members:privacy"),
    }
    mails = []
    coordinator_address = site.notification_email or site.email
    if coordinator_address:
        mails.append(
            {
                "join_request": join_request,
                "kind": OutgoingMail.Kind.COORDINATOR_NOTIFICATION,
                "recipient": coordinator_address,
                "reply_to": join_request.email,
                "subject": header_text(f"Nouvelle demande sur le site{NBSP}: {join_request}"),
                "body_text": render_to_string("members/emails/join_notification.txt", context),
                "body_html": render_to_string("members/emails/join_notification.html", context),
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
            "join_request": join_request,
            "kind": OutgoingMail.Kind.APPLICANT_ACKNOWLEDGEMENT,
            "recipient": join_request.email,
            "reply_to": site.email,
            # The full name: the applicant may not know what « PTCE » stands for.
            "subject": header_text(f"{site.name}{NBSP}: nous avons bien reçu votre demande"),
            "body_text": render_to_string("members/emails/join_acknowledgement.txt", context),
            "body_html": render_to_string("members/emails/join_acknowledgement.html", context),
        }
    )
    return mails


# --- Outgoing mail -----------------------------------------------------------------------------


def enqueue_outgoing_mail(*, mail_id: int, run_after: datetime.datetime | None = None) -> None:
    """Hand a mail to the task queue. If the queue cannot take it, the row stays pending and
    « Renvoyer » in the admin sends it later: the request itself is never lost."""
    from members.tasks import send_outgoing_mail

    task = send_outgoing_mail.using(run_after=run_after) if run_after else send_outgoing_mail
    try:
        task.enqueue(mail_id)
    except Exception:
        logger.exception("Could not enqueue outgoing mail %s.", mail_id)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Growing delays between attempts: 1, 4, 16, 64… times the base delay."""
    return datetime.timedelta(seconds=settings.OUTGOING_MAIL_RETRY_DELAY * 4 ** (attempts - 1))


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    retry_at: datetime.datetime | None = None


INTERRUPTED_SEND = (
    f"Envoi interrompu{NBSP}: le processus d'envoi s'est arrêté pendant l'envoi, avant d'en "
    f"connaître le résultat (le message a pu partir quand même)"
)


def deliver_outgoing_mail(*, mail_id: int) -> DeliveryOutcome:
    """Send one mail through Django's default mailer and record how it went.

    The row is claimed first (pending → sending, with the time, one conditional UPDATE), so
    two workers, or a retry and a « Renvoyer », never send it twice while the claim is fresh.
    A claim older than `OUTGOING_MAIL_CLAIM_TIMEOUT` was left by a worker that stopped: it is
    claimed again, so a mail is sent at least once, and twice if that worker stopped after the
    server accepted the mail. On failure the attempt is counted and the next one scheduled,
    until `OUTGOING_MAIL_MAX_ATTEMPTS`, when the mail is marked failed."""
    now = timezone.now()
    mails = OutgoingMail.objects.filter(pk=mail_id)
    # A mail whose every attempt was interrupted (one that stops the worker?) is not retried
    # for ever.
    if (
        mails.stale_claims(now=now)
        .filter(attempts__gte=settings.OUTGOING_MAIL_MAX_ATTEMPTS)
        .update(
            status=OutgoingMail.Status.FAILED, next_attempt_at=None, last_error=INTERRUPTED_SEND
        )
    ):
        logger.error("Outgoing mail %s failed: its last attempt was interrupted.", mail_id)
        return DeliveryOutcome(status=OutgoingMail.Status.FAILED)
    if not mails.claim(now=now):
        return DeliveryOutcome(status="skipped")
    outgoing = OutgoingMail.objects.get(pk=mail_id)
    message = mail.EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body_text,
        to=[outgoing.recipient],
        reply_to=[outgoing.reply_to] if outgoing.reply_to else None,
    )
    if outgoing.body_html:
        message.attach_alternative(outgoing.body_html, "text/html")
    try:
        mail.mailers.default.send_messages([message])
    except Exception as error:  # Any failure of the mail server is recorded, never raised.
        outgoing.last_error = describe_mail_error(error)[:2000]
        if outgoing.attempts >= settings.OUTGOING_MAIL_MAX_ATTEMPTS:
            outgoing.status = OutgoingMail.Status.FAILED
            outgoing.next_attempt_at = None
        else:
            outgoing.status = OutgoingMail.Status.PENDING
            outgoing.next_attempt_at = timezone.now() + retry_delay(outgoing.attempts)
        if not _record_delivery(outgoing, claimed_at=now):
            return DeliveryOutcome(status="superseded")
        if outgoing.status == OutgoingMail.Status.FAILED:
            logger.error(
                "Outgoing mail %s failed after %s attempts: %s",
                outgoing.pk,
                outgoing.attempts,
                outgoing.last_error,
            )
        else:
            logger.warning(
                "Outgoing mail %s not sent (attempt %s), retrying at %s: %s",
                outgoing.pk,
                outgoing.attempts,
                outgoing.next_attempt_at.isoformat(),
                outgoing.last_error,
            )
        return DeliveryOutcome(status=outgoing.status, retry_at=outgoing.next_attempt_at)
    outgoing.status = OutgoingMail.Status.SENT
    outgoing.sent_at = timezone.now()
    outgoing.last_error = ""
    outgoing.next_attempt_at = None
    if not _record_delivery(outgoing, claimed_at=now):
        return DeliveryOutcome(status="superseded")
    return DeliveryOutcome(status=outgoing.status)


def _record_delivery(outgoing: OutgoingMail, *, claimed_at: datetime.datetime) -> bool:
    """Save the outcome of a send, unless another worker claimed the mail again meanwhile (this
    one took longer than `OUTGOING_MAIL_CLAIM_TIMEOUT`): that worker's outcome is the one to
    keep, and the mail will have gone twice."""
    recorded = OutgoingMail.objects.filter(
        pk=outgoing.pk, status=OutgoingMail.Status.SENDING, claimed_at=claimed_at
    ).update(
        status=outgoing.status,
        last_error=outgoing.last_error,
        next_attempt_at=outgoing.next_attempt_at,
        sent_at=outgoing.sent_at,
    )
    if not recorded:
        logger.warning(
            "Outgoing mail %s was claimed again while this worker was sending it (longer than "
            "OUTGOING_MAIL_CLAIM_TIMEOUT): outcome %s not recorded.",
            outgoing.pk,
            outgoing.status,
        )
    return bool(recorded)


@dataclass(frozen=True)
class RequeueOutcome:
    interrupted: int
    overdue: int


def requeue_stale_mails() -> RequeueOutcome:
    """Queue again the mails nothing will send otherwise (cron, every few minutes): those a
    worker stopped half-way through sending (claimed longer ago than
    `OUTGOING_MAIL_CLAIM_TIMEOUT`), and those pending whose time came that long ago, whose task
    was lost (the worker stopped before claiming them, or the queue refused them).

    Nothing is changed here: the task claims the mail with the same conditions, so a mail
    queued twice, or sent meanwhile, is skipped."""
    now = timezone.now()
    cutoff = now - outgoing_mail_claim_timeout()
    interrupted = list(OutgoingMail.objects.stale_claims(now=now).values_list("pk", flat=True))
    overdue = list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
        .filter(
            Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
        )
        .values_list("pk", flat=True)
    )
    if interrupted:
        logger.warning("Outgoing mails %s were left half-sent by a stopped worker.", interrupted)
    for mail_id in interrupted + overdue:
        enqueue_outgoing_mail(mail_id=mail_id)
    return RequeueOutcome(interrupted=len(interrupted), overdue=len(overdue))


def describe_mail_error(error: Exception) -> str:
    """What went wrong, in French for the coordinator, then the technical detail for whoever
    looks after the mail server."""
    chain, cause = [], error
    while cause is not None and len(chain) < 5:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(cause, TimeoutError) for cause in chain):
        # smtplib reports a silent server as « Connection unexpectedly closed: timed out ».
        reason = "Délai dépassé\u00a0: le serveur d'envoi n'a pas répondu à temps"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        reason = "Adresse refusée par le serveur d'envoi (destinataire inconnu ou bloqué)"
    elif isinstance(error, smtplib.SMTPSenderRefused):
        reason = "Adresse d'expéditeur refusée par le serveur d'envoi"
    elif isinstance(error, smtplib.SMTPAuthenticationError):
        reason = "Identifiant ou mot de passe refusé par le serveur d'envoi"
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        reason = "Le serveur d'envoi a coupé la connexion"
    elif isinstance(error, smtplib.SMTPDataError):
        reason = "Message refusé par le serveur d'envoi"
    elif isinstance(error, smtplib.SMTPException):
        reason = "Le serveur d'envoi a répondu par une erreur"
    elif isinstance(error, socket.gaierror):
        reason = "Serveur d'envoi introuvable (nom inconnu)"
    elif isinstance(error, ssl.SSLError):
        reason = "Échec de la connexion chiffrée avec le serveur d'envoi"
    elif isinstance(error, OSError):
        reason = "Serveur d'envoi injoignable"
    else:
        reason = "Échec de l'envoi"
    return f"{reason}. Détail technique{NBSP}: {type(error).__name__}: {error}"


@dataclass(frozen=True)
class ResendOutcome:
    queued: int
    skipped_sent: int
    skipped_sending: int

    def message(self) -> str:
        """What the coordinator reads after « Renvoyer »."""
        parts = [f"E-mails remis dans la file d'envoi{NBSP}: {self.queued}."]
        if self.skipped_sent:
            parts.append(
                f"Déjà envoyés, donc pas renvoyés{NBSP}: {self.skipped_sent} (pour en renvoyer "
                f"un quand même, ouvrez-le et choisissez «{NBSP}Renvoyer, même s'il a déjà été "
                f"envoyé{NBSP}»)."
            )
        if self.skipped_sending:
            parts.append(
                f"En cours d'envoi, laissés tels quels{NBSP}: {self.skipped_sending}. Un envoi "
                f"resté sans résultat quelques minutes sera relancé, ou pourra être renvoyé."
            )
        return " ".join(parts)


def resend_outgoing_mails(*, mails: models.QuerySet, include_sent: bool = False) -> ResendOutcome:
    """« Renvoyer »: reset the counters of the mails not delivered yet (failed, still pending,
    or interrupted: left half-sent by a stopped worker) and send them again from the queue. A
    mail already sent is left alone unless `include_sent` (the coordinator asked for it, one
    mail at a time): the applicant would otherwise get the same acknowledgement twice. A mail
    being sent right now (a fresh claim) is never reset, or the worker and the new task could
    both send it."""
    resendable = [OutgoingMail.Status.FAILED, OutgoingMail.Status.PENDING]
    if include_sent:
        resendable.append(OutgoingMail.Status.SENT)
    resettable = Q(status__in=resendable) | stale_claim(timezone.now())
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update()
            .filter(resettable, pk__in=mails.values("pk"))
            .values_list("pk", flat=True)
        )
        # The same conditions in the UPDATE's WHERE: a worker's claim in between is not undone.
        OutgoingMail.objects.filter(resettable, pk__in=ids).update(
            status=OutgoingMail.Status.PENDING,
            attempts=0,
            last_error="",
            next_attempt_at=None,
            sent_at=None,
            claimed_at=None,
        )
        for mail_id in ids:
            transaction.on_commit(partial(enqueue_outgoing_mail, mail_id=mail_id))
        left = dict(
            mails.exclude(pk__in=ids)
            .order_by()
            .values_list("status")
            .annotate(count=models.Count("pk"))
            .values_list("status", "count")
        )
    return ResendOutcome(
        queued=len(ids),
        skipped_sent=left.get(OutgoingMail.Status.SENT, 0),
        skipped_sending=left.get(OutgoingMail.Status.SENDING, 0),
    )


# --- Join requests: the coordinator's decisions ------------------------------------------------


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
    """People with the applicant's e-mail (any case) or name (compared with `normalize_name`),
    and, for a structure, structures with its name or acronym. E-mail matches come first.

    Names are compared in Python: accents cannot be ignored portably in SQL, and a member
    file holds hundreds of rows, not millions."""
    matches = Matches()
    email = join_request.email.strip().lower()
    names = {
        _name_key(f"{join_request.first_name} {join_request.last_name}"),
        _name_key(f"{join_request.last_name} {join_request.first_name}"),
    } - {""}
    by_email, by_name = [], []
    for person in Person.objects.select_related("structure"):
        if email and person.email.lower() == email:
            by_email.append(person)
        elif _name_key(f"{person.first_name} {person.last_name}") in names:
            by_name.append(person)
    matches.people = by_email + by_name
    if join_request.is_structure and join_request.structure_name:
        wanted = _name_key(join_request.structure_name)
        matches.structures = [
            structure
            for structure in Structure.objects.all()
            if wanted in (_name_key(structure.name), _name_key(structure.acronym))
        ]
    return matches


def _name_key(value: str) -> str:
    """`normalize_name` without the spaces, so « A.P.E.I. » finds « APEI »."""
    return normalize_name(value).replace(" ", "")


def _locked_open_request(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not locked.is_open:
        raise ValidationError(
            f"Cette demande a déjà été traitée (statut{NBSP}: {locked.get_status_display()})."
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
) -> JoinRequest:
    """Accept a request: link the given person and structure, or create them (None); add them
    to the groups asked for; record this year's membership (pending) if they asked to join.

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
            Membership.objects.get_or_create(
                **member,
                year=timezone.localdate().year,
                defaults={
                    "status": Membership.Status.PENDING,
                    "notes": f"Demande d'adhésion reçue le {locked.created_at:%d/%m/%Y}.",
                },
            )
        locked.status = JoinRequest.Status.ACCEPTED
        locked.handled_by = handled_by
        locked.handled_at = timezone.now()
        locked.person = person
        locked.structure = structure
        locked.save()
    return locked


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


def decline_join_request(*, join_request: JoinRequest, handled_by, reason: str) -> JoinRequest:
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
    return locked


# --- Personal data -----------------------------------------------------------------------------


def _row(instance: models.Model) -> dict:
    """Every concrete field of a row, by its French name, as JSON-friendly values."""
    row = {}
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if model_field.is_relation:
            related = getattr(instance, model_field.name)
            value = str(related) if related is not None else None
        elif model_field.choices and value not in (None, ""):
            # The person reads « Acceptée », not the code « accepted ».
            value = str(dict(model_field.flatchoices).get(value, value))
        elif isinstance(value, datetime.datetime | datetime.date | datetime.time):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        row[str(model_field.verbose_name)] = value
    return row


def _join_requests_of(person: Person) -> models.QuerySet:
    condition = Q(person=person)
    if person.email:
        condition |= Q(email__iexact=person.email)
    return JoinRequest.objects.filter(condition)


def _person_relations(person: Person):
    """(relation, queryset) for everything else in the database that points at the person,
    found by introspection so a model added later is not forgotten."""
    for relation in Person._meta.related_objects:
        if relation.related_model is JoinRequest:
            continue
        if relation.many_to_many:
            yield relation, getattr(person, relation.get_accessor_name()).all()
        elif relation.one_to_many or relation.one_to_one:
            yield (
                relation,
                relation.related_model._default_manager.filter(**{relation.field.name: person}),
            )


def export_person_data(*, person: Person) -> dict:
    """Everything held about one person (right of access, portability), as a JSON-ready dict."""
    join_requests = _join_requests_of(person).prefetch_related("groups", "outgoing_mails")
    data = {
        "exporté le": timezone.now().isoformat(),
        "responsable du traitement": SiteIdentity.load().name,
        "personne": _row(person),
        "demandes d'adhésion": [
            {
                **_row(join_request),
                "groupes de travail souhaités": [g.name for g in join_request.groups.all()],
                str(OutgoingMail._meta.verbose_name_plural): [
                    _row(outgoing) for outgoing in join_request.outgoing_mails.all()
                ],
            }
            for join_request in join_requests
        ],
    }
    for relation, queryset in _person_relations(person):
        data[str(relation.related_model._meta.verbose_name_plural)] = [
            _row(instance) for instance in queryset
        ]
    return data


@dataclass
class ErasurePlan:
    """What `erase_person` will do, for the confirmation page."""

    person: Person
    anonymise: bool
    join_requests: int
    deleted: dict[str, int]
    kept: dict[str, int]


def plan_person_erasure(*, person: Person) -> ErasurePlan:
    deleted, kept = {}, {}
    for relation, queryset in _person_relations(person):
        label = str(relation.related_model._meta.verbose_name_plural)
        count = queryset.count()
        if not count:
            continue
        if relation.related_model is Membership:
            kept[label] = count
        else:
            deleted[label] = count
    return ErasurePlan(
        person=person,
        anonymise=bool(kept),
        join_requests=_join_requests_of(person).count(),
        deleted=deleted,
        kept=kept,
    )


def erase_person(*, person: Person) -> ErasurePlan:
    """Right to erasure. What the yearly figures need is kept but anonymised: the memberships
    (year, fee, status) stay, attached to a person without name nor contact details. The rest
    goes: join requests and their mails, group participations, leads, talks, and the names in
    the admin's history."""
    plan = plan_person_erasure(person=person)
    with transaction.atomic():
        join_requests = _join_requests_of(person)
        scrub_admin_history(
            model=JoinRequest, pks=list(join_requests.values_list("pk", flat=True))
        )
        join_requests.delete()
        for relation, queryset in _person_relations(person):
            if relation.related_model is Membership:
                continue
            if relation.many_to_many:
                getattr(person, relation.get_accessor_name()).clear()
            else:
                queryset.delete()
        if plan.anonymise:
            _anonymise_person(person)
            scrub_admin_history(model=Person, pks=[person.pk], label=str(person))
        else:
            scrub_admin_history(model=Person, pks=[person.pk])
            person.delete()
    return plan


def _anonymise_person(person: Person) -> None:
    person.first_name = "Personne anonymisée"
    person.last_name = f"n°\u00a0{person.pk}"
    person.anonymised_at = timezone.now()
    person.email = ""
    person.phone = ""
    person.title = ""
    person.structure = None
    person.team_role = ""
    person.team_since = None
    person.show_contact_publicly = False
    person.save()


def scrub_admin_history(*, model, pks: list, label: str = "Données effacées") -> None:
    """The admin's history keeps each object's name: replace it once the object is erased."""
    if not pks:
        return
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr=label, change_message="")


# --- Retention ---------------------------------------------------------------------------------


@dataclass
class RetentionReport:
    declined_deleted: int
    unhandled_deleted: int
    people_anonymised: int


def _months_ago(now: datetime.datetime, months: int) -> datetime.datetime:
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(now.day, _days_in_month(year, month))
    return now.replace(year=year, month=month, day=day)


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def _last_year_ended_before(moment: datetime.datetime) -> int:
    """The latest year whose end (1 January of the next one, local time) is before `moment`."""
    year = timezone.localtime(moment).year
    zone = timezone.get_current_timezone()
    while datetime.datetime(year + 1, 1, 1, tzinfo=zone) >= moment:
        year -= 1
    return year


def inactive_people(*, since: datetime.datetime) -> models.QuerySet:
    """People whose last activity with the association is older than `since`, and who hold
    no role that needs their contact details.

    Their last activity is the later of:
    - the end of their last membership year, or of their structure's (the contact person of
      a member structure is active while the structure adheres);
    - their last join request linked to them, on the day it was accepted (or sent);
    and, for someone with neither (a contact entered by hand), the last change to their record.

    Never inactive, whatever the dates: the association's team (`team_role`), the leads of an
    active working group, and people who agreed to have their contact details published."""
    last_year = _last_year_ended_before(since)
    return (
        Person.objects.filter(team_role="", show_contact_publicly=False)
        .exclude(group_leads__group__is_active=True)
        .annotate(
            own_last_year=Max("memberships__year"),
            structure_last_year=Max("structure__memberships__year"),
            last_request_at=Max(
                Coalesce("join_requests__handled_at", "join_requests__created_at")
            ),
        )
        .filter(
            Q(own_last_year__isnull=True) | Q(own_last_year__lte=last_year),
            Q(structure_last_year__isnull=True) | Q(structure_last_year__lte=last_year),
            Q(last_request_at__isnull=True) | Q(last_request_at__lt=since),
        )
        .exclude(
            own_last_year__isnull=True,
            structure_last_year__isnull=True,
            last_request_at__isnull=True,
            updated_at__gte=since,
        )
    )


def apply_retention() -> RetentionReport:
    """Apply the retention periods of the privacy notice. Idempotent: safe to run daily.

    - declined requests: deleted `RETENTION_DECLINED_MONTHS` after the decision;
    - requests left without an answer (« nouvelle » or « en cours », neither accepted nor
      declined): deleted `RETENTION_UNHANDLED_MONTHS` after they arrived, however recently a
      coordinator took them — the privacy page promises it from the date they were sent;
    - people inactive for `RETENTION_FORMER_MEMBER_YEARS` years (see `inactive_people`):
      e-mail and phone erased, and the accepted requests that copied them deleted.
    """
    periods = retention_periods()
    now = timezone.now()
    with transaction.atomic():
        declined = JoinRequest.objects.filter(
            status=JoinRequest.Status.DECLINED,
            handled_at__lt=_months_ago(now, periods.declined_months),
        )
        unhandled = JoinRequest.objects.open().filter(
            created_at__lt=_months_ago(now, periods.unhandled_months),
        )
        declined_ids = list(declined.values_list("pk", flat=True))
        unhandled_ids = list(unhandled.values_list("pk", flat=True))
        scrub_admin_history(model=JoinRequest, pks=declined_ids + unhandled_ids)
        JoinRequest.objects.filter(pk__in=declined_ids + unhandled_ids).delete()

        inactive_ids = list(
            inactive_people(since=_months_ago(now, 12 * periods.former_member_years))
            .exclude(email="", phone="")
            .values_list("pk", flat=True)
        )
        scrub_admin_history(
            model=JoinRequest,
            pks=list(
                JoinRequest.objects.filter(person__in=inactive_ids).values_list("pk", flat=True)
            ),
        )
        JoinRequest.objects.filter(person__in=inactive_ids).delete()
        Person.objects.filter(pk__in=inactive_ids).update(
            email="", phone="", show_contact_publicly=False, updated_at=now
        )
    return RetentionReport(
        declined_deleted=len(declined_ids),
        unhandled_deleted=len(unhandled_ids),
        people_anonymised=len(inactive_ids),
    )
