"""One-line fields hold no invisible line or format characters, and no mail header is built
from text that could hold one: a U+2028 in a name once made the coordinator's notification
fail six times, then give up."""

import pytest
from django.core.exceptions import ValidationError

from association.validators import SingleLineValidator, header_text, validate_single_line
from joining.models import JoinRequest
from joining.services import submit_join_request
from outbox.models import OutgoingMail
from tests.conftest import aged_token, run_queued_tasks, text_of

JOIN_URL = "/adherer/"

INVISIBLE = {
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "next line": "\x85",
    "vertical tab": "\x0b",
    "zero-width space": "\u200b",
    "right-to-left override": "\u202e",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "private use": "\ue000",
}

LABELS = {
    "first_name": "Prénom",
    "last_name": "Nom",
    "town": "Commune (facultatif)",
    "phone": "Téléphone (facultatif)",
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize("field", LABELS)
def test_invisible_characters_are_refused_naming_the_field(
    client, site_identity, join_data, field, character
):
    value = {"phone": "06 12 34 56 78"}.get(field, "Carvin")
    response = client.post(JOIN_URL, join_data(**{field: value[:3] + character + value[3:]}))

    html = text_of(response)
    assert response.status_code == 200
    assert f"Le champ «\u00a0{LABELS[field]}\u00a0» contient des caractères invisibles" in html
    assert JoinRequest.objects.count() == 0


def test_a_structure_name_is_checked_too(client, site_identity, join_data):
    response = client.post(
        JOIN_URL,
        join_data(
            applicant_kind="structure",
            structure_name="Les Jardins\u2028de Carvin",
            structure_kind="association",
        ),
    )

    assert "Le champ «\u00a0Nom de la structure\u00a0» contient" in text_of(response)
    assert JoinRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Zoé-Hélène", "Zoé-Hélène"),
        ("N\u2019Diaye", "N\u2019Diaye"),  # typographic apostrophe
        ("O'Brien", "O'Brien"),
        ("Ελένη", "Ελένη"),
        ("李小龍", "李小龍"),
        ("Anne\u00a0Marie", "Anne Marie"),  # a non-breaking space typed by mistake
        ("Anne\u202fMarie", "Anne Marie"),  # narrow one
    ],
)
def test_ordinary_names_are_accepted_and_odd_spaces_become_spaces(
    client, site_identity, join_data, typed, saved
):
    response = client.post(JOIN_URL, join_data(first_name=typed, last_name=typed))

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.first_name, join_request.last_name) == (saved, saved)


def test_the_validator_is_reusable_and_names_its_field():
    validator = SingleLineValidator(field_label="Nom de la structure")

    with pytest.raises(ValidationError) as refused:
        validator("Les Jardins\u2029de Carvin")

    assert refused.value.code == "control_characters"
    assert "Le champ «\u00a0Nom de la structure\u00a0»" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="Ce champ contient"):
        validate_single_line("a\u2028b")
    # Joiners are parts of words in Persian and Indic scripts; NUL is Django's own refusal.
    validate_single_line("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")
    validate_single_line("nul\x00")
    assert SingleLineValidator(field_label="Nom") == SingleLineValidator(field_label="Nom")


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("Louise\u2028LEFEBVRE", "Louise LEFEBVRE"),
        ("Louise\r\nBcc: x@example.org", "Louise Bcc: x@example.org"),
        ("Lou\u200bise\u202e \u2029 X", "Louise X"),
        ("Nouvelle demande\u00a0: Zoé", "Nouvelle demande\u00a0: Zoé"),  # French spacing kept
        ("\x85\x0b\x0c\x1c\x1d\x1e\x7f", ""),
    ],
)
def test_header_text_keeps_nothing_a_header_refuses(text, header):
    assert header_text(text) == header


@pytest.mark.django_db(transaction=True)
def test_a_request_saved_without_the_form_still_notifies_the_coordinator(
    site_identity, smtp_server
):
    """The admin or a script may save what the form would refuse: the mails still go."""
    submit_join_request(
        data={
            "applicant_kind": "structure",
            "wants_membership": True,
            "first_name": "Lou\u2028ise",
            "last_name": "Lefe\u2029bvre\r\n",
            "email": "louise.lefebvre@example.org",
            "structure_name": "Jardins\u202e\x85 de Carvin",
            "structure_kind": "association",
        },
        form_token=aged_token(),
        site_url="https://ptce.example",
    )

    run_queued_tasks()

    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
    notification = smtp_server.message_to("coordination@ptce-hc.example")
    assert notification["Subject"] == (
        "Nouvelle demande sur le site\u00a0: Lou ise LEFE BVRE (Jardins de Carvin)"
    )
