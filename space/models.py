"""The partners' space: the one-time sign-in links (only their hash is stored) and the
requests for erasure sent from the space to the coordinator."""

from django.db import models
from django.utils import timezone

from members.models import Person
from outbox.models import register_mail_kinds


class SpaceMailKind(models.TextChoices):
    """The mails of the partners' space (see `outbox`)."""

    SIGN_IN = "space-sign-in", "Lien de connexion à « Mon espace »"
    ERASURE_REQUEST = "space-erasure-request", "Demande d'effacement (à la coordination)"


register_mail_kinds(
    SpaceMailKind,
    templates={
        SpaceMailKind.SIGN_IN: "space/emails/sign_in_link",
        SpaceMailKind.ERASURE_REQUEST: "space/emails/erasure_request",
    },
)


class SignInLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class SignInLink(models.Model):
    """A sign-in link mailed to a person. The token itself is only in the mail: here is its
    SHA-256, so that a copy of the database signs no one in."""

    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="sign_in_links",
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien de connexion"
        verbose_name_plural = "liens de connexion"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.person} — {self.created_at:%d/%m/%Y %H:%M}"


class ErasureRequest(models.Model):
    """A person asked, from their space, that their data be erased: the coordinator handles
    it (« Effacer ses données personnelles… » on the person's record), then marks it handled."""

    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    message = models.TextField("message", blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["handled_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(handled_at__isnull=True),
                name="one_open_erasure_request_per_person",
            ),
        ]

    def __str__(self):
        return f"Demande d'effacement — {self.person}"
