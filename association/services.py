"""Workflows on login accounts: coordinator accounts are staff, in the `coordinateur` group, and
never superusers."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from association.models import User
from association.roles import sync_coordinator_group


@transaction.atomic
def create_coordinator(*, username: str, email: str = "", password: str) -> User:
    """Create a coordinator account, after checking the username, e-mail and password
    (Django's password validators)."""
    user = User(username=username, email=email, is_staff=True, is_superuser=False)
    user.full_clean(exclude=["password"])
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    user.groups.add(sync_coordinator_group())
    return user


@transaction.atomic
def reset_demo_coordinator(*, username: str, password: str) -> tuple[User, bool]:
    """Create the demo coordinator, or give it back its role and a new password if it exists.
    Returns the account and whether it was created."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.is_staff = True
    user.is_superuser = False
    user.is_active = True
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    user.groups.add(sync_coordinator_group())
    return user, created
