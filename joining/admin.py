"""Join requests and their mails in the back-office: the coordinator's workflow.

Actions (on the list and on each request's page) are thin: they redirect to a page that shows
what will happen and asks for what is missing (the matches to link, a reason), then call the
services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode

from association.admin_pages import (
    ON_LIST_AND_PAGE,
    redirect_with_selection,
    render_intermediate_page,
    require_permission,
    selected_ids,
)
from association.formats import enumerate_in_french
from association.identity import site_url
from joining.forms import AcceptJoinRequestForm, DeclineJoinRequestForm
from joining.models import JoinRequest
from joining.services import (
    accept_join_request,
    decline_join_request,
    find_matches,
    take_join_request,
)
from members.services.personal_data import scrub_admin_history
from outbox.admin import OutgoingMailInline, mail_symbol
from outbox.models import OutgoingMail
from outbox.services import resend_outgoing_mails
from scic.services.register import suggest_placement


def _associate_form_url(join_request: JoinRequest) -> str:
    """The SCIC register's « add » form, filled with the structure and the suggested category
    and college."""
    placement = suggest_placement(structure_kind=join_request.structure_kind)
    query = {"structure": join_request.structure_id, "entry_date": timezone.localdate()}
    if placement.category:
        query["category"] = placement.category.pk
    if placement.college:
        query["college"] = placement.college.pk
    return reverse("admin:scic_associate_add") + "?" + urlencode(query)


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "applicant_kind",
        "wishes_display",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "mails_display",
    ]
    list_filter = [
        "status",
        "applicant_kind",
        "wants_membership",
        "wants_groups",
        "wants_project",
        "wants_associate",
        "groups",
        "created_at",
        "handled_by",
    ]
    search_fields = ["first_name", "last_name", "email", "structure_name", "town", "message"]
    # No date hierarchy: its links cost a pass over every request (the distinct years, months,
    # days), and the « reçue le » filter already offers today, the last 7 days, the month, the
    # year.
    list_select_related = ["handled_by"]
    actions = ["take", "accept", "decline", "resend_mails"]
    inlines = [OutgoingMailInline]
    fieldsets = [
        ("Demande", {"fields": ["status", "wishes_display", "groups_display", "message"]}),
        (
            "Demandeur",
            {
                "fields": [
                    "applicant_kind",
                    ("first_name", "last_name"),
                    ("email", "phone"),
                    "town",
                    ("structure_name", "structure_kind"),
                ]
            },
        ),
        (
            "Traitement",
            {"fields": ["handled_by", "handled_at", "decline_reason", "person", "structure"]},
        ),
        (
            "Consentement",
            {"fields": ["created_at", "consent_given_at", "privacy_notice_version"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # What the visitor sent is evidence; decisions go through the actions.
        return [
            "status",
            "wishes_display",
            "groups_display",
            "message",
            "applicant_kind",
            "first_name",
            "last_name",
            "email",
            "phone",
            "town",
            "structure_name",
            "structure_kind",
            "handled_by",
            "handled_at",
            "decline_reason",
            "person",
            "structure",
            "created_at",
            "consent_given_at",
            "privacy_notice_version",
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                # Into a list: a prefetch into the relation's manager builds a queryset for
                # each request on the page, which costs more than the rest of its row.
                Prefetch(
                    "outgoing_mails",
                    queryset=OutgoingMail.objects.only(
                        "pk", "content_type_id", "object_id", "kind", "status", "claimed_at"
                    ),
                    to_attr="listed_mails",
                )
            )
        )

    def has_add_permission(self, request):
        return False  # Requests come from the public form only.

    def get_deleted_objects(self, objs, request):
        # A request's mails go with it: deleting it does not need the right to delete mails.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(OutgoingMail._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    def log_deletions(self, request, queryset):
        # A request deleted (often at the applicant's demand) leaves no name in the history.
        entries = super().log_deletions(request, queryset)
        scrub_admin_history(model=JoinRequest, pks=[obj.pk for obj in queryset])
        return entries

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="souhaite")
    def wishes_display(self, join_request):
        return enumerate_in_french(join_request.wishes)

    @admin.display(description="groupes de travail souhaités")
    def groups_display(self, join_request):
        names = [group.name for group in join_request.groups.all()]
        return enumerate_in_french(names, quoted=True) or "—"

    @admin.display(description="e-mails")
    def mails_display(self, join_request):
        mails = join_request.listed_mails
        if not mails:
            return "—"
        return format_html_join(
            " ",
            '<span title="{}">{} {}</span>',
            (
                (
                    f"{mail.get_kind_display()}\u00a0: {mail.get_state_display()}",
                    mail_symbol(mail),
                    mail.get_state_display(),
                )
                for mail in mails
            ),
        )

    # --- actions -------------------------------------------------------------------------------

    @admin.action(
        description="Prendre en charge", permissions=["change"], location=ON_LIST_AND_PAGE
    )
    def take(self, request, queryset):
        taken = 0
        for join_request in queryset.filter(status=JoinRequest.Status.NEW):
            take_join_request(join_request=join_request, handled_by=request.user)
            self.log_change(request, join_request, "Demande prise en charge.")
            taken += 1
        self.message_user(request, f"Demandes prises en charge\u00a0: {taken}.", messages.SUCCESS)

    @admin.action(description="Accepter…", permissions=["change"], location=ON_LIST_AND_PAGE)
    def accept(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                "Acceptez les demandes une par une\u00a0: chacune demande de vérifier les "
                "doublons.",
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:joining_joinrequest_accept", args=[queryset.get().pk])
        )

    @admin.action(description="Refuser…", permissions=["change"], location=ON_LIST_AND_PAGE)
    def decline(self, request, queryset):
        return redirect_with_selection(reverse("admin:joining_joinrequest_decline"), queryset)

    @admin.action(
        description="Renvoyer les e-mails", permissions=["change"], location=ON_LIST_AND_PAGE
    )
    def resend_mails(self, request, queryset):
        outcome = resend_outgoing_mails(
            mails=OutgoingMail.objects.filter(join_request__in=queryset)
        )
        self.message_user(request, outcome.message(), messages.SUCCESS)

    # --- intermediate pages --------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/accepter/",
                self.admin_site.admin_view(self.accept_view),
                name="joining_joinrequest_accept",
            ),
            path(
                "refuser/",
                self.admin_site.admin_view(self.decline_view),
                name="joining_joinrequest_decline",
            ),
            *super().get_urls(),
        ]

    def accept_view(self, request, pk):
        join_request = get_object_or_404(JoinRequest.objects.prefetch_related("groups"), pk=pk)
        require_permission(self, request, "change", join_request)
        change_url = reverse("admin:joining_joinrequest_change", args=[pk])
        if not join_request.is_open:
            self.message_user(
                request,
                f"Cette demande a déjà été traitée ({join_request.get_status_display()}).",
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        matches = find_matches(join_request=join_request)
        form = AcceptJoinRequestForm(
            request.POST if request.method == "POST" else None,
            join_request=join_request,
            matches=matches,
        )
        if request.method == "POST" and form.is_valid():
            try:
                accepted = accept_join_request(
                    join_request=join_request,
                    handled_by=request.user,
                    person=form.chosen_person(),
                    structure=form.chosen_structure(),
                    allow_new_despite_matches=True,
                    site_url=site_url(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, accepted, "Demande acceptée.")
                self.message_user(
                    request,
                    f"Demande acceptée\u00a0: {accepted.person}"
                    + (f" ({accepted.structure})" if accepted.structure else "")
                    + " est dans le fichier. Un e-mail de bienvenue lui est envoyé.",
                    messages.SUCCESS,
                )
                if accepted.wants_associate and accepted.structure:
                    # The register's form, filled with the suggestion: the coordinator adds
                    # the subscription once the board has approved it.
                    return HttpResponseRedirect(_associate_form_url(accepted))
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/joining/joinrequest/accept.html",
            title=f"Accepter la demande de {join_request}",
            breadcrumb="Accepter",
            obj=join_request,
            join_request=join_request,
            form=form,
            matches=matches,
            year=timezone.localdate().year,
            change_url=change_url,
            placement=suggest_placement(structure_kind=join_request.structure_kind)
            if join_request.wants_associate
            else None,
        )

    def decline_view(self, request):
        require_permission(self, request, "change")
        ids = selected_ids(request)
        queryset = JoinRequest.objects.filter(pk__in=ids).open()
        if not queryset.exists():
            self.message_user(request, "Aucune demande en attente à refuser.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:joining_joinrequest_changelist"))
        form = DeclineJoinRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            declined = 0
            for join_request in queryset:
                try:
                    decline_join_request(
                        join_request=join_request,
                        handled_by=request.user,
                        reason=form.cleaned_data["reason"],
                        message=form.cleaned_data["message"]
                        if form.cleaned_data["notify"]
                        else "",
                    )
                except ValidationError as error:
                    self.message_user(
                        request, f"{join_request}\u00a0: {error.messages[0]}", messages.ERROR
                    )
                else:
                    self.log_change(request, join_request, "Demande refusée.")
                    declined += 1
            self.message_user(request, f"Demandes refusées\u00a0: {declined}.", messages.SUCCESS)
            if len(ids) == 1:
                return HttpResponseRedirect(
                    reverse("admin:joining_joinrequest_change", args=[ids[0]])
                )
            return HttpResponseRedirect(reverse("admin:joining_joinrequest_changelist"))
        return render_intermediate_page(
            self,
            request,
            template="admin/joining/joinrequest/decline.html",
            title="Refuser des demandes"
            if len(queryset) > 1
            else f"Refuser la demande de {queryset.first()}",
            breadcrumb="Refuser",
            join_requests=queryset,
            form=form,
        )
