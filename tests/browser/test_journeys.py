"""The three users' journeys, end to end in a real Chromium: a visitor joining, a partner
finding their group's next meeting, the coordinator at work in the back-office, and the join
form with the keyboard alone. Each journey makes its own data and stands alone."""

import datetime
import re
import time
import zoneinfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Meeting
from joining.models import JoinRequest
from members.models import Person
from tests.browser.conftest import log_in_to_admin
from tests.factories import (
    EventFactory,
    JoinRequestFactory,
    MeetingFactory,
    VenueFactory,
    WorkingGroupFactory,
)

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def wait_out_the_minimum_fill_time(shown_at: float) -> None:
    """The form refuses what comes back faster than a person can fill it (a robot): wait as a
    real visitor would have, rather than switching the check off."""
    remaining = settings.JOIN_MIN_FILL_SECONDS + 0.2 - (time.monotonic() - shown_at)
    if remaining > 0:
        time.sleep(remaining)


def calendar_events(ical: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(ical).walk("VEVENT"))


def test_a_visitor_joins_from_the_home_page_after_correcting_a_mistake(live_server, page):
    WorkingGroupFactory(name="Alimentation durable et consommation responsable")

    page.goto(live_server.url + reverse("site:home"))
    page.get_by_role("link", name="Adhérer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nous rejoindre")
    shown_at = time.monotonic()

    page.get_by_label("Participer à un ou plusieurs groupes de travail").check()
    page.get_by_label("Alimentation durable et consommation responsable").check()
    page.get_by_label("Prénom").fill("Louise")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Lefebvre")
    email = page.get_by_role("main").get_by_label("Adresse e-mail")
    email.fill("louise.lefebvre.example.org")  # the « @ » forgotten
    page.get_by_label("Commune (facultatif)").fill("Carvin")
    page.get_by_label("Votre message").fill("Je cultive un jardin partagé à Carvin.")
    page.get_by_label("J'accepte que l'association").check()
    wait_out_the_minimum_fill_time(shown_at)
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Votre demande n'est pas encore envoyée\u00a0: un champ est à corriger"
    )
    # The error sits in the e-mail field's own block and is announced with it.
    email_block = page.locator(".form-field", has=page.locator("#id_email"))
    error = email_block.locator(".errorlist")
    expect(error).to_have_text(
        "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
    )
    expect(email).to_have_attribute("aria-invalid", "true")
    assert error.get_attribute("id") in email.get_attribute("aria-describedby").split()
    # Everything else typed is still there; nothing was saved yet.
    expect(email).to_have_value("louise.lefebvre.example.org")
    expect(page.get_by_label("Prénom")).to_have_value("Louise")
    expect(page.get_by_label("Votre message")).to_have_value(
        "Je cultive un jardin partagé à Carvin."
    )
    expect(page.get_by_label("Alimentation durable et consommation responsable")).to_be_checked()

    expect(page.get_by_label("J'accepte que l'association")).to_be_checked()
    assert JoinRequest.objects.count() == 0

    email.fill("louise.lefebvre@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci Louise\u00a0!")
    expect(page.locator("main")).to_contain_text("louise.lefebvre@example.org")
    join_request = JoinRequest.objects.get()  # exactly one
    assert (join_request.first_name, join_request.email, join_request.town) == (
        "Louise",
        "louise.lefebvre@example.org",
        "Carvin",
    )
    assert [g.name for g in join_request.groups.all()] == [
        "Alimentation durable et consommation responsable"
    ]

    # Reloading the confirmation, as a worried visitor does, sends nothing again.
    page.reload()
    assert JoinRequest.objects.count() == 1


@time_machine.travel(datetime.datetime(2025, 9, 1, 10, tzinfo=PARIS))
def test_a_partner_finds_the_next_meeting_of_their_group_and_takes_it_home(live_server, page):
    food = WorkingGroupFactory(
        name="Alimentation durable et consommation responsable", slug="alimentation", order=2
    )
    mobility = WorkingGroupFactory(
        name="Mobilité sociale, solidaire et inclusive", slug="mobilite", order=1
    )
    apei = VenueFactory(
        name="Siège de l'APEI", address="239 rue Philibert Robiaud", town="Hénin-Beaumont"
    )
    next_meeting = MeetingFactory(
        group=food, date=datetime.date(2025, 10, 7), start_time=datetime.time(14), venue=apei
    )
    MeetingFactory(
        group=food, date=datetime.date(2025, 12, 2), start_time=datetime.time(14), venue=apei
    )
    MeetingFactory(group=food, date=datetime.date(2025, 6, 3), venue=apei)  # past
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12), start_time=datetime.time(9))
    EventFactory(title="Petit déjeuner de l'ESS", date=datetime.date(2025, 10, 14))

    page.goto(live_server.url + reverse("site:home"))
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Groupes de travail"
    ).click()
    page.get_by_role("link", name="Alimentation durable et consommation responsable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alimentation durable et consommation responsable"
    )

    upcoming = page.locator("section", has=page.get_by_role("heading", name="Prochaines réunions"))
    first = upcoming.locator(".meeting-item").first
    expect(first).to_contain_text("Mardi 7 octobre 2025 à 14\u00a0h")
    expect(first).to_contain_text("Siège de l'APEI, 239 rue Philibert Robiaud, Hénin-Beaumont")

    first.get_by_role("link").click()
    expect(page.locator(".facts")).to_contain_text("Mardi 7 octobre 2025")
    expect(page.locator(".facts")).to_contain_text("239 rue Philibert Robiaud")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    (vevent,) = calendar_events(download.path().read_bytes())
    assert str(vevent["UID"]) == f"meeting-{next_meeting.pk}@localhost"
    assert vevent.decoded("DTSTART") == datetime.datetime(2025, 10, 7, 14, tzinfo=PARIS)
    assert "239 rue Philibert Robiaud" in str(vevent["LOCATION"])
    assert "Hénin-Beaumont" in str(vevent["LOCATION"])

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Agenda"
    ).click()
    entries = page.locator(".agenda-entry")
    expect(entries).to_have_count(4)  # both groups' meetings and the breakfast
    page.get_by_label("Groupe").select_option(label=food.name)
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('site:agenda')}?groupe=alimentation&type="
    )
    expect(entries).to_have_count(2)
    for entry in entries.all():
        expect(entry).to_contain_text(food.name)
    expect(entries.filter(has_text=mobility.name)).to_have_count(0)
    expect(entries.filter(has_text="Petit déjeuner")).to_have_count(0)


@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_the_coordinator_accepts_a_request_then_schedules_a_meeting(
    live_server, page, coordinator
):
    transition = WorkingGroupFactory(
        name="Transition énergétique et économie circulaire", slug="transition"
    )
    VenueFactory(name="PIAC", address="24 rue des Lilas", town="Carvin")
    VenueFactory(name="ADDS", address="2 rue Léon Hourriez", town="Montigny-en-Gohelle")
    join_request = JoinRequestFactory(first_name="Serge", last_name="Roussel")
    join_request.groups.add(transition)

    log_in_to_admin(page, live_server.url, coordinator.username, "mot-de-passe-de-test-1")

    # Accept the request: the list's action, then its confirmation page.
    page.get_by_role("link", name="Demandes d'adhésion").click()
    row = page.get_by_role("row").filter(has_text="Roussel")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Accepter…")
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Accepter la demande de Serge ROUSSEL"
    )
    expect(page.get_by_label("Créer une nouvelle personne\u00a0: Serge ROUSSEL")).to_be_checked()
    page.get_by_role("button", name="Accepter la demande").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Demande acceptée\u00a0: Serge ROUSSEL est dans le fichier."
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    person = Person.objects.get(email=join_request.email)
    assert join_request.person == person
    assert list(transition.participant_people.all()) == [person]

    # Schedule the group's next meeting, the venue picked with the autocomplete.
    day = timezone.localdate() + datetime.timedelta(days=45)
    page.locator(".breadcrumbs").get_by_role("link", name="Accueil").click()
    page.locator("#content-main tr.model-meeting").get_by_role("link", name="Ajouter").click()
    page.get_by_label("Groupe").select_option(label=transition.name)
    page.get_by_label("Date").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Heure de début").fill("14:00")
    page.locator(".field-venue .select2-selection").click()
    page.locator(".select2-search__field").fill("Hourriez")
    page.get_by_role("option", name="ADDS").click()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Ajout enregistré")
    meeting = Meeting.objects.get(group=transition)
    assert (meeting.date, meeting.start_time, meeting.venue.name) == (
        day,
        datetime.time(14),
        "ADDS",
    )

    # The public agenda shows it at once, and the group's calendar feed carries it.
    page.goto(live_server.url + reverse("site:agenda"))
    entry = page.locator(".agenda-entry", has_text=transition.name)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("2 rue Léon Hourriez")
    feed = page.request.get(
        live_server.url + reverse("groups:group_calendar", kwargs={"slug": "transition"})
    )
    assert feed.ok
    (vevent,) = calendar_events(feed.body())
    assert str(vevent["UID"]) == f"meeting-{meeting.pk}@localhost"
    assert vevent.decoded("DTSTART") == datetime.datetime.combine(
        day, datetime.time(14), tzinfo=PARIS
    )
    assert "2 rue Léon Hourriez" in str(vevent["LOCATION"])


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user does;
    each control passed on the way must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"Focus invisible sur {selector}"
            return
    pytest.fail(f"{selector} n'est pas atteint avec la touche Tab")


FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
}"""


def test_the_join_form_with_the_keyboard_alone(live_server, page):
    WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive")
    page.goto(live_server.url + reverse("joining:join"))
    shown_at = time.monotonic()

    tab_to(page, "#id_wants_membership")
    page.keyboard.press("Space")
    tab_to(page, "#id_wants_groups")
    page.keyboard.press("Space")
    tab_to(page, "#id_first_name")
    page.keyboard.type("Odette")
    page.keyboard.press("Tab")
    page.keyboard.type("Dauchet")
    tab_to(page, "#id_email")
    page.keyboard.type("odette.dauchet@example.org")
    tab_to(page, "#id_groups input[type=checkbox]")
    page.keyboard.press("Space")
    tab_to(page, "#id_message")
    page.keyboard.type("Je voudrais présenter le maraîchage de Drocourt.")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    wait_out_the_minimum_fill_time(shown_at)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci Odette\u00a0!")
    join_request = JoinRequest.objects.get()
    assert join_request.wants_membership and join_request.wants_groups
    assert join_request.last_name == "Dauchet"
    assert [g.name for g in join_request.groups.all()] == [
        "Mobilité sociale, solidaire et inclusive"
    ]
    assert join_request.message == "Je voudrais présenter le maraîchage de Drocourt."
