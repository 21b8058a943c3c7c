"""The rights of a person in the member file, from the Person admin: export everything held
about them (JSON), and erase them (anonymise what the figures need, delete the rest).

The Person admin (`members/admin/directory.py`) mixes in `PersonalDataAdminMixin`."""

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify

from association.admin_pages import (
    ON_LIST_AND_PAGE,
    redirect_with_selection,
    render_intermediate_page,
    require_permission,
    selected_ids,
)
from members.models import Person
from members.services.personal_data import erase_person, export_person_data, plan_person_erasure


@admin.action(
    description="Exporter ses données personnelles (JSON)",
    permissions=["view"],
    location=ON_LIST_AND_PAGE,
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
    description="Effacer ses données personnelles…",
    permissions=["delete"],
    location=ON_LIST_AND_PAGE,
)
def erase_personal_data(modeladmin, request, queryset):
    return redirect_with_selection(reverse("admin:members_person_erase"), queryset)


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
        require_permission(self, request, "delete")
        people = list(Person.objects.filter(pk__in=selected_ids(request)))
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
        return render_intermediate_page(
            self,
            request,
            template="admin/members/person/erase_confirmation.html",
            title="Effacer des données personnelles",
            plans=[plan_person_erasure(person=person) for person in people],
            changelist_url=changelist,
        )
