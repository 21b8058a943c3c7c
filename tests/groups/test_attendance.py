"""A meeting's sign-in sheet, its closing (who came, people met on the spot, minutes), the
structures present, and names kept off the public pages."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Meeting, MeetingAnswer
from groups.services.attendance import (
    BLANK_LINES,
    NewPerson,
    close_meeting,
    people_present,
    structures_present,
)
from members.models import Person
from tests.conftest import breadcrumbs_of, text_of
from tests.factories import (
    MeetingAnswerFactory,
    MeetingFactory,
    PersonFactory,
    SiteIdentityFactory,
    StructureFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

YES, NO, MAYBE = (
    MeetingAnswer.Response.YES,
    MeetingAnswer.Response.NO,
    MeetingAnswer.Response.MAYBE,
)
# The day after the factory's meeting (Tuesday 7 October 2025, 14 h).
frozen = time_machine.travel("2025-10-08 10:00 +02:00", tick=False)


@pytest.fixture
def meeting():
    return MeetingFactory(
        group__name="Alimentation durable",
        venue=VenueFactory(
            name="Siège de l'APEI", address="239 rue Philibert Robiaud", town="Hénin-Beaumont"
        ),
        end_time=datetime.time(16, 0),
    )


def _answer(meeting, first_name, last_name, response="", **kwargs):
    return MeetingAnswerFactory(
        meeting=meeting,
        person__first_name=first_name,
        person__last_name=last_name,
        response=response,
        **kwargs,
    )


@pytest.fixture
def answers(meeting):
    """Invited participants who answered in every way, created out of order."""
    return {
        "unanswered": _answer(meeting, "Bernard", "Zola"),
        "no": _answer(meeting, "Alice", "Abel", NO),
        "maybe": _answer(meeting, "Claire", "Morel", MAYBE),
        "yes_z": _answer(meeting, "Zoé", "Vasseur", YES, person__structure__name="DIE"),
        "yes_a": _answer(
            meeting, "Anne", "Bertin", YES, person__structure__name="APEI Hénin-Carvin"
        ),
    }


def _sheet_url(meeting):
    return reverse("admin:groups_meeting_sign_in_sheet", args=[meeting.pk])


def _close_url(meeting):
    return reverse("admin:groups_meeting_close", args=[meeting.pk])


def _close(meeting, **changes):
    """Close `meeting` through the service, nobody present unless `changes` say otherwise."""
    return close_meeting(
        **{
            "meeting": meeting,
            "present_answer_ids": [],
            "added_people": [],
            "new_people": [],
            "unrecorded": 0,
            "minutes": "",
            "decisions": "",
            **changes,
        }
    )


# --- The sign-in sheet -------------------------------------------------------------------------


def test_sheet_lists_yes_then_maybe_then_the_others_with_a_signature_box_each(
    coordinator_client, meeting, answers
):
    MeetingAnswer.objects.create(
        meeting=meeting, guest_name="Invitée Sans-Lien", guest_email="i@example.org", response=YES
    )  # not confirmed by e-mail: does not count
    MeetingAnswer.objects.create(
        meeting=meeting,
        guest_name="Gaston Invité",
        guest_email="g@example.org",
        response=YES,
        confirmed_at=datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC),
    )
    response = coordinator_client.get(_sheet_url(meeting))
    assert response.status_code == 200
    content = response.content.decode()
    names = re.findall(r'<td class="sheet-name">([^<]+)</td>', content)
    assert names == [
        "Anne BERTIN",
        "Gaston Invité",
        "Zoé VASSEUR",
        "Claire MOREL",
        "Bernard ZOLA",
        "Alice ABEL",
    ]
    assert "APEI Hénin-Carvin" in content
    assert "Sans-Lien" not in content
    # One signature box per person and per blank line (and the heading).
    assert content.count('class="sheet-signature"') == 1 + len(names) + BLANK_LINES
    assert content.count("sheet-blank") == BLANK_LINES


def test_sheet_gives_the_group_date_hours_and_place_and_links_the_print_stylesheet(
    coordinator_client, meeting
):
    content = coordinator_client.get(_sheet_url(meeting)).content.decode()
    assert "Feuille d'émargement" in content
    assert "Alimentation durable" in content
    assert "Mardi 7\u00a0octobre 2025, de\u00a014\u00a0h à\u00a016\u00a0h" in content
    assert "Siège de l&#x27;APEI, 239 rue Philibert Robiaud, Hénin-Beaumont" in content
    assert '<link rel="stylesheet" href="/static/css/print-sheet.css">' in content
    assert "style=" not in content  # the CSP forbids inline styles


@frozen
@pytest.mark.ignore_template_errors
def test_meeting_admin_page_links_the_sheet_and_the_closing_page(coordinator_client, meeting):
    content = coordinator_client.get(
        reverse("admin:groups_meeting_change", args=[meeting.pk])
    ).content.decode()
    assert _sheet_url(meeting) in content
    assert _close_url(meeting) in content


def test_sheet_needs_the_view_permission_and_closing_the_change_permission(client, meeting):
    staff = UserFactory(is_staff=True)
    # Without it, an account sees only the groups it leads (tests/groups/test_leads_*).
    staff.user_permissions.add(Permission.objects.get(codename="manage_every_group"))
    client.force_login(staff)
    assert client.get(_sheet_url(meeting)).status_code == 403
    assert client.get(_close_url(meeting)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    assert client.get(_sheet_url(meeting)).status_code == 200
    assert client.get(_close_url(meeting)).status_code == 403


# --- Closing ---------------------------------------------------------------------------------


def _close_data(meeting, present=(), added=(), new=(), **fields):
    data = {
        "present": [str(pk) for pk in present],
        "added_people": [str(p.pk) for p in added],
        "unrecorded": "0",
        "minutes": "",
        "decisions": "",
        "nouveaux-TOTAL_FORMS": "5",
        "nouveaux-INITIAL_FORMS": "0",
        "nouveaux-MIN_NUM_FORMS": "0",
        "nouveaux-MAX_NUM_FORMS": "20",
        **fields,
    }
    for i, row in enumerate(new):
        for key, value in row.items():
            data[f"nouveaux-{i}-{key}"] = value
    return data


@frozen
@pytest.mark.ignore_template_errors
def test_closing_is_prefilled_from_yes_and_records_who_came(coordinator_client, meeting, answers):
    response = coordinator_client.get(_close_url(meeting))
    assert response.status_code == 200
    change_url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    assert breadcrumbs_of(text_of(response))[-2:] == [(change_url, str(meeting)), ("", "Clore")]
    form = response.context["form"]
    assert set(form["present"].initial) == {answers["yes_a"].pk, answers["yes_z"].pk}
    present = [answers["yes_a"].pk, answers["maybe"].pk]
    response = coordinator_client.post(
        _close_url(meeting),
        _close_data(
            meeting,
            present=present,
            unrecorded="3",
            minutes="Tour de table.",
            decisions="Visite du maraîchage.",
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert (meeting.unrecorded_attendees, meeting.minutes, meeting.decisions) == (
        3,
        "Tour de table.",
        "Visite du maraîchage.",
    )
    assert dict(meeting.answers.values_list("pk", "present")) == {
        answer.pk: answer.pk in present for answer in answers.values()
    }
    # Closed again, the page starts from what was recorded.
    response = coordinator_client.get(_close_url(meeting))
    assert set(response.context["form"]["present"].initial) == set(present)


@frozen
@pytest.mark.ignore_template_errors
def test_closing_adds_a_person_from_the_member_file(coordinator_client, meeting, answers):
    walk_in = PersonFactory(first_name="Serge", last_name="Roussel")
    response = coordinator_client.post(
        _close_url(meeting), _close_data(meeting, present=[answers["yes_a"].pk], added=[walk_in])
    )
    assert response.status_code == 302
    added = meeting.answers.get(person=walk_in)
    assert (added.present, added.response) == (True, "")


@frozen
@pytest.mark.ignore_template_errors
def test_closing_refuses_a_look_alike_until_one_is_picked_or_a_new_person_confirmed(
    coordinator_client, meeting
):
    odette = PersonFactory(first_name="Odette", last_name="Dauchet", email="o.dauchet@die.fr")
    typed = {"first_name": "odette", "last_name": "DAUCHET", "email": ""}
    response = coordinator_client.post(_close_url(meeting), _close_data(meeting, new=[typed]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ressemblent à cette personne" in content
    assert "Odette DAUCHET — " in content
    assert Person.objects.count() == 1
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED

    response = coordinator_client.post(
        _close_url(meeting), _close_data(meeting, new=[{**typed, "choice": str(odette.pk)}])
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert meeting.answers.get(person=odette).present is True

    response = coordinator_client.post(
        _close_url(meeting),
        _close_data(meeting, new=[{**typed, "choice": "new", "email": "odette2@example.org"}]),
    )
    assert response.status_code == 302
    namesake = Person.objects.get(email="odette2@example.org")
    assert (namesake.first_name, namesake.last_name) == ("Odette", "DAUCHET")
    assert meeting.answers.get(person=namesake).present is True
    # Not re-ticked on this second closing: recorded absent.
    assert meeting.answers.get(person=odette).present is False


@frozen
@pytest.mark.ignore_template_errors
def test_closing_creates_someone_new_who_looks_like_nobody(coordinator_client, meeting):
    structure = StructureFactory(name="Les petits originaux")
    typed = {"first_name": "jean-michel", "last_name": "Inconnu", "structure": str(structure.pk)}
    response = coordinator_client.post(_close_url(meeting), _close_data(meeting, new=[typed]))
    assert response.status_code == 302
    person = Person.objects.get(last_name="Inconnu")
    assert (person.first_name, person.email, person.structure) == ("Jean-Michel", "", structure)
    assert list(structures_present(Meeting.objects.filter(pk=meeting.pk))) == [structure]


@frozen
def test_the_service_refuses_a_look_alike_or_a_known_email_without_confirmation(meeting):
    PersonFactory(first_name="Odette", last_name="Dauchet", email="o.dauchet@die.fr")
    with pytest.raises(ValidationError) as refused:
        _close(meeting, new_people=[NewPerson(first_name="Odette", last_name="Dauchet")])
    assert refused.value.messages == [
        "«\u00a0Odette Dauchet\u00a0» ressemble à «\u00a0Odette DAUCHET\u00a0», déjà dans le "
        "fichier\u00a0: choisissez la bonne fiche, ou confirmez qu'il s'agit d'une nouvelle "
        "personne."
    ]
    with pytest.raises(ValidationError) as refused:
        _close(
            meeting,
            new_people=[
                NewPerson(
                    first_name="O.", last_name="D.", email="O.Dauchet@die.fr", confirmed=True
                )
            ],
        )
    assert "o.dauchet@die.fr est déjà dans le fichier" in refused.value.messages[0]
    assert Person.objects.count() == 1
    _close(
        meeting, new_people=[NewPerson(first_name="Odette", last_name="Dauchet", confirmed=True)]
    )
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"is_cancelled": True}, "La réunion du mardi 7\u00a0octobre 2025 est annulée"),
        ({"date": datetime.date(2025, 10, 9)}, "n'a pas encore commencé"),
    ],
    ids=["cancelled", "future"],
)
@frozen
def test_a_cancelled_or_future_meeting_cannot_be_closed(meeting, fields, message):
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    with pytest.raises(ValidationError) as refused:
        _close(meeting)
    assert message in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


@frozen
@pytest.mark.ignore_template_errors
def test_the_closing_page_sends_a_cancelled_meeting_back_with_the_reason(
    coordinator_client, meeting
):
    Meeting.objects.filter(pk=meeting.pk).update(is_cancelled=True)
    change_url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    response = coordinator_client.post(_close_url(meeting), _close_data(meeting), follow=True)
    assert response.redirect_chain == [(change_url, 302)]
    content = response.content.decode()
    assert "est annulée\u00a0: elle ne peut pas être close" in content
    assert _close_url(meeting) not in content  # no link to a page that would refuse
    assert _sheet_url(meeting) in content


@frozen
def test_the_service_refuses_an_answer_of_another_meeting(meeting):
    other = MeetingAnswerFactory(meeting=MeetingFactory())
    with pytest.raises(ValidationError, match="pas invitée à cette réunion"):
        _close(meeting, present_answer_ids=[other.pk])


# --- Who came: people and structures present ---------------------------------------------------


def test_structures_present_follow_from_the_people_present(meeting):
    die = StructureFactory(name="DIE")
    _answer(meeting, "Odette", "Dauchet", YES, person__structure=die, present=True)
    _answer(meeting, "Paul", "Dauchet", YES, person__structure=die, present=True)
    _answer(meeting, "Absent", "Absent", YES, present=False)
    _answer(meeting, "Sans", "Structure", YES, person__structure=None, present=True)
    other = MeetingFactory(group=meeting.group, date=datetime.date(2025, 11, 4))
    apei = StructureFactory(name="APEI")
    _answer(other, "Brigitte", "Monseu", YES, person__structure=apei, present=True)
    assert list(structures_present(Meeting.objects.filter(pk=meeting.pk))) == [die]
    assert list(structures_present(meeting.group.meetings.all()).order_by("name")) == [apei, die]
    assert people_present(meeting.group.meetings.all()).count() == 4


# --- Names stay off the public site ------------------------------------------------------------


@frozen
def test_names_of_people_who_answered_or_came_never_appear_on_public_pages(
    client, meeting, answers
):
    MeetingAnswer.objects.filter(meeting=meeting).update(present=True)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    for url in (meeting.get_absolute_url(), meeting.group.get_absolute_url(), "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for answer in answers.values():
            assert answer.person.last_name not in content, url
            assert answer.person.last_name.upper() not in content, url


# --- Query counts ------------------------------------------------------------------------------


def _invite(meeting, count):
    structures = StructureFactory.create_batch(3)
    for i in range(count):
        MeetingAnswerFactory(
            meeting=meeting,
            person__structure=structures[i % 3],
            response=(YES, MAYBE, NO, "")[i % 4],
        )


@pytest.mark.parametrize("count", [5, 500], ids=["5", "500"])
@pytest.mark.ignore_template_errors
@frozen
def test_sheet_and_closing_page_cost_a_fixed_number_of_queries(
    coordinator_client, meeting, count, django_assert_num_queries
):
    SiteIdentityFactory()
    _invite(meeting, count)
    # session, user, meeting with group and venue, permissions (user's, group's), identity,
    # answers with their people and structures
    with django_assert_num_queries(7):
        response = coordinator_client.get(_sheet_url(meeting))
    assert response.content.decode().count('class="sheet-name"') == count + BLANK_LINES
    # session, user, meeting, permissions (user's, group's), answers, identity (admin header)
    with django_assert_num_queries(7):
        response = coordinator_client.get(_close_url(meeting))
    assert len(response.context["rows"]) == count


@pytest.mark.ignore_template_errors
def test_a_meeting_of_today_cannot_be_closed_before_it_starts(coordinator_client, meeting):
    """Attendance is taken once people are there: at 13 h the 14 h meeting offers no closing
    link and its closing page sends back with the reason; at 14 h it can be closed."""
    Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2025, 10, 7))
    change_url = reverse("admin:groups_meeting_change", args=[meeting.pk])

    with time_machine.travel("2025-10-07 13:00 +02:00", tick=False):
        assert _close_url(meeting) not in coordinator_client.get(change_url).content.decode()
        response = coordinator_client.post(_close_url(meeting), _close_data(meeting), follow=True)
        assert response.redirect_chain == [(change_url, 302)]
        assert "n'a pas encore commencé" in text_of(response)
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.PLANNED

    with time_machine.travel("2025-10-07 14:00 +02:00", tick=False):
        assert _close_url(meeting) in coordinator_client.get(change_url).content.decode()
        response = coordinator_client.post(_close_url(meeting), _close_data(meeting))
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD


def test_a_meeting_without_hours_can_be_closed_on_its_day(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        date=datetime.date(2025, 10, 7), start_time=None, end_time=None
    )
    with time_machine.travel("2025-10-07 08:00 +02:00", tick=False):
        _close(meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
