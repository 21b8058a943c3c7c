"""The rights of a person in the member file, from the Person admin: export everything held
about them (JSON), and erase them (anonymise what the figures need, delete the rest).

The Person admin (`members/admin/directory.py`) mixes in `PersonalDataAdminMixin`."""

import json

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify

from members.models import Person
from members.services.personal_data import erase_person, export_person_data, plan_person_erasure

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


@admin.action(
    description="Exporter ses données personnelles (JSON)", permissions=["view"], location=BOTH
)
def export_personal_data(modeladmin, request, queryset):
    people = list(queryset)
    data = [export_person_data(person=person) for person in people]
    payload = data[0] if len(data) == 1 else data
    name = slugify(people[0].full_name) if len(people) == 1 else f"{len(people)}-personnes"
    date = timezone.localdate().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="donnees-personnelles-{name or "personne"}-{date}.json"'
    )
    for person in people:
        modeladmin.log_change(request, person, "Données personnelles exportées (droit d'accès).")
    return response


@admin.action(
    description="Effacer ses données personnelles…", permissions=["delete"], location=BOTH
)
def erase_personal_data(modeladmin, request, queryset):
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    return HttpResponseRedirect(reverse("admin:members_person_erase") + f"?ids={ids}")


class PersonalDataAdminMixin:
    """Mix into the Person admin: two actions and the erasure confirmation page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actions is not None:
            self.actions = [*self.actions, export_personal_data, erase_personal_data]

    def get_urls(self):
        return [
            path(
                "effacer-donnees/",
                self.admin_site.admin_view(self.erase_view),
                name="members_person_erase",
            ),
            *super().get_urls(),
        ]

    def erase_view(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
        people = list(Person.objects.filter(pk__in=ids))
        changelist = reverse("admin:members_person_changelist")
        if not people:
            return HttpResponseRedirect(changelist)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            for person in people:
                label = str(person)
                plan = erase_person(person=person)
                if plan.anonymise:
                    self.log_change(
                        request, person, "Données personnelles effacées (anonymisation)."
                    )
                self.message_user(
                    request,
                    f"{label}\u00a0: "
                    + (
                        "anonymisée, ses adhésions sont conservées."
                        if plan.anonymise
                        else "fiche supprimée."
                    ),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(changelist)
        return TemplateResponse(
            request,
            "admin/members/person/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Effacer des données personnelles",
                "plans": [plan_person_erasure(person=person) for person in people],
                "changelist_url": changelist,
            },
        )
