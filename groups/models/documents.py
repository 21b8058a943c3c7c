"""Files of a working group or one of its meetings (agenda, minutes, presentations): checked
by their content, stored under a random name in a private storage (never a public URL), and
sent only by a view that checks the right (`space.views.documents`)."""

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.text import slugify

from association.uploads import (
    DOCUMENT_TYPES,
    document_format,
    stored_document_name,
    validate_document,
)
from groups.models.groups import WorkingGroup
from groups.models.meetings import Meeting


class _DocumentsStorage(LazyObject):
    """STORAGES["documents"], looked up when first used rather than when the model is defined
    (as Django's `default_storage` is), so that a change of the setting is followed."""

    def _setup(self):
        self._wrapped = storages["documents"]


_documents_storage = _DocumentsStorage()


@receiver(setting_changed, dispatch_uid="reset_documents_storage")
def _reset_documents_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _documents_storage._wrapped = empty


def documents_storage():
    """A folder outside MEDIA_ROOT, or a private bucket (see the settings)."""
    return _documents_storage


def document_upload_to(instance: "Document", filename: str) -> str:
    return stored_document_name(instance.file, folder=f"groupe-{instance.group_id}")


class DocumentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Document.Visibility.PUBLIC)

    def for_participant(self, person) -> "DocumentQuerySet":
        """The documents a participant may read: public ones, and those reserved to the
        participants of the groups they take part in."""
        return self.filter(
            models.Q(visibility=Document.Visibility.PUBLIC)
            | models.Q(group__in=WorkingGroup.objects.taken_part_by(person))
        )


class Document(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        PARTICIPANTS = "participants", "Réservé aux participants"

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Ordre du jour"
        MINUTES = "minutes", "Compte rendu"
        PRESENTATION = "presentation", "Présentation"
        OTHER = "other", "Autre document"

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="réunion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        help_text="Vide : un document du groupe, pas d'une réunion en particulier.",
    )
    title = models.CharField("titre", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    visibility = models.CharField(
        "visibilité",
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
        help_text="« Réservé aux participants »\u00a0: seuls les participants du groupe, "
        "connectés à «\u00a0Mon espace\u00a0», les chef·fe·s de file et la coordination "
        "peuvent l'ouvrir.",
    )
    file = models.FileField(
        "fichier",
        storage=documents_storage,
        upload_to=document_upload_to,
        max_length=200,
        validators=[validate_document],
        help_text="PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG ou JPEG.",
    )
    extension = models.CharField("format", max_length=10, editable=False)
    size = models.PositiveIntegerField("taille (octets)", default=0, editable=False)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.meeting_id and not self.group_id:
            self.group_id = self.meeting.group_id
        if self.file and not getattr(self.file, "_committed", True):
            self.extension = document_format(self.file) or "bin"
            self.size = self.file.size
        super().save(*args, **kwargs)

    def clean(self):
        if self.meeting_id and self.group_id and self.meeting.group_id != self.group_id:
            raise ValidationError({"meeting": "Cette réunion est celle d'un autre groupe."})

    @property
    def content_type(self) -> str:
        return DOCUMENT_TYPES.get(self.extension, "application/octet-stream")

    @property
    def download_name(self) -> str:
        return f"{slugify(self.title) or 'document'}.{self.extension}"

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


@receiver(post_delete, sender=Document, dispatch_uid="delete_document_file")
def _delete_file(sender, instance: Document, **kwargs):
    """The file goes with its record, once the deletion is committed."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
