"""A meeting that runs itself, end to end in a real Chromium: the coordinator plans a series in
the admin and sends the invitation of its first meeting; a participant answers « Je viens » from
the link of their e-mail (read from the outbox); the public page counts them without naming
them; the coordinator prints the sign-in sheet and, on the day, closes the meeting with the
participant recorded present.

The live server runs on the real clock, so the series starts next month: its first meeting is
to come while it is invited and answered. Closing needs the meeting's day: the last part of
the journey travels there (time-machine moves the server's clock; the browser's stays, which
only makes the cookies it is given live longer)."""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from association import formats
from groups.models import Meeting, MeetingAnswer, MeetingMailKind, MeetingSeries
from outbox.models import OutgoingMail
from tests.browser.conftest import assert_accessible, log_in_to_admin
from tests.factories import PersonFactory, StructureFactory, VenueFactory, WorkingGroupFactory

pytestmark = [
    pytest.mark.journey,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,  # the admin's templates rely on silent variables
]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PASSWORD = "mot-de-passe-de-test-1"
TUESDAY = 1


def second_tuesday_of_next_month(today: datetime.date) -> datetime.date:
    """The 8th to the 14th: never one of the days a series skips (24, 25, 31 Dec, 1 Jan)."""
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first + datetime.timedelta(days=(TUESDAY - first.weekday()) % 7 + 7)


@pytest.fixture
def guarded_page(browser, browser_context_args):
    """A second browser (the participant's own), with the same console and CSP guard as
    `page`: the coordinator's session never leaks into it."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, "Erreurs dans la console du navigateur :\n" + "\n".join(errors)


def test_a_series_is_planned_invited_answered_and_closed(
    live_server, page, guarded_page, coordinator
):
    food = WorkingGroupFactory(
        name="Alimentation durable et consommation responsable", slug="alimentation"
    )
    VenueFactory(
        name="Siège de l'APEI", address="239 rue Philibert Robiaud", town="Hénin-Beaumont"
    )
    VenueFactory(name="PIAC", address="24 rue des Lilas", town="Carvin")
    odette = PersonFactory(
        first_name="Odette",
        last_name="DAUCHET",
        email="odette.dauchet@example.org",
        structure=StructureFactory(name="DIE"),
    )
    food.participant_people.add(odette)
    apei = StructureFactory(name="APEI Hénin-Carvin")
    PersonFactory(
        first_name="Brigitte",
        last_name="MONSEU",
        email="brigitte.monseu@example.org",
        structure=apei,
    )
    food.participant_structures.add(apei)  # Brigitte is invited as the APEI's contact
    first_day = second_tuesday_of_next_month(timezone.localdate())

    # --- The coordinator plans a year of meetings in one step ----------------------------
    log_in_to_admin(page, live_server.url, coordinator.username, PASSWORD)
    page.locator("#content-main tr.model-meetingseries").get_by_role(
        "link", name="Ajouter"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une série de réunions")
    page.get_by_label("Groupe").select_option(label=food.name)
    page.get_by_label("Première date").fill(first_day.strftime("%d/%m/%Y"))
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("16:00")
    page.locator(".field-venue .select2-selection").click()
    page.locator(".select2-search__field").fill("Robiaud")
    page.get_by_role("option", name="Siège de l'APEI").click()
    page.get_by_role("combobox", name=re.compile("^Rythme")).select_option(label="Tous les N mois")
    page.get_by_label("Tous les… (N)").fill("2")
    page.get_by_label("Jour de la semaine").select_option(label="Mardi")
    page.get_by_label("Quel jour du mois (rythme mensuel)").select_option(label="2e")
    page.get_by_label("Ou nombre de réunions").fill("6")
    page.get_by_label("Ordre du jour habituel").fill("Bilan des récoltes du maraîchage.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("6 réunions créées.")

    series = MeetingSeries.objects.get()
    assert series.rule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6"
    meetings = list(Meeting.objects.filter(series=series).order_by("date"))
    assert len(meetings) == 6
    first = meetings[0]
    assert (first.date, first.start_time, first.end_time, first.venue.name) == (
        first_day,
        datetime.time(14),
        datetime.time(16),
        "Siège de l'APEI",
    )
    assert all(m.date.weekday() == TUESDAY and 8 <= m.date.day <= 14 for m in meetings)

    # --- …and sends the invitation of the first one from the meetings list ----------------
    page.locator(".breadcrumbs").get_by_role("link", name="Accueil").click()
    page.locator("#content-main tr.model-meeting").get_by_role(
        "link", name="Réunions", exact=True
    ).click()
    row = page.get_by_role("row").filter(has=page.locator(f'input[value="{first.pk}"]'))
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(
        label="Envoyer l'invitation aux participants"
    )
    page.get_by_role("button", name="Exécuter").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"du {formats.long_date(first_day)}\u00a0: 2 invitations dans la file d'envoi."
    )
    assert MeetingAnswer.objects.filter(meeting=first).count() == 2
    assert not MeetingAnswer.objects.exclude(meeting=first).exists()

    # --- A participant answers from the link in their e-mail -----------------------------
    mail = OutgoingMail.objects.get(
        kind=MeetingMailKind.INVITATION, recipient="odette.dauchet@example.org"
    )
    assert mail.attachment_name == f"reunion-{first_day:%Y-%m-%d}.ics"
    (answer_url,) = re.findall(r"http://\S+/groupes/reponse/\S+/", mail.body_text)
    assert answer_url.startswith(live_server.url)

    participant = guarded_page
    participant.goto(answer_url)
    expect(participant.get_by_role("heading", level=1)).to_have_text(food.name)
    expect(participant.locator("main")).to_contain_text("Bonjour Odette DAUCHET")
    assert_accessible(participant, "réponse à une invitation")
    answer = MeetingAnswer.objects.get(meeting=first, person=odette)
    assert answer.response == ""  # opening the link changed nothing

    participant.get_by_role("button", name="Je viens").click()
    expect(participant.get_by_role("status")).to_contain_text(
        "Votre réponse est enregistrée\u00a0: «\u00a0Je viens\u00a0»."
    )
    expect(participant.get_by_role("button", name="Je viens")).to_have_attribute(
        "aria-pressed", "true"
    )
    answer.refresh_from_db()
    assert answer.response == MeetingAnswer.Response.YES

    # --- The public page counts, never names ----------------------------------------------
    participant.get_by_role("link", name="Voir la page de la réunion et son ordre du jour").click()
    expect(participant.locator(".meeting-answers")).to_contain_text(
        "1 personne a annoncé sa venue."
    )
    markup = participant.content().lower()  # the text, and the markup and its JSON-LD too
    for name in ("odette", "dauchet", "brigitte", "monseu"):
        assert name not in markup
    assert_accessible(participant, "page publique de la réunion")

    # --- The coordinator prints the sign-in sheet -----------------------------------------
    page.goto(live_server.url + reverse("admin:groups_meeting_change", args=[first.pk]))
    expect(page.locator(".field-answers_summary")).to_contain_text("Je viens\u00a0: 1")
    page.get_by_role("link", name="Feuille d'émargement (à imprimer)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement")
    lines = page.locator(".sheet-line")
    # Who said yes first, then who has not answered, then blank lines for people on the spot.
    expect(lines.nth(0)).to_contain_text("Odette DAUCHET")
    expect(lines.nth(0)).to_contain_text("DIE")
    expect(lines.nth(1)).to_contain_text("Brigitte MONSEU")
    page.get_by_role("link", name="← Retour à la réunion").click()
    # Not before the meeting: the page offers no closing yet.
    expect(page.get_by_role("link", name=re.compile("^Clore la réunion"))).to_have_count(0)
    page.locator("#logout-form").get_by_role("button").click()

    # --- On the day, after the meeting, the coordinator closes it -------------------------
    after_the_meeting = datetime.datetime.combine(first_day, datetime.time(16, 30), PARIS)
    with time_machine.travel(after_the_meeting, tick=True):
        # The answer link has expired with the meeting (410: fetched rather than opened, as
        # the console guard counts a 4xx page as an error).
        expired = participant.request.get(answer_url)
        assert expired.status == 410
        assert "Cette réunion a eu lieu\u00a0: ce lien n'est plus valable." in html.unescape(
            expired.text()
        )

        log_in_to_admin(page, live_server.url, coordinator.username, PASSWORD)
        page.goto(live_server.url + reverse("admin:groups_meeting_change", args=[first.pk]))
        page.get_by_role("link", name="Clore la réunion (présences, compte rendu)").click()
        expect(page.get_by_label("Odette DAUCHET")).to_be_checked()  # said yes
        expect(page.get_by_label("Brigitte MONSEU")).not_to_be_checked()  # no answer
        page.get_by_label("Compte rendu").fill("Premières récoltes présentées.")
        page.get_by_role("button", name="Clore la réunion").click()
        expect(page.locator(".messagelist")).to_contain_text(
            "Réunion close\u00a0: les présences sont enregistrées."
        )

    first.refresh_from_db()
    assert first.status == Meeting.Status.HELD
    assert first.minutes == "Premières récoltes présentées."
    presence = dict(
        MeetingAnswer.objects.filter(meeting=first).values_list("person__first_name", "present")
    )
    assert presence == {"Odette": True, "Brigitte": False}
