"""Convocations through the outbox (a real SMTP server), with the notice period, and the
associate's reply page."""

import datetime

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from outbox.models import OutgoingMail
from scic.models import Associate, Attendance, Rule
from scic.services.convocations import convene_assembly, reply_token
from tests.conftest import run_queued_tasks, text_of
from tests.factories import (
    AssociateFactory,
    GeneralAssemblyFactory,
    PersonFactory,
    StructureFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 6, 3, 10, 0)
SITE = "https://testserver"


@pytest.fixture(autouse=True)
def _no_consent_asked(legal_rules):
    """These tests are about the addresses the portal finds: the rule of the associate's prior
    agreement is off, as an SAS's statutes may decide (tests/scic/test_convocation_consent.py
    tests it on)."""
    Rule.objects.filter(code=Rule.Code.EMAIL_CONVOCATION_CONSENT).update(is_active=False)


def convene(assembly):
    """Convene as the admin's action does, with the portal's address."""
    return convene_assembly(assembly=assembly, site_url=SITE)


@pytest.fixture
def associates(admit):
    return [
        admit(structure=StructureFactory(name="APEI", email="siege@apei.example")),
        admit(person=PersonFactory(first_name="Odette", last_name="Dauchet")),
        admit(structure=StructureFactory(name="Sans adresse", email="")),
    ]


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=False)
def test_convocations_leave_by_the_outbox_fifteen_days_ahead(smtp_server, site_identity):
    # The worker commits for real, hence a transactional test. Its associates have no
    # movements: the register's rows cannot be deleted, not even by the test's cleanup.
    associates = [
        AssociateFactory(structure=StructureFactory(name="APEI", email="siege@apei.example")),
        AssociateFactory(
            structure=None, person=PersonFactory(first_name="Odette", last_name="Dauchet")
        ),
        AssociateFactory(structure=StructureFactory(name="Sans adresse", email="")),
    ]
    assembly = GeneralAssemblyFactory(
        date=datetime.date(2026, 6, 18),
        venue=VenueFactory(
            name="Grande chaufferie du 9-9bis", address="rue Arthur Lamendin", town="Oignies"
        ),
    )
    outcome = convene(assembly)
    assert (outcome.queued, outcome.without_email) == (2, ["Sans adresse"])
    assert Attendance.objects.filter(assembly=assembly).count() == 3
    run_queued_tasks()
    assert OutgoingMail.objects.filter(status="sent").count() == 2
    message = smtp_server.message_to("siege@apei.example")
    assert message["Subject"] == (
        "PTCE Hénin-Carvin\u00a0: convocation à l'Assemblée générale ordinaire annuelle du "
        "jeudi 18\u00a0juin 2026"
    )
    body = message.get_body(("plain",)).get_content()
    assert "Jeudi 18\u00a0juin 2026 à\u00a018\u00a0h" in body
    attendance = Attendance.objects.get(associate=associates[0])
    assert SITE + reverse("scic:reply", args=[reply_token(attendance)]) in body
    assert SITE + reverse("scic:assembly_ics", args=[reply_token(attendance)]) in body
    # The calendar entry travels with the mail, and is the one the link serves.
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "assemblee-2026-06-18.ics"
    (event,) = icalendar.Calendar.from_ical(attachment.get_content()).events
    assert str(event["SUMMARY"]) == "Assemblée générale ordinaire annuelle"
    assert event.DTSTART.replace(tzinfo=None) == datetime.datetime(2026, 6, 18, 18)
    assert str(event.DTSTART.tzinfo) == "Europe/Paris"
    assert "Oignies" in str(event["LOCATION"])
    assert "Approbation des comptes" in str(event["DESCRIPTION"])
    linked = smtp_server.message_to("odette").get_body(("plain",)).get_content()
    assert "calendrier.ics" in linked
    (served,) = icalendar.Calendar.from_ical(
        Client().get(reverse("scic:assembly_ics", args=[reply_token(attendance)])).content
    ).events
    assert (served.uid, served["SEQUENCE"]) == (event.uid, event["SEQUENCE"])
    # Run again: nobody is convened twice.
    assert convene(assembly).already == 2


@time_machine.travel(TODAY, tick=False)
def test_fourteen_days_ahead_is_too_late(associates):
    from django.core.exceptions import ValidationError

    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 17))
    with pytest.raises(ValidationError, match="au moins 15 jours avant"):
        convene(assembly)
    assert not OutgoingMail.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_notice_period_is_a_setting(associates, settings):
    settings.SCIC_CONVOCATION_NOTICE_DAYS = 14
    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 17))
    assert convene(assembly).queued == 2


@pytest.fixture
def convened(associates, site_identity):
    with time_machine.travel(TODAY, tick=False):
        assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
        convene(assembly)
    return {a.associate_id: a for a in Attendance.objects.all()}


@time_machine.travel(TODAY, tick=False)
def test_an_associate_gives_a_proxy_from_the_mail(client, associates, convened):
    giver, holder = convened[associates[1].pk], convened[associates[0].pk]
    url = reverse("scic:reply", args=[reply_token(giver)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Assemblée générale ordinaire annuelle" in page.content.decode()
    response = client.post(url, {"status": "represented", "proxy_holder": holder.associate_id})
    assert response.status_code == 302
    giver.refresh_from_db()
    assert (giver.status, giver.proxy_holder_id) == ("represented", holder.associate_id)
    assert giver.replied_at is not None


@time_machine.travel(TODAY, tick=False)
def test_a_proxy_without_a_holder_is_asked_for(client, convened, associates):
    url = reverse("scic:reply", args=[reply_token(convened[associates[1].pk])])
    response = client.post(url, {"status": "represented"})
    assert "Choisissez l'associé à qui vous donnez pouvoir." in text_of(response)


def test_a_forged_token_is_not_found(client, convened):
    assert client.get(reverse("scic:reply", args=["12:faux"])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_calendar_entry(client, convened, associates):
    url = reverse("scic:assembly_ics", args=[reply_token(convened[associates[0].pk])])
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "SUMMARY:Assemblée générale ordinaire annuelle" in text
    assert "DTSTART;TZID=Europe/Paris:20260618T180000" in text


@time_machine.travel(TODAY, tick=False)
def test_convocations_go_by_e_mail_whenever_the_portal_knows_one(
    admit, site_identity, coordinator_client
):
    # Issue 19, item 7: the structure's e-mail, else its representative's, else a contact
    # person's; by post only when there is none, with a printable list of postal addresses.
    with_email = admit(structure=StructureFactory(name="APEI", email="siege@apei.example"))
    representative = PersonFactory(first_name="Nordine", last_name="Boukhateb")
    named = admit(structure=StructureFactory(name="ADDS", email=""))
    Associate.objects.filter(pk=named.pk).update(convocation_recipient=representative)
    contact_structure = StructureFactory(name="DIE", email="")
    PersonFactory(first_name="Odette", last_name="Dauchet", structure=contact_structure)
    PersonFactory(first_name="Zoé", last_name="Zola", structure=contact_structure)
    admit(structure=contact_structure)
    admit(
        structure=StructureFactory(
            name="Rencontres et Loisirs", email="", address="2 rue des Lilas", town="Carvin"
        )
    )
    AssociateFactory(
        number=99,
        structure=None,
        person=PersonFactory(first_name="Camille", last_name="Martin", email=""),
    )
    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 18))
    outcome = convene(assembly)
    assert outcome.queued == 3
    assert outcome.without_email == ["Rencontres et Loisirs", "Camille MARTIN"]
    assert "complétez" not in outcome.message()
    recipients = dict(
        OutgoingMail.objects.values_list("scic_attendance__associate__number", "recipient")
    )
    assert recipients == {
        with_email.number: "siege@apei.example",
        named.number: representative.email,
        named.number + 1: "odette.dauchet@example.org",
    }
    mail = OutgoingMail.objects.get(recipient=representative.email)
    assert "À l'attention de Nordine BOUKHATEB pour ADDS." in mail.body_text
    postal = text_of(
        coordinator_client.get(reverse("admin:scic_generalassembly_postal", args=[assembly.pk]))
    )
    assert "Rencontres et Loisirs" in postal and "2 rue des Lilas, Carvin" in postal
    assert "Camille MARTIN" in postal
    assert "Adresse inconnue" in postal
    assert "APEI" not in postal and "DIE" not in postal


@time_machine.travel(TODAY, tick=False)
def test_the_calendar_entry_without_an_end_hour_lasts_two_hours_and_says_so(
    client, convened, associates
):
    """Issue 25: the assembly built its own entry, three hours long where meetings and events
    last two; it now comes from the portal's one builder, with its note."""
    url = reverse("scic:assembly_ics", args=[reply_token(convened[associates[0].pk])])
    (entry,) = icalendar.Calendar.from_ical(client.get(url).content).events
    length = entry.end - entry.start
    assert length == datetime.timedelta(hours=2)
    assert "Heure de fin non communiquée" in str(entry["DESCRIPTION"])
    assert "Approbation des comptes" in str(entry["DESCRIPTION"])
