"""An associate is convened by e-mail only with their prior agreement, for that address (the
rule « Convocation par voie électronique sur accord préalable de l'associé », on by default):
recorded and withdrawn from the associate's page, read by the convocation, the post list and
the register's list; with the rule off, the e-mail goes wherever the portal knows one."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditEntry
from outbox.models import OutgoingMail
from scic.models import Category, ConvocationConsent, GeneralAssembly, Rule
from scic.services.register import admit_associate
from tests.conftest import text_of
from tests.factories import GeneralAssemblyFactory, PersonFactory, StructureFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]
TODAY = datetime.datetime(2026, 6, 3, 10, 0)


@pytest.fixture
def associates(admit, site_identity):
    """APEI and Odette Dauchet have an e-mail address, Rencontres et Loisirs has none."""
    return {
        "apei": admit(structure=StructureFactory(name="APEI", email="siege@apei.example")),
        "odette": admit_associate(
            person=PersonFactory(
                first_name="Odette", last_name="Dauchet", email="odette@example.org"
            ),
            category=category(Category.LegalKind.EMPLOYEES),
            college=None,
            entry_date=datetime.date(2025, 1, 15),
            shares=1,
            share_value=Decimal(100),
            paid_amount=Decimal(100),
        ),
        "rl": admit(
            structure=StructureFactory(
                name="Rencontres et Loisirs", email="", address="2 rue des Lilas", town="Carvin"
            )
        ),
    }


def record_consent(client, associate, email, *, given_on="2026-05-20", method="signed_form"):
    return client.post(
        reverse("admin:scic_associate_consent", args=[associate.pk]),
        {"given_on": given_on, "method": method, "email": email, "note": "Bulletin n° 12"},
    )


def convene(client, assembly) -> str:
    """The admin's action « Convoquer les associés », and the message it leaves."""
    response = client.post(
        reverse("admin:scic_generalassembly_changelist"),
        {"action": "convene", "_selected_action": [assembly.pk]},
    )
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def post_list(client, assembly) -> str:
    return text_of(client.get(reverse("admin:scic_generalassembly_postal", args=[assembly.pk])))


def recipients() -> list[str]:
    return sorted(OutgoingMail.objects.values_list("recipient", flat=True))


def trail_of(consent) -> list[dict]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ConvocationConsent),
            object_pk=str(consent.pk),
        )
        .order_by("pk")
        .values_list("changes", flat=True)
    )


@time_machine.travel(TODAY, tick=False)
def test_only_the_associate_who_agreed_is_convened_by_e_mail(coordinator_client, associates):
    apei = associates["apei"]
    page = text_of(coordinator_client.get(reverse("admin:scic_associate_change", args=[apei.pk])))
    assert "Enregistrer l'accord pour la convocation électronique" in page
    assert (
        "Par courrier\u00a0: pas d'accord pour la convocation électronique (l'e-mail partirait à "
        "siege@apei.example)."
    ) in page
    form = text_of(coordinator_client.get(reverse("admin:scic_associate_consent", args=[apei.pk])))
    assert 'value="siege@apei.example"' in form  # the address its convocation would go to
    response = record_consent(coordinator_client, apei, "siege@apei.example")
    assert response.status_code == 302, text_of(response)
    consent = ConvocationConsent.objects.get(associate=apei)
    assert (consent.method, consent.note, consent.recorded_by) == (
        "signed_form",
        "Bulletin n° 12",
        "coordination",
    )
    assert len(trail_of(consent)) == 1
    page = text_of(coordinator_client.get(reverse("admin:scic_associate_change", args=[apei.pk])))
    assert "Formulaire signé" in page and "Bulletin n° 12" in page
    assert "Prochaine convocation" in page
    assert "Par e-mail à siege@apei.example (accord du 20/05/2026)." in page

    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
    message = convene(coordinator_client, assembly)
    assert recipients() == ["siege@apei.example"]
    assert "Convoqués par e-mail (mis dans la file d'envoi)\u00a0: 1." in message
    assert "À convoquer par courrier\u00a0: 2 —" in message
    assert "pas d'accord pour la convocation électronique\u00a0: Odette DAUCHET" in message
    assert "sans aucune adresse e-mail" in message and "Rencontres et Loisirs" in message
    postal = post_list(coordinator_client, assembly)
    assert "Odette DAUCHET" in postal and "Rencontres et Loisirs" in postal
    assert "APEI" not in postal
    assert "Pas d'accord pour la convocation électronique" in postal
    assert "Aucune adresse e-mail connue" in postal


@time_machine.travel(TODAY, tick=False)
def test_with_the_rule_off_every_known_address_gets_the_mail(coordinator_client, associates):
    # An SAS whose statutes allow convocation by e-mail without a prior agreement.
    rule = Rule.objects.get(code=Rule.Code.EMAIL_CONVOCATION_CONSENT)
    response = coordinator_client.post(
        reverse("admin:scic_rule_change", args=[rule.pk]),
        {"statement": rule.statement, "reference": rule.reference, "minimum": "", "maximum": ""},
    )
    assert response.status_code == 302, text_of(response)
    page = text_of(
        coordinator_client.get(
            reverse("admin:scic_associate_change", args=[associates["odette"].pk])
        )
    )
    assert (
        "Par e-mail à odette@example.org (la règle de l'accord préalable n'est pas appliquée)."
    ) in page
    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
    message = convene(coordinator_client, assembly).split(str(assembly))[1]
    assert recipients() == ["odette@example.org", "siege@apei.example"]
    assert "Convoqués par e-mail (mis dans la file d'envoi)\u00a0: 2." in message
    assert "accord" not in message
    postal = post_list(coordinator_client, assembly)
    assert "Rencontres et Loisirs" in postal and "Odette" not in postal


@time_machine.travel(TODAY, tick=False)
def test_a_consent_for_another_address_is_no_consent(coordinator_client, associates):
    odette = associates["odette"]
    record_consent(coordinator_client, odette, "odette.ancienne@example.org")
    record_consent(coordinator_client, associates["apei"], "Siege@APEI.example ")
    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
    message = convene(coordinator_client, assembly)
    assert recipients() == ["siege@apei.example"]  # the same address, whatever its case
    assert (
        "accord donné pour une autre adresse que celle de la convocation, qui ne vaut donc "
        "pas accord\u00a0: Odette DAUCHET (accord pour odette.ancienne@example.org, "
        "convocation à odette@example.org)"
    ) in message
    postal = post_list(coordinator_client, assembly)
    assert "l'accord porte sur une autre adresse" in postal and "Odette DAUCHET" in postal
    page = text_of(
        coordinator_client.get(reverse("admin:scic_associate_change", args=[odette.pk]))
    )
    assert (
        "Par courrier\u00a0: l'accord porte sur odette.ancienne@example.org, la convocation "
        "partirait à odette@example.org."
    ) in page


def test_a_withdrawal_sends_the_next_convocation_by_post(coordinator_client, associates):
    apei = associates["apei"]
    with time_machine.travel(TODAY, tick=False):
        record_consent(coordinator_client, apei, "siege@apei.example")
        first = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
        convene(coordinator_client, first)
    assert recipients() == ["siege@apei.example"]
    with time_machine.travel(TODAY + datetime.timedelta(days=5), tick=False):
        page = text_of(
            coordinator_client.get(reverse("admin:scic_associate_change", args=[apei.pk]))
        )
        assert "Retrait de l'accord pour la convocation électronique" in page
        response = coordinator_client.post(
            reverse("admin:scic_associate_consent_withdrawal", args=[apei.pk]),
            {"withdrawn_on": "2026-06-08", "note": "Courrier du président"},
        )
        assert response.status_code == 302, text_of(response)
        second = GeneralAssemblyFactory(
            title="Assemblée extraordinaire",
            kind=GeneralAssembly.Kind.EXTRAORDINARY,
            date=datetime.date(2026, 6, 30),
        )
        message = convene(coordinator_client, second)
    # The mail already sent stays sent; the next convocation goes by post.
    assert recipients() == ["siege@apei.example"]
    assert OutgoingMail.objects.get().scic_attendance.get().assembly == first
    assert "pas d'accord pour la convocation électronique\u00a0: APEI, Odette DAUCHET" in message
    assert "APEI" in post_list(coordinator_client, second)
    assert "APEI" not in post_list(coordinator_client, first)
    consent = ConvocationConsent.objects.get()
    assert consent.withdrawn_on == datetime.date(2026, 6, 8)
    # The trail keeps the consent as given and its withdrawal.
    (created, withdrawn) = trail_of(consent)
    assert created["email"] == ["None", "siege@apei.example"]
    assert withdrawn["withdrawn_on"] == ["None", "2026-06-08"]
    # A new consent after the withdrawal is a new record: both stay on the associate's page.
    with time_machine.travel(TODAY + datetime.timedelta(days=6), tick=False):
        record_consent(coordinator_client, apei, "ca@apei.example", given_on="2026-06-09")
    assert ConvocationConsent.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_second_consent_or_a_future_date_is_refused_in_french(coordinator_client, associates):
    apei = associates["apei"]
    record_consent(coordinator_client, apei, "siege@apei.example")
    page = text_of(record_consent(coordinator_client, apei, "ca@apei.example"))
    assert "Un accord est déjà en vigueur" in page and "enregistrez d'abord son retrait" in page
    odette = associates["odette"]
    page = text_of(
        record_consent(coordinator_client, odette, "o@example.org", given_on="2026-07-01")
    )
    assert "L'accord ne peut pas être daté d'un jour à venir." in page
    page = text_of(
        coordinator_client.post(
            reverse("admin:scic_associate_consent_withdrawal", args=[odette.pk]),
            {"withdrawn_on": "2026-06-01"},
        )
    )
    assert "Aucun accord en vigueur à retirer pour cet associé." in page
    assert ConvocationConsent.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_register_list_shows_and_filters_who_agreed(coordinator_client, associates):
    record_consent(coordinator_client, associates["apei"], "siege@apei.example")
    url = reverse("admin:scic_associate_changelist")
    page = text_of(coordinator_client.get(url))
    assert "Accord convocation par e-mail" in page
    assert "Oui, siege@apei.example" in page
    agreed = text_of(coordinator_client.get(url, {"accord_email": "yes"}))
    assert "APEI" in agreed and "Odette" not in agreed
    others = text_of(coordinator_client.get(url, {"accord_email": "no"}))
    assert "APEI" not in others and "Odette" in others and "Rencontres et Loisirs" in others


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_names_the_rule_and_who_agreed(coordinator_client, associates):
    record_consent(coordinator_client, associates["apei"], "siege@apei.example")
    page = text_of(coordinator_client.get(reverse("admin:index")))
    assert "Convocation par voie électronique sur accord préalable de l'associé" in page
    assert "Code de commerce, art. R. 225-63 (SA) et R. 223-20-1 (SARL)" in page
    assert "1 associé sur 3 présents a donné son accord\u00a0; les autres sont convoqués" in page


@time_machine.travel(TODAY, tick=False)
def test_erasing_the_person_whose_address_was_consented_withdraws_and_forgets_it(
    coordinator_client, admit
):
    from members.services.personal_data import erase_person

    die = StructureFactory(name="DIE", email="")
    contact = PersonFactory(
        first_name="Zoé", last_name="Zola", email="zoe.zola@example.org", structure=die
    )
    associate = admit(structure=die)
    record_consent(coordinator_client, associate, "zoe.zola@example.org")
    coordinator_client.get(reverse("admin:index"))  # the confirmation, read
    erase_person(person=contact)
    consent = ConvocationConsent.objects.get()
    assert (consent.email, consent.withdrawn_on) == ("", datetime.date(2026, 6, 3))
    assert "zoe.zola" not in str(list(AuditEntry.objects.values_list("changes", "object_repr")))
    page = text_of(
        coordinator_client.get(reverse("admin:scic_associate_change", args=[associate.pk]))
    )
    assert "zoe.zola" not in page and "Accord du 20/05/2026 pour une adresse effacée" in page
