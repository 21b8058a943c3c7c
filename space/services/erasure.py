"""A partner asks, from their space, that their data be erased: a request the coordinator
handles from the back-office (the erasure itself is theirs to run: memberships are kept for
the figures, anonymised)."""

from django.db import transaction
from django.urls import reverse

from association.identity import get_site_identity
from members.models import Person
from outbox.services import queue_templated_mail
from space.models import ErasureRequest, SpaceMailKind


@transaction.atomic
def ask_erasure(*, person: Person, message: str, site_url: str) -> tuple[ErasureRequest, bool]:
    """The person's open request (a new one if none), and whether it is new. The coordinator
    is told by mail when the site has a notification address."""
    request, created = ErasureRequest.objects.get_or_create(
        person=person, handled_at__isnull=True, defaults={"message": message.strip()}
    )
    site = get_site_identity()
    address = site.notification_email or site.email
    if created and address:
        queue_templated_mail(
            about=request,
            kind=SpaceMailKind.ERASURE_REQUEST,
            recipient=address,
            context={
                "person": person,
                "request": request,
                "site": site,
                "url": site_url + reverse("admin:space_erasurerequest_change", args=[request.pk]),
            },
        )
    return request, created
