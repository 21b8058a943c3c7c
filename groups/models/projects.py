"""The projects a working group supports, the history of their status, and their dated
progress notes."""

from django.db import models
from django.utils import timezone

from groups.models.groups import WorkingGroup
from members.models import Structure


class ProjectQuerySet(models.QuerySet):
    def published(self) -> "ProjectQuerySet":
        """The projects the site may name (on their group's page, a structure's, the report)."""
        return self.filter(is_published=True)


class Project(models.Model):
    """A project supported by a working group."""

    class Status(models.TextChoices):
        IDEA = "idea", "Idée"
        STUDY = "study", "À l'étude"
        IN_PROGRESS = "in_progress", "En cours de montage"
        RUNNING = "running", "En activité"
        COMPLETED = "completed", "Terminé"
        ABANDONED = "abandoned", "Abandonné"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=200, unique=True)
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name="groupe de travail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    structures = models.ManyToManyField(
        Structure, verbose_name="structures porteuses", blank=True, related_name="projects"
    )
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    is_published = models.BooleanField("publié sur le site", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet"
        verbose_name_plural = "projets"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProjectStatusChange(models.Model):
    """From `since` on, `project` had `status` (until its next change): what the yearly
    report's « projets accompagnés » reads. Written by `groups.services.projects.save_project`
    whenever a project's status changes; dates can be corrected or filled in afterwards."""

    project = models.ForeignKey(
        Project, verbose_name="projet", on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField("état", max_length=20, choices=Project.Status.choices)
    since = models.DateField("depuis le", default=timezone.localdate)

    class Meta:
        # Moved from `report` (issue 25) with its rows: the table keeps its first name.
        db_table = "report_projectstatuschange"
        verbose_name = "changement d'état d'un projet"
        verbose_name_plural = "changements d'état des projets"
        ordering = ["project", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "since"], name="one_project_status_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.project} — {self.get_status_display()} depuis le {self.since:%d/%m/%Y}"


class ProjectUpdate(models.Model):
    """A dated step in a project's progress. Sources often give only a month or a year:
    `precision` says how much of the date is known, so nothing is shown more precise than it is."""

    class Precision(models.TextChoices):
        DAY = "day", "Jour"
        MONTH = "month", "Mois"
        YEAR = "year", "Année"

    project = models.ForeignKey(
        Project, verbose_name="projet", on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField("date")
    precision = models.CharField(
        "précision de la date",
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="Si seul le mois est connu, saisissez le 1er du mois et choisissez « Mois ».",
    )
    text = models.TextField("avancée")

    class Meta:
        verbose_name = "avancée du projet"
        verbose_name_plural = "avancées du projet"
        ordering = ["project", "-date", "-pk"]

    def __str__(self):
        return f"{self.project} — {self.date:%m/%Y}"
