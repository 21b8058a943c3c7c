"""The signed ids of personal links (association/signed_links.py), shared by the events'
registrations, the groups' answers and opt-outs, and the SCIC's replies."""

from django.core import signing

from association.signed_links import sign_ids, unsign_ids


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
