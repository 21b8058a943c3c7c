"""The login account, the association's identity and its successive legal forms."""

import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction

from association.colors import DEFAULT_ACCENT_COLOR, validate_accent_color
from association.uploads import RasterImageField, stored_image_name
from association.validators import validate_single_line


class User(AbstractUser):
    """A login to the back-office. People of the member file are `members.Person`: most of
    them never log in, so the two are kept apart."""

    class Meta(AbstractUser.Meta):
        verbose_name = "compte utilisateur"
        verbose_name_plural = "comptes utilisateurs"


def logo_upload_to(instance: "SiteIdentity", filename: str) -> str:
    return stored_image_name(instance.logo, folder="identity")


class SiteIdentity(models.Model):
    """The one record that makes this portal the portal of *this* PTCE. Nothing specific to a
    territory is written in code or templates: it all comes from here."""

    name = models.CharField(
        "nom de l'association", max_length=200, validators=[validate_single_line]
    )
    short_name = models.CharField("nom court", max_length=60, validators=[validate_single_line])
    territory = models.CharField(
        "territoire",
        max_length=200,
        blank=True,
        help_text="Par exemple : Communauté d'agglomération Hénin-Carvin (Pas-de-Calais).",
        validators=[validate_single_line],
    )
    tagline = models.CharField(
        "accroche", max_length=300, blank=True, validators=[validate_single_line]
    )
    about = models.TextField(
        "présentation",
        blank=True,
        help_text="Histoire et projet de l'association, affichés sur la page « À propos ». "
        "Séparez les paragraphes par une ligne vide.",
    )
    join_call = models.TextField(
        "appel à rejoindre",
        blank=True,
        help_text="Texte d'invitation affiché sur l'accueil et le formulaire d'adhésion.",
    )
    office_name = models.CharField(
        "nom du local", max_length=200, blank=True, validators=[validate_single_line]
    )
    office_address = models.CharField(
        "adresse du local", max_length=300, blank=True, validators=[validate_single_line]
    )
    office_town = models.CharField(
        "commune du local", max_length=100, blank=True, validators=[validate_single_line]
    )
    phone = models.CharField(
        "téléphone", max_length=30, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField("e-mail de contact", blank=True)
    website = models.URLField("site internet", blank=True)
    notification_email = models.EmailField(
        "e-mail des notifications",
        blank=True,
        help_text="Adresse qui reçoit les demandes d'adhésion et les messages du site.",
    )
    accent_color = models.CharField(
        "couleur principale",
        max_length=7,
        default=DEFAULT_ACCENT_COLOR,
        validators=[validate_accent_color],
        help_text="Couleur du bandeau et des liens, au format #RRVVBB ; contraste vérifié.",
    )
    logo = RasterImageField(
        "logo",
        upload_to=logo_upload_to,
        blank=True,
        help_text="Image PNG, JPEG ou WebP (pas de SVG), affichée dans l'en-tête.",
    )
    siret = models.CharField("SIRET", max_length=20, blank=True)
    legal_form = models.CharField(
        "forme juridique",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Forme courte des pages du site (mentions légales). Le registre des associés et "
        "les procès-verbaux impriment la forme en vigueur à leur date, saisie dans « Formes "
        "juridiques successives ».",
    )
    publication_director = models.CharField(
        "directeur·rice de la publication",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    host_details = models.TextField(
        "hébergeur du site",
        blank=True,
        help_text="Nom, adresse et téléphone de l'hébergeur, pour les mentions légales.",
    )
    calendar_uid_domain = models.CharField(
        "domaine des agendas",
        max_length=253,
        blank=True,
        editable=False,
        help_text="Fixé à la première publication d'un agenda, puis jamais changé : les "
        "agendas abonnés reconnaissent ainsi chaque réunion, même si l'adresse du site change.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "identité du site"
        verbose_name_plural = "identité du site"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_identity_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        if not self.calendar_uid_domain and self.website:
            # The first website given names the calendars' entries for good (see `uid_host`).
            self.calendar_uid_domain = urlsplit(self.website).hostname or ""
        previous_logo = (
            SiteIdentity.objects.filter(pk=1).values_list("logo", flat=True).first() or ""
        )
        super().save(*args, **kwargs)
        if previous_logo and previous_logo != self.logo.name:
            # A replaced or cleared logo is deleted once the change is committed: no orphan
            # file stays in MEDIA_ROOT, and a rolled-back change keeps the file it points to.
            storage = self._meta.get_field("logo").storage
            transaction.on_commit(lambda: storage.delete(previous_logo))

    def legal_statement_on(self, on: datetime.date) -> str:
        """The legal form in force on `on`, with capital and registration, as statutory
        documents print it; the free-text form when no dated form is recorded."""
        status = self.legal_statuses.in_force_on(on)
        return status.statement if status is not None else self.legal_form

    @property
    def back_office_name(self) -> str:
        """The back-office's title, in the tab and its heading: the association's, never
        Django's (the admin's pages and the password pages outside it)."""
        return f"{self.short_name or self.name} — administration"

    @classmethod
    def load(cls) -> "SiteIdentity":
        """The identity record, created empty (to be completed in the admin) if missing."""
        identity, _ = cls.objects.get_or_create(
            pk=1, defaults={"name": "PTCE", "short_name": "PTCE"}
        )
        return identity


class LegalStatusQuerySet(models.QuerySet):
    def in_force_on(self, on: datetime.date) -> "LegalStatus | None":
        """The legal form in force on `on`: the latest that began by then (an undated one
        holds since the creation)."""
        dated = self.filter(since__lte=on).order_by("-since").first()
        return dated or self.filter(since__isnull=True).first()


class LegalStatus(models.Model):
    """The legal form of the body, with its capital and registration, from a date: an
    association today, a SCIC after its transformation. Each statutory document (register of
    associates, minutes) prints the form in force on its own date, so a period is added, never
    rewritten."""

    class Form(models.TextChoices):
        ASSOCIATION = "association_1901", "Association régie par la loi du 1er juillet 1901"
        SCIC_SAS = (
            "scic_sas",
            "Société coopérative d'intérêt collectif par actions simplifiée (SCIC SAS) à "
            "capital variable",
        )
        SCIC_SA = (
            "scic_sa",
            "Société coopérative d'intérêt collectif anonyme (SCIC SA) à capital variable",
        )
        SCIC_SARL = (
            "scic_sarl",
            "Société coopérative d'intérêt collectif à responsabilité limitée (SCIC SARL) à "
            "capital variable",
        )

    identity = models.ForeignKey(
        SiteIdentity,
        verbose_name="identité",
        on_delete=models.CASCADE,
        related_name="legal_statuses",
    )
    since = models.DateField(
        "depuis le",
        null=True,
        blank=True,
        help_text="Date d'effet (déclaration en préfecture, immatriculation de la SCIC). Vide : "
        "depuis la création.",
    )
    form = models.CharField("forme juridique", max_length=30, choices=Form.choices)
    capital = models.CharField(
        "capital",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Tel que les statuts l'écrivent, par exemple « capital variable, minimum "
        "… € ». Vide si vous ne le savez pas encore.",
    )
    registration = models.CharField(
        "immatriculation",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Par exemple « RCS Arras 123 456 789 », ou le numéro RNA de l'association.",
    )

    objects = LegalStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "forme juridique datée"
        verbose_name_plural = "formes juridiques successives"
        ordering = [models.F("since").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "since"],
                name="legal_status_one_per_date",
                violation_error_message="Une forme juridique commence déjà à cette date.",
            ),
            models.UniqueConstraint(
                fields=["identity"],
                condition=models.Q(since__isnull=True),
                name="legal_status_one_since_creation",
                violation_error_message="Une seule forme juridique vaut « depuis la création ».",
            ),
        ]

    def __str__(self):
        since = f" depuis le {self.since:%d/%m/%Y}" if self.since else ""
        return f"{self.get_form_display()}{since}"

    @property
    def statement(self) -> str:
        """What a statutory document prints after the body's name: « Société coopérative … à
        capital variable, capital : …, RCS Arras … »."""
        parts = [self.get_form_display()]
        if self.capital:
            parts.append(f"capital\u00a0: {self.capital}")
        if self.registration:
            parts.append(self.registration)
        return ", ".join(parts)
