from django.contrib import admin
from django.db.models import Count

from association.formats import percent
from scic.models import Category, College, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reference", "minimum", "maximum", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["statement", "reference"]
    fields = ["code", "statement", "reference", ("minimum", "maximum"), "is_active"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # Loaded by a migration: the code measures each rule by its code.

    def has_delete_permission(self, request, obj=None):
        return False  # Turn a rule off (« appliquée ») rather than lose its reference.


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["name", "share_display", "associates_count", "position"]
    search_fields = ["name", "description"]
    fields = ["name", "vote_share", "description", "position", "suggested_structure_kinds"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("associates"))

    @admin.display(description="part des voix", ordering="vote_share")
    def share_display(self, college):
        return percent(college.vote_share)

    @admin.display(description="associés inscrits", ordering="n")
    def associates_count(self, college):
        return college.n


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_kind", "associates_count", "position"]
    list_filter = ["legal_kind"]
    search_fields = ["name"]
    fields = ["name", "legal_kind", "position", "suggested_structure_kinds"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("associates"))

    @admin.display(description="associés inscrits", ordering="n")
    def associates_count(self, category):
        return category.n
