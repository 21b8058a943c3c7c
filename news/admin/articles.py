"""Articles in the back-office: a lead writes drafts for the groups they lead; the coordinator
(`news.publish_article`) publishes them."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from events.models import Event
from groups.admin.scoping import LeadScopedAdminMixin
from news.models import Article
from news.services.articles import PUBLISH, save_article


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "image",
            "image_alt",
            "group",
            "project",
            "event",
            "structure",
            "status",
            "published_at",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", "Décrivez l'image pour qui ne la voit pas.")
        # « Vide : la date de la publication », before the model's constraint is checked.
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned


@admin.register(Article)
class ArticleAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title", "status", "published_at", "group", "author")
    list_filter = ("status", "group")
    list_select_related = ("group", "author")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("Image", {"fields": ("image", "image_alt")}),
        ("Liée à", {"fields": ("group", "project", "event", "structure")}),
        ("Publication", {"fields": ("status", "published_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm(PUBLISH):
            return ()
        return ("status", "published_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A lead links their article to a published event (the network's events are not a
        # group's); their groups, projects and structures are scoped by the mixin.
        if db_field.name == "event" and self.is_scoped(request):
            kwargs["queryset"] = Event.objects.published()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.is_scoped(request) and "group" in form.base_fields:
            form.base_fields["group"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        """A lead edits drafts; once published, the article is the coordinator's."""
        published = obj is not None and obj.status == Article.Status.PUBLISHED
        if published and not request.user.has_perm(PUBLISH):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        save_article(article=obj, user=request.user, is_new=not change)
