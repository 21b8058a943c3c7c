"""The report's records in the back-office, and the coordinator's dashboard: this year so far
beside last year, in all and per group, each figure a link to the records behind it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone

from association.admin_pages import render_intermediate_page
from groups.models import WorkingGroup
from report import figures
from report.models import (
    ActivityCount,
    ActivityReport,
    Cooperation,
    StaffContract,
    YearlyFigures,
    check_cooperation_structures,
)


class ActivityCountInline(admin.TabularInline):
    model = ActivityCount
    fields = ("label", "value", "order")
    extra = 1


@admin.register(ActivityReport)
class ActivityReportAdmin(admin.ModelAdmin):
    list_display = ("project", "period_start", "period_end", "beneficiaries")
    list_filter = ("project__group",)
    list_select_related = ("project",)
    search_fields = ("project__name", "source")
    autocomplete_fields = ("project",)
    date_hierarchy = "period_start"
    inlines = [ActivityCountInline]
    fieldsets = (
        (None, {"fields": ("project", ("period_start", "period_end"), "source")}),
        (
            "Ce que le projet a fait pendant la période",
            {"fields": ("beneficiaries", "hours_jobs_created", "hours_jobs_maintained")},
        ),
    )

    def get_urls(self):
        return [
            path(
                "tableau-de-bord/",
                self.admin_site.admin_view(self.dashboard_view),
                name="report_dashboard",
            ),
            path(
                "chiffre/<slug:key>/<int:year>/",
                self.admin_site.admin_view(self.records_view),
                name="report_records",
            ),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def dashboard_view(self, request):
        self._check(request)
        today = timezone.localdate()
        years = [today.year - 1, today.year]
        by_year = figures.figures_for_years(years, today=today)
        rows = [
            (figure, [by_year[year].values[index] for year in years])
            for index, figure in enumerate(figures.FIGURES)
        ]
        groups = [
            (
                group,
                [
                    (figure, year, getattr(group, f"{figure.key}_{year}"))
                    for figure in figures.GROUP_FIGURES
                    for year in years
                ],
            )
            for group in figures.group_figures(years, today=today)
        ]
        return render_intermediate_page(
            self,
            request,
            template="admin/report/dashboard.html",
            title="Tableau de bord du bilan",
            breadcrumb="Tableau de bord",
            years=years,
            rows=rows,
            groups=groups,
            group_figures=figures.GROUP_FIGURES,
        )

    def records_view(self, request, key: str, year: int):
        self._check(request)
        figure = figures.BY_KEY.get(key)
        if figure is None:
            raise Http404
        group = None
        if request.GET.get("groupe", "").isdigit():
            group = WorkingGroup.objects.filter(pk=request.GET["groupe"]).first()
        records = figures.records(figure, year, group=group)
        opts = records.model._meta
        change = f"admin:{opts.app_label}_{opts.model_name}_change"
        return render_intermediate_page(
            self,
            request,
            template="admin/report/records.html",
            title=f"{figure.label.capitalize()} en {year}",
            figure=figure,
            year=year,
            group=group,
            records=[(record, reverse(change, args=[record.pk])) for record in records],
        )


class CooperationForm(forms.ModelForm):
    class Meta:
        model = Cooperation
        fields = ["title", "description", "structures", "since", "until", "group", "project"]

    def clean_structures(self):
        structures = self.cleaned_data["structures"]
        check_cooperation_structures(structures)
        return structures


@admin.register(Cooperation)
class CooperationAdmin(admin.ModelAdmin):
    form = CooperationForm
    list_display = ("title", "since", "until", "group")
    list_filter = ("group",)
    search_fields = ("title", "description", "structures__name", "structures__acronym")
    autocomplete_fields = ("structures", "project")


@admin.register(StaffContract)
class StaffContractAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "end", "work_rate")


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "meetings",
        "members_involved",
        "contributing_structures",
        "jobs_created_fte",
        "projects_supported",
        "operational_cooperations",
        "beneficiaries",
        "own_staff_fte",
        "is_published",
    )
    list_display_links = ("year",)
    list_filter = ("is_published",)
    search_fields = ("year", "source")
    fieldsets = (
        (None, {"fields": ("year", "is_published", "source")}),
        (
            "Chiffres déclarés",
            {
                "fields": (
                    "meetings",
                    "members_involved",
                    "contributing_structures",
                    "jobs_created_fte",
                    "projects_supported",
                    "operational_cooperations",
                    "beneficiaries",
                    "own_staff_fte",
                )
            },
        ),
    )
