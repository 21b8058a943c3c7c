"""Back-office accounts of the group leads: given by the coordinator in one action, with a
link to choose a password (Django's password-reset machinery, valid PASSWORD_RESET_TIMEOUT,
three days)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from association.identity import get_site_identity
from association.roles import LEAD_GROUP
from audit.registry import update_logged
from groups.models import GroupLead, LeadMailKind
from outbox.services import queue_templated_mail


def password_link(user, *, site_url: str) -> str:
    """The one-time link to choose a password (it stops working once the password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def give_lead_account(*, lead: GroupLead, site_url: str):
    """A back-office account for the lead, in the `chef de file` role, linked to every group
    the person leads, and a mail with the link to choose a password. Given again, the account
    stays and a new link goes out (the old one is then void only once a password is set)."""
    person = lead.person
    if not person.email:
        raise ValidationError(
            f"{person.full_name} n'a pas d'e-mail dans le fichier\u00a0: ajoutez-le d'abord."
        )
    User = get_user_model()
    linked = GroupLead.objects.filter(person=person, user__isnull=False).select_related("user")
    user = next((known.user for known in linked), None)
    if user is None:
        user = User.objects.filter(
            Q(email__iexact=person.email) | Q(username__iexact=person.email)
        ).first()
    if user is not None and not user.is_active:
        # A disabled account was disabled on purpose (a former coordinator…): never revived
        # with its old rights by this action.
        raise ValidationError(
            f"Le compte {user.username} est désactivé\u00a0: l'administrateur technique décide "
            "s'il doit servir de nouveau."
        )
    if user is None:
        user = User(username=person.email, email=person.email)
        user.set_unusable_password()
    user.first_name, user.last_name = person.first_name, person.last_name
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=LEAD_GROUP))
    update_logged(GroupLead.objects.filter(person=person), user=user)
    groups = list(GroupLead.objects.filter(person=person).values_list("group__name", flat=True))
    site = get_site_identity()
    queue_templated_mail(
        about=lead,
        kind=LeadMailKind.ACCOUNT,
        recipient=person.email,
        context={
            "person": person,
            "user": user,
            "groups": groups,
            "link": password_link(user, site_url=site_url),
            "admin_url": site_url + reverse("admin:index"),
            "site": site,
        },
    )
    return user
