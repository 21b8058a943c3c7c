"""The groups' documents in the back-office: on their own list (a group's documents) and inline
on a meeting's page (its agenda, minutes, presentations)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from association import formats
from groups.admin.scoping import LeadScopedAdminMixin, ScopedChoicesMixin
from groups.models import Document

# A plain file input: the admin's usual one links to the file's URL, which these files do not
# have (the « fichier » column links to the view that checks the right).
PRIVATE_FILE = {models.FileField: {"widget": forms.FileInput}}


def download_link(document: Document):
    if document.pk is None or not document.file:
        return "—"
    return format_html(
        '<a href="{}">{} ({})</a>',
        reverse("space:document", args=[document.pk]),
        document.extension.upper(),
        formats.file_size(document.size),
    )


class DocumentInline(ScopedChoicesMixin, admin.TabularInline):
    model = Document
    fields = ("title", "kind", "visibility", "file", "download")
    readonly_fields = ("download",)
    formfield_overrides = PRIVATE_FILE
    extra = 0
    verbose_name_plural = "documents de la réunion"

    @admin.display(description="télécharger")
    def download(self, document):
        return download_link(document)


@admin.register(Document)
class DocumentAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "group", "meeting", "kind", "visibility", "download", "uploaded_at")
    list_filter = ("group", "kind", "visibility")
    list_select_related = ("group", "meeting__group")
    search_fields = ("title", "group__name")
    fields = ("group", "meeting", "title", "kind", "visibility", "file", "download")
    readonly_fields = ("download",)
    formfield_overrides = PRIVATE_FILE
    date_hierarchy = "uploaded_at"

    @admin.display(description="fichier")
    def download(self, document):
        return download_link(document)
