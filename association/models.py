"""Site-wide records: the login account, the association's identity, its yearly figures, the
venues shared by meetings and events, and what meetings and events have in common."""

import datetime
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

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


class YearlyFiguresQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def latest_published(self):
        return self.published().order_by("-year").first()


class YearlyFigures(models.Model):
    """The activity figures of one year, as the association declares them in its report."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    meetings = models.PositiveIntegerField("réunions organisées", null=True, blank=True)
    members_involved = models.PositiveIntegerField(
        "membres impliqués dans les groupes", null=True, blank=True
    )
    contributing_structures = models.PositiveIntegerField(
        "structures contributrices", null=True, blank=True
    )
    jobs_created_fte = models.DecimalField(
        "emplois créés (ETP)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    projects_supported = models.PositiveIntegerField("projets accompagnés", null=True, blank=True)
    operational_cooperations = models.PositiveIntegerField(
        "coopérations opérationnelles", null=True, blank=True
    )
    beneficiaries = models.PositiveIntegerField("bénéficiaires", null=True, blank=True)
    source = models.CharField(
        "source",
        max_length=200,
        blank=True,
        help_text="D'où viennent ces chiffres, par exemple : « Bilan de l'année, lettre "
        "d'information de l'été 2025 ».",
    )
    is_published = models.BooleanField("publiés sur le site", default=True)

    objects = YearlyFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = "chiffres de l'année"
        verbose_name_plural = "chiffres annuels"
        ordering = ["-year"]

    def __str__(self):
        return f"Chiffres {self.year}"


class Venue(models.Model):
    """A named place, shared by group meetings and events."""

    name = models.CharField("nom du lieu", max_length=200, validators=[validate_single_line])
    address = models.CharField(
        "adresse",
        max_length=300,
        blank=True,
        help_text="Rue ou zone, sans la commune. Laissez vide si elle n'est pas connue.",
        validators=[validate_single_line],
    )
    town = models.CharField("commune", max_length=100, validators=[validate_single_line])
    directions = models.TextField("accès", blank=True)

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["town", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), Lower("town"), name="unique_venue_per_town"),
        ]

    def __str__(self):
        return f"{self.name}, {self.town}"

    @property
    def full_address(self) -> str:
        """One line for a calendar's LOCATION or a page: name, street, town."""
        return ", ".join(part for part in (self.name, self.address, self.town) if part)


# Chronological order, the same on SQLite and PostgreSQL (which disagree on where NULL
# sorts): on a given day, an item without an hour (the whole day) comes before the timed ones.
CHRONOLOGICAL = (
    models.F("date").asc(),
    models.F("start_time").asc(nulls_first=True),
    models.F("pk").asc(),
)
REVERSE_CHRONOLOGICAL = (
    models.F("date").desc(),
    models.F("start_time").desc(nulls_last=True),
    models.F("pk").desc(),
)


# What the calendar feeds hold, in the words of their description.
CALENDAR_FEED_WINDOW = "des douze derniers mois et des douze mois à venir"


def over_condition(now: datetime.datetime | None) -> models.Q:
    """`Scheduled.is_over` as a condition: a past day, or today once its end hour (or, without
    one, its start hour) has passed; a day without hours is over when the day is."""
    local = timezone.localtime(now)
    time = local.time()
    return models.Q(date__lt=local.date()) | models.Q(
        models.Q(end_time__lte=time) | models.Q(end_time=None, start_time__lte=time),
        date=local.date(),
    )


class ScheduledQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by(*CHRONOLOGICAL)

    def upcoming(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(date__gte=today).chronological()

    def past(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).order_by(*REVERSE_CHRONOLOGICAL)

    def over(self, now: datetime.datetime | None = None):
        """Those already over at `now` (see `Scheduled.is_over`)."""
        return self.filter(over_condition(now))

    def not_over(self, now: datetime.datetime | None = None):
        return self.exclude(over_condition(now))

    def cancelled(self):
        return self.filter(is_cancelled=True)

    def not_cancelled(self):
        return self.filter(is_cancelled=False)

    def in_calendar_feed(self, today: datetime.date | None = None):
        """What a subscribed calendar receives: the last twelve months and the next twelve
        (`CALENDAR_FEED_WINDOW`, stated in each feed's description), so that a feed fetched
        every few hours costs the same whatever the history or the plans. Older and later
        items stay on the site, in their own .ics file, and in the calendars that already
        received them."""
        today = today or timezone.localdate()
        return self.filter(
            date__gte=today - relativedelta(years=1), date__lte=today + relativedelta(years=1)
        )


def cancelled_field(label: str) -> models.BooleanField:
    """`Scheduled.is_cancelled`, its label agreeing with the model's name: « annulé » (an
    event), « annulée » (a meeting, an assembly: they redeclare it)."""
    return models.BooleanField(
        label,
        default=False,
        help_text="Reste affiché, barré, et les agendas abonnés reçoivent l'annulation.",
    )


class Scheduled(models.Model):
    """What a group meeting and an event share: a day, optional hours, a place, whether it is
    cancelled, and the version that subscribed calendars follow. Hours are optional: a time
    the source does not give is never invented, and without hours the item lasts the day."""

    date = models.DateField("date")
    start_time = models.TimeField("heure de début", null=True, blank=True)
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    is_cancelled = cancelled_field("annulé")
    sequence = models.PositiveIntegerField(
        "version",
        default=0,
        editable=False,
        help_text="Incrémentée à chaque modification, pour les agendas abonnés.",
    )
    created_at = models.DateTimeField("date de création", auto_now_add=True)
    updated_at = models.DateTimeField("dernière modification", auto_now=True)

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | (
                    models.Q(start_time__isnull=False)
                    & models.Q(end_time__gt=models.F("start_time"))
                ),
                name="%(class)s_ends_after_it_starts",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="%(class)s_date_idx")]

    def save(self, *args, **kwargs):
        # Calendar clients only take an update whose SEQUENCE grew.
        if self.pk:
            self.sequence += 1
        super().save(*args, **kwargs)

    def starts_at(self) -> datetime.datetime:
        """When it starts, in the site's time zone: its start hour, or its day's first
        minute when it has no hours."""
        return timezone.make_aware(
            datetime.datetime.combine(self.date, self.start_time or datetime.time.min)
        )

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at() <= (now or timezone.now())

    def is_over(self, now: datetime.datetime | None = None) -> bool:
        """Over once its end hour has passed (its start hour without an end: no length is
        invented); without hours, once its day has."""
        local = timezone.localtime(now)
        if self.date != local.date():
            return self.date < local.date()
        last = self.end_time or self.start_time
        return last is not None and last <= local.time()


class ContentVersion(models.Model):
    """One row: the version of everything the public pages show. Every save or delete of such
    a record raises it in the same transaction (`association/content.py`), so a page cached
    under one version is never served once the data it was made from has changed. The value is
    the time of the last change in microseconds since 1970, kept strictly increasing: it also
    gives the pages' Last-Modified."""

    version = models.BigIntegerField("version", default=0)

    class Meta:
        verbose_name = "version du contenu public"
        verbose_name_plural = "version du contenu public"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="content_version_singleton"),
        ]

    def __str__(self):
        return str(self.version)
