"""Working groups, their leads and their public contact lines."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from association.colors import DEFAULT_ACCENT_COLOR, validate_accent_color
from association.validators import validate_single_line
from members.models import Person, Structure
from members.services.names import normalize_name
from outbox.models import register_mail_kinds


class LeadMailKind(models.TextChoices):
    """The mails of the leads' accounts (see `outbox`)."""

    ACCOUNT = "lead-account", "Accès d'un·e chef·fe de file au back-office"


register_mail_kinds(LeadMailKind, templates={LeadMailKind.ACCOUNT: "groups/emails/lead_account"})


def parse_reminder_days(value: str) -> list[int]:
    """« 7, 1 » → [7, 1]: the delays of a group's reminders, in days, largest first."""
    return sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)


def validate_reminder_days(value: str) -> None:
    try:
        days = parse_reminder_days(value)
    except ValueError:
        raise ValidationError(
            "Écrivez des nombres de jours séparés par des virgules, par exemple « 7, 1 »."
        ) from None
    if any(day < 1 or day > 60 for day in days):
        raise ValidationError("Un rappel part entre 1 et 60 jours avant la réunion.")


class WorkingGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def led_by(self, user) -> "WorkingGroupQuerySet":
        """The groups whose back-office account `user` is a lead's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(leads__user=user).distinct()

    def taken_part_by(self, person: Person) -> "WorkingGroupQuerySet":
        """The groups a person takes part in: directly, or through their structure."""
        condition = models.Q(participant_people=person)
        if person.structure_id:
            condition |= models.Q(participant_structures=person.structure_id)
        return self.filter(pk__in=WorkingGroup.objects.filter(condition).values("pk"))


class WorkingGroup(models.Model):
    """A working group (*groupe de travail*). Groups are data: nothing assumes how many."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True)
    short_description = models.CharField(
        "description courte", max_length=300, blank=True, help_text="Une phrase, pour les listes."
    )
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    is_active = models.BooleanField("actif", default=True)
    accent_color = models.CharField(
        "couleur",
        max_length=7,
        default=DEFAULT_ACCENT_COLOR,
        validators=[validate_accent_color],
        help_text="Couleur du groupe sur son site, dans l'agenda et son calendrier "
        "(#RRVVBB, assez foncée pour du texte blanc).",
    )
    participant_people = models.ManyToManyField(
        Person,
        verbose_name="personnes participantes",
        blank=True,
        related_name="working_groups",
    )
    participant_structures = models.ManyToManyField(
        Structure,
        verbose_name="structures participantes",
        blank=True,
        related_name="working_groups",
    )
    reminder_days = models.CharField(
        "rappels (jours avant)",
        max_length=30,
        default="7,1",
        validators=[validate_reminder_days],
        help_text="Jours avant la réunion où un rappel part, séparés par des virgules "
        "(par défaut 7 et 1). Vide : aucun rappel.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="unique_working_group_name_ci"),
        ]
        permissions = [
            # The coordinator's: without it, a back-office account sees only the groups it
            # leads (see groups/admin/scoping.py).
            ("manage_every_group", "Gérer tous les groupes (pas seulement les siens)"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:group_detail", kwargs={"slug": self.slug})


class GroupLead(models.Model):
    """A lead (*chef·fe de file*) of a group, for the structure they represent."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="leads"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="group_leads"
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure représentée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_leads",
    )
    title = models.CharField(
        "titre affiché",
        max_length=100,
        default="chef de file",
        help_text="« chef de file » ou « cheffe de file ».",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte du back-office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_leads",
        help_text="Le compte avec lequel la personne gère ce groupe (et seulement ses groupes) "
        "dans le back-office. Créé par l'action «\u00a0Donner un compte du back-office\u00a0».",
    )

    class Meta:
        verbose_name = "chef·fe de file"
        verbose_name_plural = "chef·fe·s de file"
        ordering = ["group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="unique_lead_per_group"),
        ]

    def __str__(self):
        return f"{self.person} ({self.title}, {self.group})"


class GroupContactQuerySet(models.QuerySet):
    """The lines that hold a person's name or address (see `groups.personal_data`): a line may
    be typed by hand, so a foreign key alone would miss them."""

    def concerning(self, person: Person) -> "GroupContactQuerySet":
        """Lines linked to the person, or typed with their e-mail, or with a label naming them
        (« Zoé Secretnom », « SECRETNOM Zoé », accents and case aside). Labels are compared in
        Python, as `normalize_name` does: a few lines per group."""
        condition = models.Q(person=person)
        if person.email:
            condition |= models.Q(email__iexact=person.email)
        naming = [
            pk
            for pk, label in self.exclude(label="").values_list("pk", "label")
            if label_names_person(label, person)
        ]
        return self.filter(condition | models.Q(pk__in=naming))

    def published(self) -> "GroupContactQuerySet":
        """The lines shown on the site: a line linked to a person follows their consent to
        publish their contact details (`Person.show_contact_publicly`, which they untick in
        « Mon espace »); a line typed for a structure is always shown."""
        return self.filter(
            models.Q(person__isnull=True) | models.Q(person__show_contact_publicly=True)
        )

    def forget(self, person: Person) -> int:
        """Take the person out of these lines: a line linked to them goes; from a line typed by
        hand go their e-mail, their phone and a label naming them, and the line too if neither
        a phone nor an e-mail is left (a structure's switchboard or address stays). The e-mail
        of a line whose label names them is theirs too (« Zoe SECRETNOM (APEI) ·
        z.secretnom@apei.fr »): it goes, and out of the admin's history. Returns how many lines
        were changed or deleted."""
        from audit import services as trail
        from members.services.personal_data import scrub_admin_mentions

        changed, addresses = 0, []
        for contact in self.concerning(person):
            changed += 1
            pk, label = contact.pk, "Données effacées"
            if contact.person_id == person.pk:
                contact.delete()
            else:
                if label_names_person(contact.label, person):
                    contact.label = ""
                    addresses.append(contact.email)
                    contact.email = ""
                if person.email and contact.email.lower() == person.email.lower():
                    contact.email = ""
                if person.phone and _digits(contact.phone) == _digits(person.phone):
                    contact.phone = ""
                if contact.email or contact.phone:
                    contact.save()
                    label = str(contact)
                else:
                    contact.delete()
            # The line's past versions held their name, address or phone (the change just
            # recorded too): the trail keeps that it changed, not from what.
            trail.scrub_records(model=self.model, pks=[pk], label=label)
        scrub_admin_mentions(mentions=addresses, replacement="adresse effacée")
        return changed


def label_names_person(label: str, person: Person) -> bool:
    """`label` holds the person's first and last names, in either order, as whole words."""
    words = f" {normalize_name(label)} "
    first, last = normalize_name(person.first_name), normalize_name(person.last_name)
    if not first or not last:
        return False
    return f" {first} {last} " in words or f" {last} {first} " in words


def _digits(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


class GroupContact(models.Model):
    """A public contact line of a group, as published (« APEI Hénin-Carvin : siege@… »)."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_contacts",
        help_text="La personne que cette ligne désigne, s'il y en a une\u00a0: l'effacement de "
        "ses données retire alors la ligne. Une ligne tapée avec son e-mail ou son nom est "
        "retrouvée aussi.",
    )
    label = models.CharField(
        "libellé",
        max_length=200,
        blank=True,
        help_text="Structure ou personne à joindre.",
        validators=[validate_single_line],
    )
    phone = models.CharField(
        "téléphone", max_length=30, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField("e-mail", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = GroupContactQuerySet.as_manager()

    class Meta:
        verbose_name = "contact du groupe"
        verbose_name_plural = "contacts du groupe"
        ordering = ["group", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="") | ~models.Q(email=""),
                name="group_contact_has_phone_or_email",
                violation_error_message="Indiquez un téléphone ou un e-mail.",
            ),
        ]

    def __str__(self):
        return " · ".join(part for part in (self.label, self.phone, self.email) if part)
