"""The outbox's record: one row per e-mail the portal sends (see `outbox.services`)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# Kinds of mail, declared by the apps that send them: code -> French label, and code -> the
# name of its templates without their ending (see `register_mail_kinds`).
_KIND_LABELS: dict[str, str] = {}
_KIND_TEMPLATES: dict[str, str] = {}


def register_mail_kinds(kinds: type[models.TextChoices], *, templates: dict[str, str]) -> None:
    """Declare the kinds of mail an app sends (`TextChoices`: stored code, French label), so
    the outbox shows and filters them by name without knowing the apps above it, and the
    templates of each: `templates[kind]` names them without their ending, e.g.
    « groups/emails/invitation » for `invitation_subject.txt` (one line), `invitation.txt` and,
    when there is one, `invitation.html`. `outbox.services.queue_templated_mail` renders them."""
    missing = set(kinds.values) - set(templates)
    if missing:
        raise ImproperlyConfigured(f"Mail kinds without templates: {sorted(missing)}")
    _KIND_LABELS.update(kinds.choices)
    _KIND_TEMPLATES.update({str(kind): name for kind, name in templates.items()})


def mail_templates(kind: str) -> str:
    """The name of a kind's templates, without their ending (see `register_mail_kinds`)."""
    return _KIND_TEMPLATES[kind]


def mail_kinds() -> list[tuple[str, str]]:
    return sorted(_KIND_LABELS.items(), key=lambda item: item[1])


def outgoing_mail_claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTGOING_MAIL_CLAIM_TIMEOUT)


def stale_claim(now: datetime.datetime) -> Q:
    """The condition of a claim older than `OUTGOING_MAIL_CLAIM_TIMEOUT` at `now`. Without a
    date, the claim predates the recording of claims: stale too."""
    return Q(status="sending") & (
        Q(claimed_at__lt=now - outgoing_mail_claim_timeout()) | Q(claimed_at__isnull=True)
    )


class OutgoingMailQuerySet(models.QuerySet):
    def stale_claims(self, *, now: datetime.datetime):
        """Mails a worker started sending longer ago than `OUTGOING_MAIL_CLAIM_TIMEOUT`: that
        worker stopped (or hangs) and will not record the outcome."""
        return self.filter(stale_claim(now))

    def claimable(self, *, now: datetime.datetime):
        """Mails a worker may start sending now: pending and due, or left by a stopped worker."""
        due = Q(status="pending") & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        return self.filter(due | stale_claim(now))

    def claim(self, *, now: datetime.datetime) -> int:
        """Mark these mails as being sent from `now`, counting the attempt; the number claimed.

        One conditional UPDATE, whose WHERE re-reads the state and the claim date: of two
        workers racing for a mail, the second finds it claimed (fresh) and updates nothing."""
        return self.claimable(now=now).update(
            status="sending", claimed_at=now, attempts=F("attempts") + 1
        )


class OutgoingMail(models.Model):
    """One e-mail to send, written in the same transaction as what caused it, so that nothing
    is lost when the mail server is down: the worker sends it and records how it went.

    A worker claims a mail (« envoi en cours », with the time) before sending it. A claim
    older than `OUTGOING_MAIL_CLAIM_TIMEOUT` was left by a worker that stopped: the mail is
    shown « envoi interrompu » and claimed again by the next task for it (queued by
    `manage.py requeue_stale_mails` or « Renvoyer »)."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente d'envoi"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"

    # What the mail is about (a join request, a meeting…): the app above that sends it keeps a
    # GenericRelation to its mails, which deletes them with it.
    content_type = models.ForeignKey(
        ContentType, verbose_name="au sujet de (type)", on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField("au sujet de (numéro)")
    about = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        "type", max_length=40, help_text="Déclaré par l'application qui envoie (mail_kinds)."
    )
    recipient = models.EmailField("destinataire", max_length=254)
    reply_to = models.EmailField("répondre à", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=300)
    body_text = models.TextField("texte")
    body_html = models.TextField("texte HTML", blank=True)
    attachment_name = models.CharField("pièce jointe", max_length=100, blank=True)
    attachment_type = models.CharField("type de la pièce jointe", max_length=100, blank=True)
    attachment = models.TextField(
        "contenu de la pièce jointe", blank=True, help_text="Texte (un fichier .ics)."
    )
    unsubscribe_url = models.URLField(
        "lien de désinscription",
        max_length=500,
        blank=True,
        help_text="Envoyé en en-tête List-Unsubscribe (désinscription en un clic, RFC 8058).",
    )
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    claimed_at = models.DateTimeField(
        "dernier envoi commencé le",
        null=True,
        blank=True,
        help_text="Un envoi commencé depuis plusieurs minutes sans résultat a été interrompu "
        "(processus d'envoi arrêté)\u00a0: il est relancé automatiquement.",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        # Not « e-mails envoyés »: many are waiting, or failed.
        verbose_name = "e-mail du site"
        verbose_name_plural = "e-mails du site"
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="outgoing_mail_about_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outgoing_mail_sent_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_interrupted(self) -> bool:
        """Claimed by a worker so long ago that it must have stopped."""
        return self.status == self.Status.SENDING and (
            self.claimed_at is None
            or self.claimed_at < timezone.now() - outgoing_mail_claim_timeout()
        )

    def get_state_display(self) -> str:
        """The state as the coordinator reads it: the status, or « envoi interrompu »."""
        return "Envoi interrompu" if self.is_interrupted else self.get_status_display()
