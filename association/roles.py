"""The roles of the back-office: the coordinator's and the group leads', each a declared list
of permissions, applied after every `migrate`.

Each app declares what each role may do on its own models, from its `AppConfig.ready()`
(`register_permissions`), as it declares its kinds of mail to the outbox: this floor never
names an upper app's model. The groups are rebuilt from the declarations, so a permission
removed from one is removed from the group too: what each role may do is read in each app's
`apps.py`, not clicked together in the admin.

A lead's permissions are on the models of the working groups; which groups is another matter:
without `groups.manage_every_group` (the coordinator's), an account sees only the groups it
leads (`groups/admin/scoping.py`)."""

from collections.abc import Mapping

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission


def back_office_session(request) -> bool:
    """Whether the request comes from a staff member's back-office session as the admin lets
    one in: active staff and, with ADMIN_REQUIRE_2FA on, verified by a one-time code
    (django-otp). Every page that trusts a back-office account outside the admin asks here."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return not settings.ADMIN_REQUIRE_2FA or user.is_verified()


COORDINATOR_GROUP = "coordinateur"
LEAD_GROUP = "chef de file"

ALL = ("view", "add", "change", "delete")

# role -> app label -> model name -> actions, filled by the apps (`register_permissions`).
_DECLARED: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    COORDINATOR_GROUP: {},
    LEAD_GROUP: {},
}


def register_permissions(role: str, app_label: str, models: Mapping[str, tuple[str, ...]]) -> None:
    """Declare what `role` may do on the models of `app_label` (model name -> actions: « view »,
    « add », « change », « delete », or a custom permission's whole codename). Called from the
    app's `ready()`; declaring an app again replaces its lines."""
    if role not in _DECLARED:
        raise ValueError(f"Unknown role: {role!r}")
    _DECLARED[role][app_label] = dict(models)


def declared_permissions(role: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """What the apps declared for `role`: app label -> model name -> actions."""
    return _DECLARED[role]


def permission_codenames(declared: dict[str, dict[str, tuple[str, ...]]]) -> set[tuple[str, str]]:
    """(app label, codename) of each permission declared; an action with an underscore is a
    custom permission's whole codename (« manage_every_group »)."""
    return {
        (app_label, action if "_" in action else f"{action}_{model}")
        for app_label, models in declared.items()
        for model, actions in models.items()
        for action in actions
    }


def coordinator_permission_codenames() -> set[tuple[str, str]]:
    return permission_codenames(declared_permissions(COORDINATOR_GROUP))


def lead_permission_codenames() -> set[tuple[str, str]]:
    return permission_codenames(declared_permissions(LEAD_GROUP))


def _sync_group(name: str, declared: dict[str, dict[str, tuple[str, ...]]]) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    wanted = permission_codenames(declared)
    permissions = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=declared.keys()
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group


def sync_coordinator_group(**kwargs) -> Group:
    """Make the `coordinateur` group hold exactly the declared permissions."""
    return _sync_group(COORDINATOR_GROUP, declared_permissions(COORDINATOR_GROUP))


def sync_lead_group(**kwargs) -> Group:
    """Make the `chef de file` group hold exactly the declared permissions."""
    return _sync_group(LEAD_GROUP, declared_permissions(LEAD_GROUP))


def sync_roles(sender=None, **kwargs) -> None:
    """Both roles, once per `migrate` or `flush` (connected in `AssociationConfig.ready`).

    Django sends `post_migrate` once per app with models, in the order of INSTALLED_APPS, and
    each app's permissions exist once its own signal has run: the groups are synced at the last
    app's, when every declared permission exists (syncing at each app's cost 21 times the
    queries, on every flush between the tests that commit)."""
    if sender is not None and sender is not _last_app_with_models():
        return
    sync_coordinator_group()
    sync_lead_group()


def _last_app_with_models():
    """The app `post_migrate` is sent for last (Django's `emit_post_migrate_signal`)."""
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]
