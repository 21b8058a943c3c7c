"""The newsletter's subscribers: an address, and the consent behind it (double opt-in)."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from members.models import Person


class NewsMailKind(models.TextChoices):
    CONFIRMATION = "news_confirmation", "Lettre\u00a0: confirmation d'abonnement"
    ISSUE = "news_issue", "Lettre d'information"


class SubscriberQuerySet(models.QuerySet):
    def mailable(self) -> "SubscriberQuerySet":
        """Confirmed, and neither unsubscribed nor bounced since: the only ones a newsletter
        goes to."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def with_address(self, email: str) -> "SubscriberQuerySet":
        return self.filter(email__iexact=email.strip())

    def awaiting_confirmation_mail(self) -> "SubscriberQuerySet":
        """Imported without a proof of consent, their confirmation mail still to send (by
        `send_queued_confirmations`, at the newsletter's pace), first imported first."""
        return self.filter(
            status=Subscriber.Status.PENDING, confirmation_queued_at__isnull=False
        ).order_by("confirmation_queued_at", "pk")


class Subscriber(models.Model):
    """An address that asked for the newsletter. Nothing but the confirmation mail is sent
    until its link is opened (`confirmed_at`); the consent's wording is recorded by version."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de confirmation"
        CONFIRMED = "confirmed", "Abonné·e"
        UNSUBSCRIBED = "unsubscribed", "Désabonné·e"
        BOUNCED = "bounced", "Adresse en erreur"

    class Source(models.TextChoices):
        FORM = "form", "Formulaire du site"
        SPACE = "space", "Mon espace"
        IMPORT = "import", "Import d'une liste"

    email = models.EmailField("e-mail", max_length=254)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
    )
    source = models.CharField("origine", max_length=20, choices=Source.choices)
    source_detail = models.CharField(
        "origine du consentement",
        max_length=300,
        blank=True,
        help_text="Pour un import\u00a0: d'où vient l'accord (liste, date, formulaire papier…).",
    )
    consent_version = models.CharField("version du texte de consentement", max_length=20)
    requested_at = models.DateTimeField("demandé le")
    confirmation_queued_at = models.DateTimeField(
        "confirmation à envoyer depuis le",
        null=True,
        blank=True,
        help_text="Une adresse importée sans preuve de consentement reçoit sa demande de "
        "confirmation à son tour, au rythme d'envoi de la lettre.",
    )
    confirmation_sent_at = models.DateTimeField("confirmation envoyée le", null=True, blank=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True)
    groups = models.ManyToManyField(
        "groups.WorkingGroup",
        verbose_name="groupes suivis",
        blank=True,
        related_name="+",
        help_text="Pour les envois réservés aux participants de certains groupes.",
    )
    # The confirmation and every issue sent are about the subscriber: deleted with them.
    mails = GenericRelation("outbox.OutgoingMail")

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = "abonné à la lettre"
        verbose_name_plural = "abonnés à la lettre"
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_subscriber_email_ci"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="subscriber_confirmed_is_dated",
            ),
        ]

    def __str__(self):
        return self.email
