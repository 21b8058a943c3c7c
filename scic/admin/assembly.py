"""General assemblies in the back-office: resolutions and the attendance sheet as inlines, the
convocation as an action, the vote recorder with its arithmetic, the printable minutes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from association.admin_pages import render_intermediate_page, require_permission
from association.identity import site_url
from association.models import SiteIdentity
from scic.admin.register import dry_run
from scic.models import Attendance, GeneralAssembly, Resolution, VoteCount
from scic.services.assembly import assembly_rules, quorum, record_attendance
from scic.services.checks import evaluate_rules
from scic.services.convocations import convene_assembly, postal_convocations
from scic.services.reading import register_on
from scic.services.votes import record_votes, tally, voting_colleges


class ResolutionFormSet(forms.BaseInlineFormSet):
    """A resolution once voted on is what the minutes print: its number, title and text are
    no longer edited (nor is it deleted: its votes protect it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        voted = set(
            VoteCount.objects.filter(resolution__in=[f.instance.pk for f in self.initial_forms])
            .values_list("resolution", flat=True)
            .distinct()
        )
        for form in self.initial_forms:
            if form.instance.pk in voted:
                for name in ("number", "title", "text"):
                    form.fields[name].disabled = True


class ResolutionInline(admin.TabularInline):
    model = Resolution
    formset = ResolutionFormSet
    fields = ["number", "title", "text"]
    extra = 0
    formfield_overrides = {
        Resolution._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 2})}
    }


class AttendanceFormSet(forms.BaseInlineFormSet):
    """The attendance sheet: the lines changed are recorded together by `record_attendance`
    (on the assembly's day only, proxies checked against the statutes' limit), never saved
    line by line."""

    def changes(self) -> dict[int, tuple[str, int | None]]:
        return {
            form.instance.pk: (
                form.cleaned_data["status"],
                form.cleaned_data["proxy_holder"].pk
                if form.cleaned_data.get("proxy_holder")
                else None,
            )
            for form in self.forms
            if form.instance.pk and form.cleaned_data and form.has_changed()
        }

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        changes = self.changes()
        if changes:
            dry_run(lambda: record_attendance(assembly=self.instance, changes=changes))

    def save(self, commit=True):
        changes = self.changes()
        saved = record_attendance(assembly=self.instance, changes=changes) if changes else []
        # What the admin's history message reads.
        self.new_objects, self.deleted_objects = [], []
        self.changed_objects = [(a, ["status", "proxy_holder"]) for a in saved]
        return saved


class AttendanceInline(admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    fields = ["associate", "college", "status", "proxy_holder", "replied_at"]
    readonly_fields = ["associate", "college", "replied_at"]
    autocomplete_fields = ["proxy_holder"]
    extra = 0
    can_delete = False
    verbose_name_plural = "feuille de présence (les associés sont ajoutés par la convocation)"

    def has_add_permission(self, request, obj=None):
        return False  # « Convoquer les associés » puts every current associate on the sheet.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("associate__structure", "associate__person", "college", "proxy_holder")
        )


@admin.register(GeneralAssembly)
class GeneralAssemblyAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "call", "convened_at", "resolutions_count"]
    list_filter = ["kind", "call", "date"]
    search_fields = ["title", "agenda"]
    date_hierarchy = "date"
    list_select_related = ["venue"]
    autocomplete_fields = ["venue"]
    inlines = [ResolutionInline, AttendanceInline]
    actions = ["convene"]
    fieldsets = [
        (None, {"fields": ["title", ("kind", "call"), "agenda"]}),
        (
            "Date et lieu",
            {
                "fields": [
                    "date",
                    ("start_time", "end_time"),
                    "venue",
                    "place_details",
                    "is_cancelled",
                ]
            },
        ),
        (
            "Séance",
            {
                "fields": [
                    ("convened_at", "sitting_opened_at"),
                    ("chair", "secretary"),
                    "minutes_notes",
                ]
            },
        ),
    ]

    HELD_FIELDS = [
        "title",
        "kind",
        "call",
        "agenda",
        "date",
        "start_time",
        "end_time",
        "venue",
        "place_details",
        "is_cancelled",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Once the sitting opened, its kind and call are those its rules were frozen with, and
        # its title, agenda, day, hours and place those the minutes print: only what is
        # written after the sitting (chair, secretary, debates) is still typed.
        if obj is not None and obj.sitting_opened_at is not None:
            return [
                "convened_at",
                "sitting_opened_at",
                *self.HELD_FIELDS,
            ]
        return ["convened_at", "sitting_opened_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_resolutions=Count("resolutions"))

    def has_delete_permission(self, request, obj=None):
        # Once convened, the associates have its date: it is cancelled (« annulé »), which
        # their calendars receive, not deleted with the record of its convocations.
        if obj is not None and obj.convened_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The changelist's bulk « Supprimer » asks no object-level permission: refuse there too.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        convened = [str(a) for a in objs if a.convened_at is not None]
        return deleted, counts, perms_needed, [*protected, *convened]

    @admin.display(description="résolutions", ordering="n_resolutions")
    def resolutions_count(self, assembly):
        return assembly.n_resolutions

    @admin.action(
        description="Convoquer les associés (par e-mail ou par courrier)", permissions=["change"]
    )
    def convene(self, request, queryset):
        for assembly in queryset:
            try:
                outcome = convene_assembly(assembly=assembly, site_url=site_url())
            except ValidationError as error:
                self.message_user(
                    request, f"{assembly}\u00a0: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.log_change(request, assembly, "Associés convoqués.")
                self.message_user(
                    request, f"{assembly}\u00a0: {outcome.message()}", messages.SUCCESS
                )

    def get_urls(self):
        return [
            path(
                "<int:pk>/votes/",
                self.admin_site.admin_view(self.votes_view),
                name="scic_generalassembly_votes",
            ),
            path(
                "<int:pk>/courrier/",
                self.admin_site.admin_view(self.postal_view),
                name="scic_generalassembly_postal",
            ),
            path(
                "<int:pk>/feuille-de-presence/",
                self.admin_site.admin_view(self.attendance_sheet_view),
                name="scic_generalassembly_attendance_sheet",
            ),
            path(
                "<int:pk>/proces-verbal/",
                self.admin_site.admin_view(self.minutes_view),
                name="scic_generalassembly_minutes",
            ),
            *super().get_urls(),
        ]

    def votes_view(self, request, pk):
        assembly = get_object_or_404(GeneralAssembly, pk=pk)
        require_permission(self, request, "view", assembly)
        rules = assembly_rules(assembly)
        colleges = voting_colleges(assembly, rules=rules)
        resolutions = list(assembly.resolutions.prefetch_related("votes"))
        errors = {}
        if request.method == "POST":
            require_permission(self, request, "change", assembly)
            resolution = get_object_or_404(
                Resolution, pk=request.POST.get("resolution"), assembly=assembly
            )
            try:
                counts = {
                    college.pk if college else None: tuple(
                        int(request.POST.get(f"{field}-{college.pk if college else 'all'}") or 0)
                        for field in ("for", "against", "abstentions")
                    )
                    for college in colleges
                }
                record_votes(resolution=resolution, counts=counts)
            except (ValueError, ValidationError) as error:
                messages_ = getattr(error, "messages", ["Saisissez des nombres entiers."])
                errors[resolution.pk] = messages_
            else:
                self.log_change(request, assembly, f"Votes enregistrés\u00a0: {resolution}.")
                self.message_user(
                    request, f"Votes enregistrés\u00a0: {resolution}.", messages.SUCCESS
                )
                return redirect(request.path)
        rows = []
        for resolution in resolutions:
            result = tally(resolution=resolution, colleges=colleges, rules=rules)
            counts = {count.college_id: count for count in resolution.votes.all()}
            lines = []
            for college in colleges:
                count = counts.get(college.pk if college else None)
                lines.append(
                    {
                        "key": college.pk if college else "all",
                        "name": college.name if college else "Tous les associés",
                        "votes_for": count.votes_for if count else 0,
                        "votes_against": count.votes_against if count else 0,
                        "abstentions": count.abstentions if count else 0,
                    }
                )
            rows.append(
                {
                    "resolution": resolution,
                    "tally": result,
                    "lines": lines,
                    "errors": errors.get(resolution.pk, []),
                }
            )
        return render_intermediate_page(
            self,
            request,
            template="admin/scic/generalassembly/votes.html",
            title=f"Présences, quorum et votes — {assembly}",
            breadcrumb="Votes",
            obj=assembly,
            quorum=quorum(assembly=assembly, rules=rules),
            rules=rules,
            checks=evaluate_rules(),
            checks_date=timezone.localdate(),
            rows=rows,
            change_url=reverse("admin:scic_generalassembly_change", args=[pk]),
            minutes_url=reverse("admin:scic_generalassembly_minutes", args=[pk]),
        )

    def minutes_view(self, request, pk):
        assembly = get_object_or_404(GeneralAssembly.objects.select_related("venue"), pk=pk)
        if not self.has_view_permission(request, assembly):
            raise PermissionDenied
        return render(request, "scic/print/minutes.html", minutes_context(assembly))

    def attendance_sheet_view(self, request, pk):
        assembly = get_object_or_404(GeneralAssembly.objects.select_related("venue"), pk=pk)
        if not self.has_view_permission(request, assembly):
            raise PermissionDenied
        return render(request, "scic/print/attendance_sheet.html", attendance_sheet(assembly))

    def postal_view(self, request, pk):
        assembly = get_object_or_404(GeneralAssembly, pk=pk)
        if not self.has_view_permission(request, assembly):
            raise PermissionDenied
        return render(
            request,
            "scic/print/postal.html",
            {
                "site": SiteIdentity.load(),
                "assembly": assembly,
                "recipients": postal_convocations(assembly),
                "back_url": reverse("admin:scic_generalassembly_change", args=[pk]),
            },
        )


def attendance_sheet(assembly: GeneralAssembly) -> dict:
    """The attendance sheet the associates sign on the day: everyone convened, by college then
    number, with the shares they hold on the assembly's date (the register of that day) and
    the proxies already recorded; the bureau certifies it."""
    holdings = {line.associate.pk: line.shares for line in register_on(assembly.date).lines}
    attendances = list(
        assembly.attendances.select_related(
            "associate__structure",
            "associate__person",
            "college",
            "proxy_holder__structure",
            "proxy_holder__person",
        ).order_by("college__name", "associate__number")
    )
    for attendance in attendances:
        attendance.shares = holdings.get(attendance.associate_id, 0)
    site = SiteIdentity.load()
    return {
        "site": site,
        "legal_statement": site.legal_statement_on(assembly.date),
        "assembly": assembly,
        "attendances": attendances,
        "colleges": len({attendance.college_id for attendance in attendances}) > 1,
        "back_url": reverse("admin:scic_generalassembly_change", args=[assembly.pk]),
    }


def minutes_context(assembly: GeneralAssembly) -> dict:
    """What the printed minutes show: everything read from the assembly's frozen rules."""
    rules = assembly_rules(assembly)
    colleges = voting_colleges(assembly, rules=rules)
    resolutions = list(assembly.resolutions.prefetch_related("votes"))
    site = SiteIdentity.load()
    return {
        "site": site,
        "legal_statement": site.legal_statement_on(assembly.date),
        "assembly": assembly,
        "rules": rules,
        "quorum": quorum(assembly=assembly, rules=rules),
        "results": [(r, tally(resolution=r, colleges=colleges, rules=rules)) for r in resolutions],
        "back_url": reverse("admin:scic_generalassembly_change", args=[assembly.pk]),
    }
