"""The audit trail: one row per change to a record that matters, append-only.

Built on django-auditlog (its signal receivers compute the field-by-field diff), with our own
entry model (`AUDITLOG_LOGENTRY_MODEL`) adding where the change came from (`origin`), who made
it as a person reads it (`actor_label`: an account, « visiteur » and the public form's name, a
command) and the working group the record belongs to (`scope_id`, for the leads' view).

The table refuses UPDATE and DELETE at the database (triggers in the initial migration) unless
a row of `ScrubPermit` exists: only `audit.services` inserts one, for the length of its own
transaction (GDPR scrub, retention purge)."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models


class Origin(models.TextChoices):
    ADMIN = "admin", "back-office"
    SPACE = "space", "Mon espace"
    PUBLIC_FORM = "public_form", "formulaire public"
    COMMAND = "command", "commande"


class AuditEntryManager(LogEntryManager):
    """django-auditlog's writes: each entry it makes carries its record (`AuditEntry.record`),
    which the registry scopes it by when it is written (audit.registry)."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("record", instance)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("record", instance)
        cleared = instance.__dict__.get("_audit_cleared", {}).pop(field_name, None)
        if cleared is not None:  # a clear(): what was related before (audit.registry)
            if not cleared:
                return None
            changed_queryset = changed_queryset.filter(pk__in=cleared)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    # The trail outlives what it names: no cascade, no SET NULL (both would write to it).
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="type d'enregistrement",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        blank=True,
        null=True,
        related_name="+",
        verbose_name="compte",
    )
    origin = models.CharField(
        "origine", max_length=20, choices=Origin, default=Origin.COMMAND, db_index=True
    )
    actor_label = models.CharField(
        "auteur",
        max_length=200,
        blank=True,
        help_text=(
            "Le compte, « visiteur » et le nom saisi dans un formulaire public, ou la commande."
        ),
    )
    scope_id = models.PositiveBigIntegerField(
        "groupe de travail",
        null=True,
        blank=True,
        db_index=True,
        help_text="Le groupe dont relève l'enregistrement : ce qu'un chef de file voit.",
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "entrées du journal d'audit"
        indexes = [models.Index(fields=["content_type", "object_pk"], name="audit_entry_object")]
        permissions = [("export_auditentry", "Exporter le journal d'audit")]

    def __str__(self):
        return f"{self.get_action_display()} — {self.object_repr}"

    @property
    def record(self):
        """The record a new entry is about, until it is written (not stored)."""
        return self.__dict__.get("_record")

    @record.setter
    def record(self, value):
        self.__dict__["_record"] = value


class ScrubPermit(models.Model):
    """While a row exists, the trail's triggers let UPDATE and DELETE through. Only
    `audit.services.scrub_permit()` writes it, inside the transaction that uses it, so no
    other connection ever sees it."""

    granted_at = models.DateTimeField("accordée le", auto_now_add=True)
    reason = models.CharField("motif", max_length=200)

    class Meta:
        verbose_name = "autorisation d'effacement"
        verbose_name_plural = "autorisations d'effacement"

    def __str__(self):
        return self.reason
