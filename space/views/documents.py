"""A document of a working group, sent only after its right is checked: public, or reserved
to the group's participants (signed in to their space), its leads and the coordinator (signed
in to the back-office). Never from a public URL: the files live outside MEDIA_ROOT."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_safe

from association.roles import back_office_session
from association.uploads import SANDBOX_POLICY
from groups.admin.scoping import sees_every_group
from groups.models import Document, WorkingGroup
from space.session import signed_in_person


def may_read(request, document: Document) -> bool:
    if document.is_public:
        return True
    user = request.user
    if back_office_session(request) and user.has_perm("groups.view_document"):
        if sees_every_group(user):
            return True
        if WorkingGroup.objects.led_by(user).filter(pk=document.group_id).exists():
            return True
    person = signed_in_person(request)
    return (
        person is not None
        and WorkingGroup.objects.taken_part_by(person).filter(pk=document.group_id).exists()
    )


@require_safe
def document(request, pk):
    found = get_object_or_404(Document, pk=pk)
    if not may_read(request, found):
        if signed_in_person(request) is None and not request.user.is_authenticated:
            query = urlencode({"suivant": request.get_full_path()})
            return redirect(f"{reverse('space:sign_in')}?{query}")
        raise Http404  # someone else's: whether it exists is none of their business
    headers = {
        "Content-Disposition": content_disposition_header(True, found.download_name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_POLICY,
    }
    if found.is_public:
        # The visitor's browser only: a document made reserved later must not stay in a
        # shared cache (a proxy's) for the hour.
        headers["Cache-Control"] = "private, max-age=3600"
    else:
        # Reserved: like the space's pages, kept by no cache, the browser's included.
        headers["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
    if settings.DOCUMENTS_ACCEL_REDIRECT:
        # nginx sends the file from its internal location; the headers above stay.
        response = HttpResponse(content_type=found.content_type, headers=headers)
        response["X-Accel-Redirect"] = settings.DOCUMENTS_ACCEL_REDIRECT.rstrip("/") + (
            "/" + found.file.name
        )
        return response
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    for name, value in headers.items():
        response[name] = value
    return response
