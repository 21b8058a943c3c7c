"""Subscribers in the back-office: who, since when, with which consent; the CSV import."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path

from association.admin_pages import render_intermediate_page
from news.forms import ImportSubscribersForm
from news.models import Subscriber
from news.services.subscriptions import confirmation_pace, import_subscribers, unsubscribe


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "source", "confirmed_at", "consent_version")
    list_filter = ("status", "source")
    search_fields = ("email",)
    # The address and its state are the subscriber's own doing (their confirmation link, their
    # unsubscribe link, a bounce): typed here, a consent nobody gave, or an address nobody
    # confirmed, would be mailed. The coordinator unsubscribes someone with the action.
    readonly_fields = (
        "email",
        "status",
        "source",
        "source_detail",
        "consent_version",
        "requested_at",
        "confirmation_queued_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    fields = ("person", "groups", *readonly_fields)
    raw_id_fields = ("person",)
    change_list_template = "admin/news/subscriber/change_list.html"
    actions = ["unsubscribe_selected"]

    @admin.action(description="Désabonner les adresses choisies", permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        for subscriber in queryset:
            unsubscribe(subscriber=subscriber)
        self.message_user(request, f"{len(queryset)} adresse(s) désabonnée(s).")

    def has_add_permission(self, request):
        """An address is added by its owner (the form, « Mon espace ») or by an import that
        records where the consent comes from, never typed in here."""
        return False

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="news_subscriber_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:news_subscriber_changelist")
        form = ImportSubscribersForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"]
            counts = import_subscribers(
                csv_text=text, source_detail=form.cleaned_data["source_detail"]
            )
            messages.success(
                request,
                f"Abonnés importés avec leur consentement\u00a0: {counts['confirmed']}. "
                f"Adresses sans preuve de consentement, qui recevront la demande de "
                f"confirmation {confirmation_pace(counts['to_confirm'])}\u00a0: "
                f"{counts['to_confirm']}. Déjà connues\u00a0: "
                f"{counts['known']}. Invalides\u00a0: {counts['invalid']}.",
            )
            return redirect("admin:news_subscriber_changelist")
        return render_intermediate_page(
            self,
            request,
            template="admin/news/subscriber/import.html",
            title="Importer une liste d'abonnés",
            breadcrumb="Importer une liste",
            form=form,
        )
