"""The one-line fields whose text reaches pages and mails refuse invisible characters wherever
they are typed (the admin's forms included), not only in the public join form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from association.models import SiteIdentity, Venue
from association.validators import SingleLineValidator
from members.models import Person, Structure

ONE_LINE_FIELDS = [
    (Person, ["first_name", "last_name", "title", "phone"]),
    (Structure, ["name", "acronym", "address", "town", "phone"]),
    (Venue, ["name", "address", "town"]),
    (SiteIdentity, ["name", "short_name", "territory", "tagline", "office_name",
                    "office_address", "office_town", "phone", "legal_form",
                    "publication_director"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("model", "name"),
    [(model, name) for model, names in ONE_LINE_FIELDS for name in names],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_the_field_refuses_invisible_characters(model, name):
    field = model._meta.get_field(name)

    assert any(isinstance(v, SingleLineValidator) for v in field.validators)
    with pytest.raises(ValidationError):
        field.run_validators("Zoé\u2028Secretnom")
    field.run_validators("Zoé d\u2019Hénin-Carvin")


@pytest.mark.ignore_template_errors
def test_the_admin_refuses_a_line_separator_in_a_name(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:members_person_add"),
        {"first_name": "Zoé", "last_name": "SECRET\u2028NOM", "email": "", "phone": "",
         "title": "", "structure": "", "team_role": "", "team_since": "",
         "show_contact_publicly": ""},
    )  # fmt: skip

    assert response.status_code == 200
    assert "caractères invisibles" in response.context["adminform"].form.errors["last_name"][0]
    assert not Person.objects.exists()
