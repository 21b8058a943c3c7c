"""The outbox: every e-mail the portal sends is first a row, written in the same transaction
as what caused it, then sent by the task worker (`manage.py db_worker`), retried after a
growing delay, and resent from the admin. Nothing a person submitted is lost when the mail
server, or the worker, is down.

The task sits beside the function that enqueues it.
"""

import datetime
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.tasks import task
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from association.validators import header_text, is_forbidden_in_line
from outbox.models import OutgoingMail, mail_templates, outgoing_mail_claim_timeout, stale_claim

logger = logging.getLogger(__name__)


def queue_mail(*, about: models.Model, **fields) -> OutgoingMail:
    """Write a mail about `about` (a join request, a meeting…) and hand it to the worker once
    the current transaction commits. Call it inside the transaction that saves `about`, so the
    two are kept or lost together. `fields` are OutgoingMail's: kind, recipient, subject,
    body_text, and optionally body_html, reply_to, attachment_name/type, attachment,
    unsubscribe_url. The subject is made safe for a mail header here, whatever the caller
    passed."""
    (outgoing,) = queue_mails([{"about": about, **fields}])
    return outgoing


def queue_mails(mails: list[dict], *, enqueue: bool = True) -> list[OutgoingMail]:
    """`queue_mail` for many mails at once (a meeting's invitations): one INSERT for all, and
    one task that sends them once the transaction commits, whatever their number. Without
    `enqueue`, no task: the caller delivers them itself (`deliver_outgoing_mail`), at its own
    pace (the newsletter's sender, throttled)."""
    rows = [
        OutgoingMail(**{**fields, "subject": header_text(fields["subject"])}) for fields in mails
    ]
    if not rows:
        return []
    created = OutgoingMail.objects.bulk_create(rows)
    ids = [outgoing.pk for outgoing in created]
    if any(pk is None for pk in ids):  # a backend that returns no ids on bulk insert
        raise RuntimeError("bulk_create returned no primary keys")
    if enqueue:
        transaction.on_commit(partial(enqueue_outgoing_mails, mail_ids=ids))
    return created


def queue_templated_mail(
    *, about: models.Model, kind: str, recipient: str, context: dict, **fields
) -> OutgoingMail:
    """`queue_mail` for a mail of `kind`, its subject and bodies rendered with `context` from
    the templates the kind was registered with (`register_mail_kinds`). `fields`: the others
    of OutgoingMail (reply_to, attachment…)."""
    (outgoing,) = queue_templated_mails(
        kind=kind,
        mails=[{"about": about, "recipient": recipient, "context": context, **fields}],
    )
    return outgoing


def queue_templated_mails(
    *, kind: str, mails: list[dict], enqueue: bool = True
) -> list[OutgoingMail]:
    """`queue_templated_mail` for many mails of one kind (a meeting's invitations), each a
    dict of `about`, `recipient`, `context` and other fields: the templates are read once, and
    the mails written at once (`queue_mails`)."""
    render = mail_renderer(kind)
    return queue_mails(
        [
            {
                **{name: value for name, value in fields.items() if name != "context"},
                "kind": kind,
                **render(fields["context"]),
            }
            for fields in mails
        ],
        enqueue=enqueue,
    )


def mail_renderer(kind: str):
    """A function of a context that renders a mail of `kind`: its subject (one line), its
    plain text and, when the kind has an HTML template, its HTML."""
    name = mail_templates(kind)
    subject, text = get_template(f"{name}_subject.txt"), get_template(f"{name}.txt")
    try:
        html = get_template(f"{name}.html")
    except TemplateDoesNotExist:
        html = None

    def render(context: dict) -> dict:
        rendered = {
            "subject": " ".join(subject.render(context).splitlines()).strip(),
            "body_text": text.render(context),
        }
        if html is not None:
            rendered["body_html"] = html.render(context)
        return rendered

    return render


def enqueue_outgoing_mails(*, mail_ids: list[int]) -> None:
    """One task for many new mails; each failure is then retried on its own."""
    if len(mail_ids) == 1:
        enqueue_outgoing_mail(mail_id=mail_ids[0])
        return
    try:
        send_outgoing_mails.enqueue(mail_ids)
    except Exception:
        logger.exception("Could not enqueue outgoing mails %s.", mail_ids)


def enqueue_outgoing_mail(*, mail_id: int, run_after: datetime.datetime | None = None) -> None:
    """Hand a mail to the task queue. If the queue cannot take it, the row stays pending and
    « Renvoyer » in the admin sends it later: the request itself is never lost."""
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
    "Envoi interrompu\u00a0: le processus d'envoi s'est arrêté pendant l'envoi, avant d'en "
    "connaître le résultat (le message a pu partir quand même)"
)


def deliver_outgoing_mail(*, mail_id: int, connection=None) -> DeliveryOutcome:
    """Send one mail through Django's default mailer (or `connection`, one the caller keeps
    open for many mails) and record how it went.

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
    if invalid := address_error(outgoing):
        # No header is built from it, and no retry could mend it.
        outgoing.status, outgoing.next_attempt_at = OutgoingMail.Status.FAILED, None
        outgoing.last_error = invalid[:2000]
        if _record_delivery(outgoing, claimed_at=now):
            logger.error("Outgoing mail %s failed: %s", outgoing.pk, outgoing.last_error)
        return DeliveryOutcome(status=outgoing.status)
    message = _message(outgoing)
    try:
        (connection or mail.mailers.default).send_messages([message])
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


def address_error(outgoing: OutgoingMail) -> str:
    """Why the mail cannot go to its recipient or reply-to address (in French), or "": each
    must be one plain address, without a line break or an invisible character that would add
    a header (« …\\r\\nBcc: … ») or break one (U+2028)."""
    for label, address, required in (
        ("destinataire", outgoing.recipient, True),
        ("adresse de réponse", outgoing.reply_to, False),
    ):
        if (address or required) and not _is_plain_address(address):
            shown = header_text(address, limit=200)
            return (
                f"Adresse invalide\u00a0: {label} «\u00a0{shown}\u00a0». L'e-mail n'est pas "
                f"envoyé\u00a0; corrigez l'adresse là où elle a été saisie."
            )
    return ""


def _is_plain_address(address: str) -> bool:
    if any(is_forbidden_in_line(character) for character in address):
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


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
    return f"{reason}. Détail technique\u00a0: {type(error).__name__}: {error}"


@dataclass(frozen=True)
class ResendOutcome:
    queued: int
    skipped_sent: int
    skipped_sending: int

    def message(self) -> str:
        """What the coordinator reads after « Renvoyer »."""
        parts = [f"E-mails remis dans la file d'envoi\u00a0: {self.queued}."]
        if self.skipped_sent:
            parts.append(
                f"Déjà envoyés, donc pas renvoyés\u00a0: {self.skipped_sent} (pour en renvoyer "
                f"un quand même, ouvrez-le et choisissez «\u00a0Renvoyer, même s'il a déjà été "
                f"envoyé\u00a0»)."
            )
        if self.skipped_sending:
            parts.append(
                f"En cours d'envoi, laissés tels quels\u00a0: {self.skipped_sending}. Un envoi "
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


def _message(outgoing: OutgoingMail) -> mail.EmailMultiAlternatives:
    headers = {}
    if outgoing.unsubscribe_url:
        # RFC 8058: mail clients offer « se désinscrire », which POSTs to the link.
        headers["List-Unsubscribe"] = f"<{outgoing.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = mail.EmailMultiAlternatives(
        # Checked again here: a row written another way (an old row, a script) must not block
        # the worker with a header the mail library refuses.
        subject=header_text(outgoing.subject),
        body=outgoing.body_text,
        to=[outgoing.recipient],
        reply_to=[outgoing.reply_to] if outgoing.reply_to else None,
        headers=headers,
    )
    if outgoing.body_html:
        message.attach_alternative(outgoing.body_html, "text/html")
    if outgoing.attachment:
        message.attach(outgoing.attachment_name, outgoing.attachment, outgoing.attachment_type)
    return message


def _send(mail_id: int) -> str:
    outcome = deliver_outgoing_mail(mail_id=mail_id)
    if outcome.retry_at is not None:
        enqueue_outgoing_mail(mail_id=mail_id, run_after=outcome.retry_at)
    return outcome.status


@task()
def send_outgoing_mails(mail_ids: list[int]) -> list[str]:
    """Send several new mails in turn; each failure schedules its own retry."""
    return [_send(mail_id) for mail_id in mail_ids]


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one outgoing mail; on failure, enqueue itself again after a growing delay."""
    return _send(mail_id)
