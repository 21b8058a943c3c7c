"""What the yearly report counts besides attendance and the projects' status history (kept
by `groups`): the figures the association declared, the projects' dated activity reports,
the association's own staff, and the operational cooperations between structures. The
figures themselves are computed in `report.figures`."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from association import formats
from groups.models import Project, WorkingGroup
from members.models import Structure

# The legal annual working time in France (1 607 hours): one full-time job for a year.
ANNUAL_HOURS = Decimal(1607)


class YearlyFiguresQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def latest_published(self):
        return self.published().order_by("-year").first()


class YearlyFigures(models.Model):
    """The activity figures of one year, as the association declares them in its report; the
    report shows them for the years its records do not cover (`report.figures`)."""

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
    own_staff_fte = models.DecimalField(
        "salariés de l'association (ETP)",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="En équivalents temps plein, quand les postes ne sont pas saisis dans « Postes "
        "salariés de l'association » ou que le portail ne les voit pas (par exemple une "
        "personne employée par un membre et mise à disposition).",
    )
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
        # Moved from `association` (issue 25) with its rows: the table keeps its first name.
        db_table = "association_yearlyfigures"
        # A singular the admin can put an article before (« Ajouter un bilan chiffré
        # annuel », « Modifier le bilan chiffré annuel »): « chiffres de l'année » is a plural.
        verbose_name = "bilan chiffré annuel"
        verbose_name_plural = "bilans chiffrés annuels"
        ordering = ["-year"]

    def __str__(self):
        return f"Chiffres {self.year}"


class ActivityReportQuerySet(models.QuerySet):
    def overlapping(self, start: datetime.date, end: datetime.date):
        """Reports whose period shares at least a day with [start, end]."""
        return self.filter(period_start__lte=end, period_end__gte=start)

    def of_published_projects(self):
        """Reports the public pages may name: their project is published (the figures still
        count the others, unnamed)."""
        return self.filter(project__in=Project.objects.published())


class ActivityReport(models.Model):
    """What a project did over a period, as its carrier reports it: beneficiaries, hours worked
    on the jobs it created and on those it maintained, and free counts (`ActivityCount`).

    Hours rather than full-time equivalents: a part-time job counts pro rata by itself, and a
    period across the new year is split between the two years by its days."""

    project = models.ForeignKey(
        Project, verbose_name="projet", on_delete=models.CASCADE, related_name="activity_reports"
    )
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    beneficiaries = models.PositiveIntegerField(
        "nouveaux bénéficiaires",
        default=0,
        help_text="Personnes accueillies ou accompagnées pour la première fois pendant la "
        "période : une personne déjà comptée dans un bilan précédent du projet ne l'est pas "
        "une deuxième fois.",
    )
    hours_jobs_created = models.DecimalField(
        "heures travaillées sur les emplois créés",
        max_digits=9,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Somme des heures de travail de la période sur les emplois nés du projet. "
        "Un temps plein sur toute une année : 1 607 h ; un mi-temps : 803,5 h.",
    )
    hours_jobs_maintained = models.DecimalField(
        "heures travaillées sur les emplois maintenus",
        max_digits=9,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Heures de la période sur des emplois qui existaient déjà et que le projet a "
        "permis de garder.",
    )
    source = models.CharField(
        "source",
        max_length=200,
        blank=True,
        help_text="Par exemple : « lettre d'information de l'été 2025 ».",
    )

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        verbose_name = "bilan d'activité d'un projet"
        verbose_name_plural = "bilans d'activité des projets"
        ordering = ["-period_start", "project"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="activity_report_ends_after_it_starts",
                violation_error_message="La fin de la période doit suivre son début.",
            ),
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end"],
                name="one_activity_report_per_project_period",
                violation_error_message="Ce projet a déjà un bilan pour cette période.",
            ),
        ]

    def __str__(self):
        return f"{self.project} — {self.period_label}"

    def clean(self):
        """Two reports of one project over overlapping periods would count the same
        beneficiaries and hours twice (a cumulative report of January to December after
        a January to July one, say): each period must follow the previous one."""
        if not (self.project_id and self.period_start and self.period_end):
            return
        overlapping = (
            ActivityReport.objects.filter(project_id=self.project_id)
            .overlapping(self.period_start, self.period_end)
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                f"Ce projet a déjà un bilan {overlapping.period_label}, qui chevauche cette "
                f"période\u00a0: ses bénéficiaires et ses heures seraient comptés deux "
                "fois. Saisissez seulement ce qui suit la fin du bilan précédent.",
                code="overlapping_period",
            )

    @property
    def period_label(self) -> str:
        """« de janvier à juillet 2025 », « du 1er décembre 2024 au 31 janvier 2025 »…"""
        start, end = self.period_start, self.period_end
        whole_months = start.day == 1 and (end + datetime.timedelta(days=1)).day == 1
        if whole_months and (start.year, start.month) == (end.year, end.month):
            return formats.month_year(start)
        if whole_months and start.year == end.year:
            return f"de {formats.MONTHS[start.month - 1]} à {formats.month_year(end)}"
        if whole_months:
            return f"de {formats.month_year(start)} à {formats.month_year(end)}"
        return f"du {formats.day_month(start)} {start.year} au {formats.day_month(end)} {end.year}"

    @property
    def spans_new_year(self) -> bool:
        return self.period_start.year != self.period_end.year

    def share_of_year(self, year: int) -> Decimal:
        """The share of the period's days within `year`, which the figures count for it (the
        database computes the same for every report at once: `report.expressions`)."""
        first = max(self.period_start, datetime.date(year, 1, 1))
        last = min(self.period_end, datetime.date(year, 12, 31))
        days = (self.period_end - self.period_start).days + 1
        return Decimal(max((last - first).days + 1, 0)) / Decimal(days)


class ActivityCount(models.Model):
    """A count a project reports for a period, with its own label: « ateliers participatifs »,
    « permanences »… Shown with the report's period, never added across projects."""

    report = models.ForeignKey(
        ActivityReport, verbose_name="bilan", on_delete=models.CASCADE, related_name="counts"
    )
    label = models.CharField(
        "intitulé", max_length=100, help_text="Au pluriel, par exemple « ateliers participatifs »."
    )
    value = models.PositiveIntegerField("nombre")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre d'activité"
        verbose_name_plural = "chiffres d'activité"
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return f"{self.value} {self.label}"


class StaffContract(models.Model):
    """A job of the association itself (its own staff), kept apart from the jobs the projects
    create or maintain. A part-time job counts pro rata of its working time."""

    title = models.CharField(
        "poste",
        max_length=200,
        help_text="L'intitulé du poste, par exemple « chargé de "
        "développement » : pas de nom de personne.",
    )
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True, help_text="Vide si le poste continue.")
    work_rate = models.PositiveSmallIntegerField(
        "quotité de travail (%)",
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="100 pour un temps plein, 80 pour un 4/5e, 50 pour un mi-temps.",
    )

    class Meta:
        verbose_name = "poste salarié de l'association"
        verbose_name_plural = "postes salariés de l'association"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="staff_contract_ends_after_it_starts",
                violation_error_message="La fin du poste doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=models.Q(work_rate__gte=1, work_rate__lte=100),
                name="staff_contract_work_rate_is_a_percentage",
            ),
        ]

    def __str__(self):
        return self.title


class CooperationQuerySet(models.QuerySet):
    def active_between(self, start: datetime.date, end: datetime.date):
        """Cooperations going on at some day of [start, end]."""
        return self.filter(
            models.Q(until__isnull=True) | models.Q(until__gte=start), since__lte=end
        )

    def operational(self):
        """Between two structures or more: a cooperation with fewer is not one yet."""
        return self.annotate(_structure_count=models.Count("structures")).filter(
            _structure_count__gte=2
        )


class Cooperation(models.Model):
    """An operational cooperation: two or more structures doing something together (sharing a
    place, a vehicle, a job, a service…), from a date, possibly until another."""

    title = models.CharField(
        "objet", max_length=200, help_text="Ce que les structures font ensemble."
    )
    description = models.TextField("description", blank=True)
    structures = models.ManyToManyField(
        Structure, verbose_name="structures", related_name="cooperations"
    )
    since = models.DateField("depuis le")
    until = models.DateField("jusqu'au", null=True, blank=True, help_text="Vide si elle dure.")
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name="groupe de travail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperations",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="projet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperations",
    )

    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = "coopération opérationnelle"
        verbose_name_plural = "coopérations opérationnelles"
        ordering = ["-since", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="cooperation_ends_after_it_starts",
                violation_error_message="La fin de la coopération doit suivre son début.",
            ),
        ]

    def __str__(self):
        return self.title


def check_cooperation_structures(structures) -> None:
    """A cooperation links two structures or more (a many-to-many relation cannot be
    constrained in the database: the admin's form calls this)."""
    if len(set(structures)) < 2:
        raise ValidationError(
            "Une coopération relie au moins deux structures\u00a0: choisissez-en une autre.",
            code="too_few_structures",
        )
