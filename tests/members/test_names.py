"""Names found and replaced as the coordinator would spell them."""

import pytest

from members.services.names import Mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoé Secretnom", "X"),
        ("Ajout de « Zoe  SECRETNOM (APEI) · Z.Secretnom@APEI.fr »", "Ajout de « X (APEI) · X »"),
        ("SECRETNOM ZOÉ, présidente", "X, présidente"),
        ("Zoe\u0301 Secretnom !", "X !"),  # the accent typed as a separate combining mark
        ("Œuvre de Zoé Secretnomier", "Œuvre de Zoé Secretnomier"),  # another name
        ("Zoé Martin", "Zoé Martin"),
    ],
)
def test_mentions_are_replaced_whatever_their_case_and_accents(text, expected):
    mentions = Mentions(["Zoé Secretnom", "Secretnom Zoé", "z.secretnom@apei.fr"])

    assert mentions.replace(text, "X") == expected


def test_no_mention_finds_nothing():
    assert not Mentions(["", "  ", "\u0301"])
    assert Mentions([]).replace("Zoé", "X") == "Zoé"
