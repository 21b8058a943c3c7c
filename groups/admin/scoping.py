"""What a group lead reaches in the back-office: their own groups, and nothing of the others.

The role (`LEAD_GROUP`, declared in `groups/apps.py`) says which models a lead works on; this mixin
says which rows. An account without `groups.manage_every_group` (the coordinator's) gets, in
every admin it can open: the list, the search and the autocompletes (`get_queryset`), the
choices of a form's group, meeting, project, person or structure (`formfield_for_*`), and each
object check (`has_view/change/delete_permission` with an object: a typed address, an action,
the history page, the sign-in sheet and the closing page) restricted to the groups it leads. Admin
actions and exports work on `get_queryset`, so on the same rows.

`group_path` is the lookup from the admin's model to its working group (« group »,
« meeting__group »; « pk » for the group itself); the member file's admins override
`lead_scope` instead (see `groups/admin/people.py`)."""

from django.contrib import admin
from django.db.models import Q, QuerySet

from association.models import Venue
from audit.registry import has_scope, scope_of
from groups.models import Meeting, Project, WorkingGroup
from members.models import Person, Structure

EVERY_GROUP = "groups.manage_every_group"


def sees_every_group(user) -> bool:
    """The coordinator (and a superuser). Read from the permission cache Django keeps on the
    user for the request: no query of its own."""
    return user.has_perm(EVERY_GROUP)


def led_groups(user) -> QuerySet:
    """The groups `user` leads, as a subquery (no query until used)."""
    return WorkingGroup.objects.filter(leads__user=user).values("pk")


def people_in_scope(user) -> QuerySet:
    """The people a lead may see: the participants of their groups (directly or through their
    structure), their groups' leads, and whoever answered one of their meetings."""
    groups = led_groups(user)
    return Person.objects.filter(
        Q(working_groups__in=groups)
        | Q(structure__working_groups__in=groups)
        | Q(group_leads__group__in=groups)
        | Q(meeting_answers__meeting__group__in=groups)
    ).values("pk")


def structures_in_scope(user) -> QuerySet:
    """The structures taking part in a lead's groups, those of their participants, and those
    their leads represent."""
    groups = led_groups(user)
    return Structure.objects.filter(
        Q(working_groups__in=groups)
        | Q(people__working_groups__in=groups)
        | Q(group_leads__group__in=groups)
    ).values("pk")


def trail_scope(request) -> Q | None:
    """A lead's view of the audit trail: the records of the groups they lead."""
    if sees_every_group(request.user):
        return None
    return Q(scope_id__in=led_groups(request.user))


def trail_names(request, model, records) -> set | None:
    """Which related records a lead reads by name in their groups' trail: their groups, the
    records of their groups (`audit.registry.register`'s scope), the people and structures they
    may see, any venue (a meeting's form offers them all); the others stay « n° 12 »."""
    user = request.user
    if sees_every_group(user):
        return None
    if model is Venue:
        return None
    pks = [record.pk for record in records]
    if model is Person:
        return set(
            Person.objects.filter(pk__in=pks)
            .filter(pk__in=people_in_scope(user))
            .values_list("pk", flat=True)
        )
    if model is Structure:
        return set(
            Structure.objects.filter(pk__in=pks)
            .filter(pk__in=structures_in_scope(user))
            .values_list("pk", flat=True)
        )
    if not has_scope(model):
        return set()
    # The groups a lead leads, read once for the request.
    if not hasattr(request, "_led_group_ids"):
        request._led_group_ids = set(led_groups(user).values_list("pk", flat=True))
    return {record.pk for record in records if scope_of(record) in request._led_group_ids}


class ScopedChoicesMixin:
    """A lead's form offers only their groups, meetings, people and structures. For inlines
    (whose parent's admin checks the object) and model admins alike."""

    def is_scoped(self, request) -> bool:
        return not sees_every_group(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self.is_scoped(request) and (choices := _scoped_choices(db_field, request)):
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if self.is_scoped(request) and (choices := _scoped_choices(db_field, request)):
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LeadScopedAdminMixin(ScopedChoicesMixin):
    """Mix in first, before `admin.ModelAdmin`."""

    group_path = "group"

    def lead_scope(self, request) -> Q:
        return Q(**{f"{self.group_path}__in": led_groups(request.user)})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.is_scoped(request):
            return queryset
        # A subquery on the primary key: never a duplicate row, whatever the joins.
        inner = self.model._default_manager.filter(self.lead_scope(request)).values("pk")
        return queryset.filter(pk__in=inner)

    def in_scope(self, request, obj) -> bool:
        """Whether a lead may reach `obj` (one query per object and request)."""
        if obj is None or obj.pk is None or not self.is_scoped(request):
            return True
        cache = request.__dict__.setdefault("_lead_scope", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            cache[key] = (
                obj._meta.model._default_manager.filter(self.lead_scope(request))
                .filter(pk=obj.pk)
                .exists()
            )
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def get_list_filter(self, request):
        """A lead's filter on the group offers their groups only."""
        filters = super().get_list_filter(request)
        if not self.is_scoped(request):
            return filters
        return [
            (f, admin.RelatedOnlyFieldListFilter) if f in ("group", "meeting") else f
            for f in filters
        ]


def _scoped_choices(db_field, request) -> QuerySet | None:
    model = db_field.related_model
    user = request.user
    if model is WorkingGroup:
        return WorkingGroup.objects.filter(pk__in=led_groups(user))
    if model is Meeting:
        return Meeting.objects.filter(group__in=led_groups(user)).select_related("group")
    if model is Project:
        return Project.objects.filter(group__in=led_groups(user)).select_related("group")
    if model is Person:
        return Person.objects.filter(pk__in=people_in_scope(user))
    if model is Structure:
        return Structure.objects.filter(pk__in=structures_in_scope(user))
    return None
