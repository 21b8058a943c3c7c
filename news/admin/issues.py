"""The newsletter in the back-office: compose it from the records, edit and reorder its
sections, preview it (web, print, e-mail side by side), send a test to oneself, schedule it,
and follow the sending (sent, failed, left)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from association import formats
from association.admin_pages import ON_LIST_AND_PAGE, render_intermediate_page
from association.identity import get_site_identity
from audit.registry import update_logged
from news.models import Issue, Section
from news.services.composing import compose_issue
from news.services.sending import (
    progress,
    recipients,
    render_issue_mail,
    schedule_issue,
    send_test,
    unschedule_issue,
)


class SectionInline(admin.StackedInline):
    model = Section
    fields = ("order", "kind", "title", "body", "link")
    extra = 0


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "published_at", "status", "send_at", "sending")
    list_filter = ("status",)
    search_fields = ("title",)
    fields = (
        "number",
        "title",
        "editorial",
        "period_start",
        "published_at",
        "audience_groups",
        "send_at",
        "status",
        "sending",
        "preview_link",
    )
    readonly_fields = ("status", "sending", "preview_link")
    filter_horizontal = ("audience_groups",)
    inlines = [SectionInline]
    actions = ["compose", "send_test_to_me", "schedule", "unschedule"]

    def get_changeform_initial_data(self, request):
        """A new issue takes the number after the last one."""
        last = Issue.objects.order_by("-number").values_list("number", flat=True).first()
        return {"number": (last or 0) + 1, **super().get_changeform_initial_data(request)}

    @admin.display(description="envoi (envoyés, en échec, restants)")
    def sending(self, issue):
        if issue.pk is None or issue.status == Issue.Status.DRAFT:
            return "—"
        done = progress(issue)
        return f"{done.sent} envoyés, {done.failed} en échec, {done.left} restants"

    @admin.display(description="aperçu")
    def preview_link(self, issue):
        if issue.pk is None:
            return "—"
        url = reverse("admin:news_issue_preview", args=[issue.pk])
        return format_html('<a href="{}">Aperçu web, impression et e-mail</a>', url)

    @admin.action(
        description="Composer à partir des enregistrements",
        permissions=["change"],
        location=ON_LIST_AND_PAGE,
    )
    def compose(self, request, queryset):
        for issue in queryset:
            if issue.status != Issue.Status.DRAFT:
                # Sent or on its way: what subscribers received stays what the archive shows.
                self.message_user(
                    request,
                    f"{issue}\u00a0: déjà envoyée ou programmée, ses rubriques restent telles "
                    "quelles.",
                    messages.WARNING,
                )
                continue
            composition = compose_issue(issue=issue)
            kept = ", ".join(f"«\u00a0{title}\u00a0»" for title in composition.kept)
            if kept:
                kept = f"\u00a0; gardées telles que vous les avez modifiées\u00a0: {kept}"
            self.message_user(
                request,
                f"{issue}\u00a0: {composition.proposed} rubriques proposées{kept} (les rubriques "
                "écrites à la main sont gardées).",
            )

    @admin.action(
        description="M'envoyer un essai", permissions=["change"], location=ON_LIST_AND_PAGE
    )
    def send_test_to_me(self, request, queryset):
        if not request.user.email:
            self.message_user(request, "Votre compte n'a pas d'adresse e-mail.", messages.ERROR)
            return
        for issue in queryset:
            send_test(issue=issue, email=request.user.email)
        self.message_user(request, f"Essai envoyé à {request.user.email}.")

    @admin.action(
        description="Programmer l'envoi (à la date indiquée, ou maintenant)",
        permissions=["change"],
        location=ON_LIST_AND_PAGE,
    )
    def schedule(self, request, queryset):
        drafts = list(queryset.filter(status=Issue.Status.DRAFT))
        for issue in drafts:
            at = issue.send_at or timezone.now()
            schedule_issue(issue=issue, at=at)
            if issue.published_at is None:  # on /lettre/ when it goes out, not before
                update_logged(Issue.objects.filter(pk=issue.pk), published_at=at)
            count = recipients(issue).count()
            self.message_user(
                request,
                f"{issue}\u00a0: envoi programmé le {formats.moment(at)}, à {count} "
                f"abonné{'s' if count > 1 else ''}.",
            )
        if not drafts:
            self.message_user(
                request, "Aucune lettre en préparation parmi celles choisies.", messages.WARNING
            )

    @admin.action(
        description="Annuler l'envoi programmé (s'il n'a pas commencé)",
        permissions=["change"],
        location=ON_LIST_AND_PAGE,
    )
    def unschedule(self, request, queryset):
        called_off = sum(unschedule_issue(issue=issue) for issue in queryset)
        if called_off:
            self.message_user(
                request, "Envoi annulé\u00a0: la lettre est de nouveau en préparation."
            )
        else:
            self.message_user(
                request,
                "Aucun envoi programmé à annuler (un envoi commencé va jusqu'au bout).",
                messages.WARNING,
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/apercu/",
                self.admin_site.admin_view(self.preview_view),
                name="news_issue_preview",
            ),
            path(
                "<int:pk>/apercu/courriel/",
                self.admin_site.admin_view(self.mail_view),
                name="news_issue_preview_mail",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        if not self.has_view_permission(request, issue):
            return self._refuse()
        rendered = render_issue_mail(issue)
        return render_intermediate_page(
            self,
            request,
            template="admin/news/issue/preview.html",
            title=f"Aperçu — {issue}",
            breadcrumb="Aperçu",
            obj=issue,
            issue=issue,
            sections=issue.sections.all(),
            site=get_site_identity(request),
            mail=rendered,
        )

    def mail_view(self, request, pk):
        """The HTML mail alone, for the preview's frame (sandboxed there)."""
        issue = get_object_or_404(Issue, pk=pk)
        if not self.has_view_permission(request, issue):
            return self._refuse()
        response = HttpResponse(render_issue_mail(issue)["body_html"])
        # Framed by the preview page, and by nothing else.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src *; style-src 'unsafe-inline'; frame-ancestors 'self'"
        )
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def _refuse(self):
        raise PermissionDenied
