"""The signed ids of personal links (association/signed_links.py), shared by the events'
registrations, the groups' answers and opt-outs, and the SCIC's replies, and the page of a link
that cannot serve."""

from django.core import signing
from django.test import RequestFactory

from association.signed_links import invalid_link_page, sign_ids, unsign_ids
from tests.conftest import text_of


def test_a_token_gives_back_its_ids():
    assert unsign_ids(sign_ids(12, salt="use"), salt="use") == (12,)
    assert unsign_ids(sign_ids(3, 45, salt="use"), salt="use", count=2) == (3, 45)
    assert sign_ids(12, salt="use").startswith("12:")


def test_a_token_of_another_use_or_record_is_refused():
    token = sign_ids(12, salt="use")
    signature = token.split(":")[1]

    assert unsign_ids(token, salt="another use") is None
    assert unsign_ids(f"13:{signature}", salt="use") is None
    assert (
        unsign_ids(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), salt="use")
        is None
    )
    assert unsign_ids(token[: len(token) // 2], salt="use") is None  # cut by a mail client
    assert unsign_ids("", salt="use") is None


def test_a_token_must_carry_as_many_ids_as_expected():
    assert unsign_ids(sign_ids(3, 45, salt="use"), salt="use") is None
    assert unsign_ids(sign_ids(12, salt="use"), salt="use", count=2) is None


def test_only_our_own_digits_come_back_as_ids():
    signer = signing.Signer(salt="use")
    assert unsign_ids(signer.sign("douze"), salt="use") is None
    assert unsign_ids(signer.sign("-1"), salt="use") is None


def test_a_link_that_cannot_serve_gets_a_french_page(db):
    request = RequestFactory().get("/lien/")

    response = invalid_link_page(
        request,
        heading="Ce lien a expiré",
        message="« Petit déjeuner de l'ESS » est terminé: ce lien ne sert plus.",
        back_url="/evenements/",
        back_label="Voir les événements",
        status=410,
    )
    page = text_of(response)

    assert response.status_code == 410
    assert '<meta name="robots" content="noindex">' in page
    assert "<h1>Ce lien a expiré</h1>" in page
    assert "«\u00a0Petit déjeuner de l'ESS\u00a0» est terminé\u00a0: ce lien ne sert plus." in page
    assert "Rien n'a été enregistré." in page
    assert '<a href="/evenements/">Voir les événements</a>' in page
