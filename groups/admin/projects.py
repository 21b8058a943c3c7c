"""Projects in the back-office, with their dated progress notes."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join

from groups.admin.scoping import LeadScopedAdminMixin, ScopedChoicesMixin
from groups.models import Project, ProjectStatusChange, ProjectUpdate
from groups.services.projects import save_project


class ProjectUpdateInline(ScopedChoicesMixin, admin.TabularInline):
    model = ProjectUpdate
    fields = ("date", "precision", "text")
    extra = 0


@admin.register(Project)
class ProjectAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "group",
        "status",
        "carriers",
        "update_count",
        "is_published",
    )
    list_filter = ("group", "status", "is_published")
    list_select_related = ("group",)
    search_fields = ("name", "summary", "description", "structures__name", "structures__acronym")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("structures",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "group", "status", "is_published")}),
        ("Structures porteuses", {"fields": ("structures",)}),
        ("Présentation", {"fields": ("summary", "description")}),
    )
    inlines = [ProjectUpdateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(update_count=Count("updates"))
            .prefetch_related("structures")
        )

    @admin.display(description="structures porteuses")
    def carriers(self, project):
        return format_html_join(", ", "{}", ((s.name,) for s in project.structures.all())) or "—"

    @admin.display(description="avancées", ordering="update_count")
    def update_count(self, project):
        return project.update_count

    def save_model(self, request, obj, form, change):
        save_project(project=obj)


@admin.register(ProjectStatusChange)
class ProjectStatusChangeAdmin(admin.ModelAdmin):
    """The history the yearly report reads, written when a project's status changes: here to
    correct a date or fill in the past (the coordinator's; a lead has no permission)."""

    list_display = ("project", "status", "since")
    list_filter = ("status", "project__group")
    list_select_related = ("project",)
    search_fields = ("project__name",)
    autocomplete_fields = ("project",)
