"""The newsletter: an issue, its ordered sections, and one delivery per subscriber."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from groups.models import WorkingGroup
from news.models.subscribers import Subscriber
from outbox.models import OutgoingMail


class IssueQuerySet(models.QuerySet):
    def published(self, now=None) -> "IssueQuerySet":
        """In the archives /lettre/: its publication date come (a scheduled issue appears when
        it is sent, not when it is scheduled)."""
        return self.filter(published_at__lte=now or timezone.now())

    def public(self, now=None) -> "IssueQuerySet":
        """What every public list shows (the archives, the home, the sitemap): published, and
        not reserved to some groups' participants, who read those by the link of their mail."""
        return self.published(now).filter(audience_groups=None)

    def with_reserved(self) -> "IssueQuerySet":
        """Each issue with `reserved`: sent to some groups' participants only (no extra query)."""
        audience = Issue.audience_groups.through.objects.filter(issue=models.OuterRef("pk"))
        return self.annotate(reserved=models.Exists(audience))

    def programmed(self, now=None) -> "IssueQuerySet":
        """Scheduled, with a publication date still to come: on the site by themselves then."""
        return self.filter(published_at__gt=now or timezone.now())

    def due(self, now) -> "IssueQuerySet":
        """To send now: scheduled and due, or being sent (a sender that stopped resumes)."""
        return self.filter(
            models.Q(status=Issue.Status.SCHEDULED, send_at__lte=now)
            | models.Q(status=Issue.Status.SENDING)
        )


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "En préparation"
        SCHEDULED = "scheduled", "Envoi programmé"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyée"

    number = models.PositiveIntegerField("numéro", unique=True)
    title = models.CharField("titre", max_length=200)
    editorial = models.TextField("éditorial", blank=True, help_text="Au format Markdown.")
    period_start = models.DateField(
        "depuis le",
        null=True,
        blank=True,
        help_text="Le début de la période dont parle la lettre (vide\u00a0: depuis la "
        "précédente).",
    )
    published_at = models.DateTimeField(
        "publiée sur le site le",
        null=True,
        blank=True,
        help_text="Vide\u00a0: pas encore dans les archives /lettre/. Programmer l'envoi y met "
        "la date de l'envoi\u00a0: la lettre paraît sur le site quand elle part.",
    )
    status = models.CharField(
        "envoi", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    send_at = models.DateTimeField("envoi programmé le", null=True, blank=True)
    audience_groups = models.ManyToManyField(
        WorkingGroup,
        verbose_name="réservée aux participants de",
        blank=True,
        related_name="+",
        help_text="Vide\u00a0: tous les abonnés, et la lettre paraît dans les archives /lettre/. "
        "Réservée\u00a0: n'apparaît pas dans les archives publiques\u00a0; ses destinataires la "
        "lisent par le lien de leur message.",
    )
    sender_heartbeat = models.DateTimeField(
        "dernier signe de l'envoi", null=True, blank=True, editable=False
    )
    sent_at = models.DateTimeField("envoi terminé le", null=True, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "lettre d'information"
        verbose_name_plural = "lettres d'information"
        ordering = ["-number"]

    def __str__(self):
        return f"N°\u00a0{self.number} — {self.title}"

    def get_absolute_url(self):
        return reverse("news:issue_detail", kwargs={"number": self.number})


class Section(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Actualité"
        GROUP = "group", "Nouvelles d'un groupe"
        EVENTS = "events", "Événements"
        FIGURES = "figures", "Chiffres de l'année"
        MEMBERS = "members", "Nouveaux membres"
        FREE = "free", "Rubrique libre"

    issue = models.ForeignKey(
        Issue, verbose_name="lettre", on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.FREE)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte", blank=True, help_text="Au format Markdown.")
    link = models.CharField(
        "lien", max_length=300, blank=True, help_text="Une adresse du site (« /groupes/… »)."
    )
    # Set by the composer only: what the section tells (« article:12 », « group:3 »,
    # « events »…) and the fingerprint of the text it proposed. Empty: written by hand.
    proposal = models.CharField("proposée d'après", max_length=40, blank=True, editable=False)
    proposed_digest = models.CharField(
        "empreinte du texte proposé", max_length=64, blank=True, editable=False
    )

    class Meta:
        verbose_name = "rubrique"
        verbose_name_plural = "rubriques"
        ordering = ["issue", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "proposal"],
                condition=~models.Q(proposal=""),
                name="one_section_per_proposal",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The link goes on a page and into every mail: a page of the site or a web address,
        never `javascript:` nor `data:`."""
        link = self.link.strip()
        if link and not (
            (link.startswith("/") and not link.startswith("//"))
            or link.lower().startswith(("https://", "http://"))
        ):
            raise ValidationError(
                {
                    "link": "Indiquez une adresse du site («\u00a0/groupes/…\u00a0») ou une "
                    "adresse web en https://."
                }
            )
        self.link = link

    def text_digest(self) -> str:
        """The fingerprint of what the section says, blind to spacing and line ends (a browser
        sends a textarea back with « \\r\\n »)."""
        parts = (
            " ".join(value.split()) for value in (self.kind, self.title, self.body, self.link)
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @property
    def is_edited(self) -> bool:
        """A proposed section the coordinator changed since the composer wrote it."""
        return bool(self.proposal) and self.proposed_digest != self.text_digest()


class Delivery(models.Model):
    """One issue to one subscriber: at most one row, so at most one mail (the constraint is
    the guarantee, whatever the sender does after a crash)."""

    issue = models.ForeignKey(
        Issue, verbose_name="lettre", on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné", on_delete=models.CASCADE, related_name="deliveries"
    )
    mail = models.OneToOneField(
        OutgoingMail,
        verbose_name="e-mail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "envoi de la lettre"
        verbose_name_plural = "envois de la lettre"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_issue_and_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
