"""The outbox in the back-office: every mail with its state, « Renvoyer », and the inline that
shows a record's mails on its page."""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.contenttypes.admin import GenericTabularInline
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from outbox.models import OutgoingMail, mail_kinds
from outbox.services import resend_outgoing_mails

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]

MAIL_STATUS_STYLE = {
    OutgoingMail.Status.PENDING: "⏳",
    OutgoingMail.Status.SENDING: "⏳",
    OutgoingMail.Status.SENT: "✔",
    OutgoingMail.Status.FAILED: "✖",
}


INTERRUPTED = "interrupted"


def mail_symbol(mail: OutgoingMail) -> str:
    return "⚠" if mail.is_interrupted else MAIL_STATUS_STYLE[mail.status]


class OutgoingMailInline(GenericTabularInline):
    """The mails about a record, on its page (a join request…)."""

    model = OutgoingMail
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "kind_display",
        "recipient",
        "state_display",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields
    verbose_name_plural = "e-mails (ouvrez-en un pour le renvoyer)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="état")
    def state_display(self, mail):
        return mail.get_state_display()

    @admin.display(description="type")
    def kind_display(self, mail):
        # The label the sending app declared, never the stored code (« acknowledgement »).
        return mail.get_kind_display()


class MailKindFilter(admin.SimpleListFilter):
    """The kinds of mail the apps declared (see `register_mail_kinds`)."""

    title = "type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return mail_kinds()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class MailStateFilter(admin.SimpleListFilter):
    """The statuses, with « envoi interrompu » apart from the sends really in progress."""

    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            *OutgoingMail.Status.choices,
            (INTERRUPTED, "Envoi interrompu"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == INTERRUPTED:
            return queryset.stale_claims(now=now)
        if self.value() == OutgoingMail.Status.SENDING:
            return queryset.filter(status=self.value()).exclude(
                pk__in=queryset.stale_claims(now=now).values("pk")
            )
        if self.value() in OutgoingMail.Status.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind_display",
        "recipient",
        "state_display",
        "attempts",
        "short_error",
        "next_attempt_at",
        "sent_at",
        "about_link",
    ]
    list_filter = [MailStateFilter, MailKindFilter, "created_at"]
    search_fields = ["recipient", "subject"]
    list_select_related = ["content_type"]
    actions = ["resend", "resend_even_if_sent"]
    fields = [
        "about_link",
        "kind_display",
        "recipient",
        "reply_to",
        "subject",
        "state_display",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created_at",
        "body_text",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The bodies are only read on a mail's own page.
        return super().get_queryset(request).defer("body_text", "body_html")

    def has_resend_permission(self, request):
        # The mails are a record, never edited: « change » here means resending them.
        return request.user.has_perm("outbox.change_outgoingmail")

    @admin.display(description="état", ordering="status")
    def state_display(self, mail):
        return format_html("{} {}", mail_symbol(mail), mail.get_state_display())

    @admin.display(description="dernière erreur")
    def short_error(self, mail):
        return (mail.last_error[:80] + "…") if len(mail.last_error) > 80 else mail.last_error

    @admin.display(description="type")
    def kind_display(self, mail):
        return mail.get_kind_display()

    @admin.display(description="au sujet de")
    def about_link(self, mail):
        """The record the mail is about, linked to its admin page. Not `mail.about`: that
        would cost a query per row; the content type is selected with the list."""
        model = mail.content_type.model_class()
        if model is None:
            return "—"
        opts = model._meta
        label = format_html("{} n°\u00a0{}", capfirst(opts.verbose_name), mail.object_id)
        # Some records a mail is about have no admin page of their own (a « Mon espace »
        # sign-in link, an associate's attendance): named, not linked.
        if not self.admin_site.is_registered(model):
            return label
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[mail.object_id],
        )
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description="Renvoyer", permissions=["resend"], location=BOTH)
    def resend(self, request, queryset):
        outcome = resend_outgoing_mails(mails=queryset)
        self.message_user(request, outcome.message(), messages.SUCCESS)

    @admin.action(
        description="Renvoyer, même s'il a déjà été envoyé",
        permissions=["resend"],
        location=[ActionLocation.CHANGE_FORM],
    )
    def resend_even_if_sent(self, request, queryset):
        # On a mail's own page only: the applicant says the acknowledgement never came (a spam
        # folder), and the coordinator chooses to send that one again.
        outcome = resend_outgoing_mails(mails=queryset, include_sent=True)
        self.message_user(request, outcome.message(), messages.SUCCESS)
