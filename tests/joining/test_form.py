import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.tasks import task_backends
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from joining.antispam import issue_form_token
from joining.models import JoinMailKind, JoinRequest
from members.privacy import PRIVACY_NOTICE_VERSION
from outbox.models import OutgoingMail
from tests.conftest import aged_token, text_of
from tests.factories import WorkingGroupFactory

JOIN_URL = "/adherer/"


def test_join_urls_keep_their_french_paths():
    assert reverse("joining:join") == JOIN_URL
    assert reverse("joining:join_done") == "/adherer/merci/"
    assert reverse("members:privacy") == "/confidentialite/"


def test_form_page_offers_every_choice_and_a_hidden_honeypot(client, site_identity):
    WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive")
    WorkingGroupFactory(name="Groupe en sommeil", is_active=False)

    response = client.get(JOIN_URL)

    html = text_of(response)
    assert response.status_code == 200
    assert "Devenir membre de l'association" in html
    assert "Participer à un ou plusieurs groupes de travail" in html
    assert "Proposer un projet ou une idée" in html
    assert "Mobilité sociale, solidaire et inclusive" in html
    assert "Groupe en sommeil" not in html
    assert 'name="form_token"' in html
    honeypot = re.search(r'<div class="form-hp" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'autocomplete="off"' in honeypot.group(1)
    assert f'href="{reverse("members:privacy")}"' in html
    assert "css/forms.css" in html


def test_valid_request_is_saved_with_consent_and_mails_queued_not_sent(
    client, site_identity, join_data, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory()
    data = join_data(wants_groups="on", groups=[group.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN_URL, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("joining:join_done")
    join_request = JoinRequest.objects.get()
    assert join_request.form_token == data["form_token"]
    assert join_request.consent_given_at is not None
    assert join_request.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert join_request.wants_membership and join_request.wants_groups
    assert list(join_request.groups.all()) == [group]
    assert join_request.phone == "06 12 34 56 78"
    assert join_request.status == JoinRequest.Status.NEW
    mails = {m.kind: m for m in join_request.outgoing_mails.all()}
    assert mails[JoinMailKind.COORDINATOR_NOTIFICATION].recipient == (
        site_identity.notification_email
    )
    assert mails[JoinMailKind.APPLICANT_ACKNOWLEDGEMENT].recipient == (
        "louise.lefebvre@example.org"
    )
    assert {m.status for m in mails.values()} == {OutgoingMail.Status.PENDING}
    # Never sent inside the request: two tasks wait in the real queue.
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 2


def test_the_task_queue_is_the_database_one_not_the_immediate_backend():
    assert isinstance(task_backends["default"], DatabaseBackend)


def test_confirmation_page_thanks_the_visitor_by_name(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(), follow=True)

    html = text_of(response)
    assert response.status_code == 200
    assert "Merci Louise" in html
    assert "louise.lefebvre@example.org" in html
    assert "devenir membre de l'association" in html


def test_every_wrong_field_gets_a_french_message_and_other_input_is_kept(
    client, site_identity, join_data
):
    data = join_data(
        first_name="",
        email="pas-une-adresse",
        phone="appelez-moi",
        wants_membership=None,
        consent=None,
        town="Hénin-Beaumont",
        last_name="Dauchet",
    )

    response = client.post(JOIN_URL, data)

    html = text_of(response)
    assert response.status_code == 200
    assert "Indiquez votre prénom." in html
    assert "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr." in html
    assert "Saisissez un numéro de téléphone valide" in html
    assert "Cochez au moins une case" in html
    assert "Cochez cette case pour que nous puissions traiter votre demande." in html
    assert 'value="Hénin-Beaumont"' in html
    assert 'value="Dauchet"' in html
    assert 'value="pas-une-adresse"' in html
    # Errors are tied to their field for screen readers.
    assert 'aria-describedby="id_first_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert JoinRequest.objects.count() == 0


def test_a_structure_must_give_its_name_and_kind(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(applicant_kind="structure"))

    html = text_of(response)
    assert "Indiquez le nom de votre structure." in html
    assert "Choisissez le type de votre structure." in html
    assert JoinRequest.objects.count() == 0


def test_a_structure_request_keeps_its_structure(client, site_identity, join_data):
    response = client.post(
        JOIN_URL,
        join_data(
            applicant_kind="structure",
            structure_name="Les Petits Originaux",
            structure_kind="association",
        ),
    )

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.structure_name == "Les Petits Originaux"
    assert str(join_request) == "Louise LEFEBVRE (Les Petits Originaux)"


def test_a_person_request_keeps_nothing_of_a_structure(client, site_identity, join_data):
    client.post(JOIN_URL, join_data(structure_name="Une structure", structure_kind="company"))

    join_request = JoinRequest.objects.get()
    assert join_request.structure_name == ""
    assert join_request.structure_kind == ""


def test_a_project_needs_a_message(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(wants_membership=None, wants_project="on"))

    assert "Décrivez votre projet ou votre idée en quelques lignes." in text_of(response)
    assert JoinRequest.objects.count() == 0


def test_groups_asked_for_need_a_group_and_a_chosen_group_says_it(
    client, site_identity, join_data
):
    group = WorkingGroupFactory()

    response = client.post(JOIN_URL, join_data(wants_membership=None, wants_groups="on"))
    assert "Choisissez au moins un groupe de travail." in text_of(response)

    response = client.post(JOIN_URL, join_data(wants_membership=None, groups=[group.pk]))
    assert response.status_code == 302
    assert JoinRequest.objects.get().wants_groups is True


def test_an_inactive_group_cannot_be_chosen(client, site_identity, join_data):
    asleep = WorkingGroupFactory(is_active=False)

    response = client.post(JOIN_URL, join_data(groups=[asleep.pk]))

    assert "Ce groupe de travail n'est plus proposé." in text_of(response)
    assert JoinRequest.objects.count() == 0


def test_nul_bytes_are_refused_with_a_french_message(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(last_name="Lef\x00ebvre"))

    assert response.status_code == 200
    assert "Le caractère nul n\u2019est pas autorisé." in text_of(response)
    assert JoinRequest.objects.count() == 0


def test_line_breaks_in_a_name_are_refused(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(first_name="Louise\r\nBcc: x@example.org"))

    assert "caractères invisibles non autorisés" in text_of(response)
    assert JoinRequest.objects.count() == 0


def test_honeypot_saves_nothing_and_answers_neutrally(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(website="http://spam.example"))

    html = text_of(response)
    assert response.status_code == 400
    assert "Votre demande n'a pas pu être envoyée." in html
    assert "http://spam.example" not in html
    assert 'value="Lefebvre"' in html
    assert JoinRequest.objects.count() == 0


def test_a_form_filled_by_autofill_in_a_second_is_kept_and_confirmed(
    client, site_identity, join_data
):
    """Sent at once (a browser's autofill): not refused, nothing saved yet; the answers come
    back, consent included, with « Confirmer l'envoi »; confirming at once saves it."""
    response = client.post(JOIN_URL, join_data(form_token=issue_form_token()))

    html = text_of(response)
    assert response.status_code == 400
    assert "n'a pas pu être envoyée" not in html
    assert (
        "Votre demande n'est pas encore envoyée\u00a0: le formulaire a été rempli très vite"
        in html
    )
    assert 'value="Lefebvre"' in html
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked', html)
    assert "Confirmer l'envoi" in html
    assert JoinRequest.objects.count() == 0

    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    confirmed = client.post(JOIN_URL, join_data(form_token=token))
    assert confirmed.status_code == 302
    assert JoinRequest.objects.get().last_name == "Lefebvre"


def test_a_robot_filling_the_honeypot_fast_is_still_refused(client, site_identity, join_data):
    response = client.post(
        JOIN_URL,
        join_data(form_token=issue_form_token(confirmed=True), website="http://x.example"),
    )
    assert response.status_code == 400
    assert "Votre demande n'a pas pu être envoyée." in text_of(response)
    assert JoinRequest.objects.count() == 0


def test_the_same_form_sent_after_the_minimum_time_is_saved(client, site_identity, join_data):
    token = issue_form_token()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=4)):
        response = client.post(JOIN_URL, join_data(form_token=token))

    assert response.status_code == 302
    assert JoinRequest.objects.count() == 1


@pytest.mark.parametrize("token", ["", "fabrique:1xVVMv:signature-inventee"])
def test_a_missing_or_forged_token_saves_nothing(client, site_identity, join_data, token):
    response = client.post(JOIN_URL, join_data(form_token=token))

    html = text_of(response)
    assert response.status_code == 400
    assert "Ce formulaire a expiré." in html
    assert 'value="Lefebvre"' in html
    assert JoinRequest.objects.count() == 0


def test_an_expired_token_saves_nothing(client, site_identity, join_data, settings):
    response = client.post(
        JOIN_URL, join_data(form_token=_token_issued(settings.JOIN_FORM_MAX_AGE + 60))
    )

    assert response.status_code == 400
    assert JoinRequest.objects.count() == 0


def _token_issued(seconds_ago):
    return aged_token(seconds_ago)


def test_double_submit_with_the_same_token_creates_one_request(client, site_identity, join_data):
    data = join_data()

    first = client.post(JOIN_URL, data)
    second = client.post(JOIN_URL, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("joining:join_done")
    assert JoinRequest.objects.count() == 1
    assert OutgoingMail.objects.count() == 2


def test_rate_limit_answers_429_politely_and_saves_nothing(
    client, site_identity, join_data, settings
):
    settings.JOIN_RATE_LIMIT = 3
    for n in range(3):
        assert client.post(JOIN_URL, join_data(email=f"v{n}@example.org")).status_code == 302

    response = client.post(JOIN_URL, join_data(email="v4@example.org"))

    assert response.status_code == 429
    assert "Merci de patienter un peu" in text_of(response)
    assert response["Retry-After"] == str(settings.JOIN_RATE_WINDOW)
    assert JoinRequest.objects.count() == 3
    # Another address is not affected.
    other = client.post(JOIN_URL, join_data(email="v5@example.org"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_the_rate_limit_is_counted_per_window(client, site_identity, join_data, settings):
    settings.JOIN_RATE_LIMIT = 1
    start = datetime.datetime(2025, 10, 7, 12, 0, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token_a, token_b = _token_issued(10), _token_issued(10)
        assert client.post(JOIN_URL, join_data(form_token=token_a)).status_code == 302
        assert client.post(JOIN_URL, join_data(form_token=token_b)).status_code == 429
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert client.post(JOIN_URL, join_data(form_token=token_b)).status_code == 302
    assert JoinRequest.objects.count() == 2


def _mails_of_kind(kind) -> int:
    return OutgoingMail.objects.filter(kind=kind).count()


def test_acknowledgements_to_one_address_are_limited_but_requests_are_kept(
    client, site_identity, join_data, settings
):
    """Anyone may type someone else's address: it gets a few acknowledgements, not a flood.
    The requests are saved and the coordinator hears of each; the visitor sees no change."""
    settings.JOIN_ACKNOWLEDGEMENT_LIMIT = 2
    pages = []
    for n, address in enumerate(
        ["cible@example.org", "cible@example.org", " Cible@Example.ORG", "cible@example.org"]
    ):
        response = client.post(
            JOIN_URL, join_data(email=address), REMOTE_ADDR=f"192.0.2.{n}", follow=True
        )
        assert response.redirect_chain == [(reverse("joining:join_done"), 302)]
        pages.append(text_of(response))

    assert pages[3] == pages[0]  # the same confirmation, acknowledged or not
    assert JoinRequest.objects.count() == 4
    assert _mails_of_kind(JoinMailKind.COORDINATOR_NOTIFICATION) == 4
    assert _mails_of_kind(JoinMailKind.APPLICANT_ACKNOWLEDGEMENT) == 2
    # Another address is not affected.
    client.post(JOIN_URL, join_data(email="autre@example.org"), REMOTE_ADDR="192.0.2.9")
    assert _mails_of_kind(JoinMailKind.APPLICANT_ACKNOWLEDGEMENT) == 3


def test_acknowledgements_are_counted_per_window(client, site_identity, join_data, settings):
    settings.JOIN_ACKNOWLEDGEMENT_LIMIT = 1
    start = datetime.datetime(2025, 10, 7, 12, 0, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(JOIN_URL, join_data(form_token=_token_issued(10)), REMOTE_ADDR="192.0.2.1")
        client.post(JOIN_URL, join_data(form_token=_token_issued(10)), REMOTE_ADDR="192.0.2.2")
    later = start + datetime.timedelta(seconds=settings.JOIN_ACKNOWLEDGEMENT_WINDOW)
    with time_machine.travel(later, tick=False):
        client.post(JOIN_URL, join_data(form_token=_token_issued(10)), REMOTE_ADDR="192.0.2.3")

    assert JoinRequest.objects.count() == 3
    assert _mails_of_kind(JoinMailKind.APPLICANT_ACKNOWLEDGEMENT) == 2


def test_the_acknowledgement_count_keeps_no_address_in_the_cache(client, site_identity, join_data):
    client.post(JOIN_URL, join_data(email="louise.lefebvre@example.org"))

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {caches['limits']._table}")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert ":join-ack:" in keys
    assert "louise" not in keys.lower()


def test_spam_counts_against_the_allowance(client, site_identity, join_data, settings):
    settings.JOIN_RATE_LIMIT = 2
    client.post(JOIN_URL, join_data(website="spam"))
    client.post(JOIN_URL, join_data(website="spam"))

    assert client.post(JOIN_URL, join_data()).status_code == 429


def test_confirmation_page_without_a_request_stays_generic(client, site_identity):
    response = client.get(reverse("joining:join_done"))

    html = text_of(response)
    assert response.status_code == 200
    assert "Votre demande est bien enregistrée." in html
    assert "Merci\u00a0!" in html


def test_the_confirmation_shows_the_visitor_data_only_once(client, site_identity, join_data):
    client.post(JOIN_URL, join_data())

    assert "Merci Louise" in text_of(client.get(reverse("joining:join_done")))
    assert "Merci Louise" not in text_of(client.get(reverse("joining:join_done")))


def test_wishes_and_groups_are_enumerated_in_french_with_group_names_quoted(
    client, site_identity, join_data
):
    """« A, B et C »; a group's name may hold a comma, so each is between guillemets."""
    mobility = WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive", order=1)
    food = WorkingGroupFactory(name="Alimentation durable", order=2)
    wishes = (
        "devenir membre de l'association, participer à des groupes de travail et proposer "
        "un projet ou une idée"
    )
    groups = (
        "«\u00a0Mobilité sociale, solidaire et inclusive\u00a0» et "
        "«\u00a0Alimentation durable\u00a0»"
    )

    response = client.post(
        JOIN_URL,
        join_data(wants_groups="on", wants_project="on", message="Un jardin partagé.",
                  groups=[mobility.pk, food.pk]),
        follow=True,
    )  # fmt: skip

    assert f"Vous souhaitez {wishes}." in text_of(response)
    acknowledgement = OutgoingMail.objects.get(kind="acknowledgement")
    assert f"Vous souhaitez {wishes} (groupes\u00a0: {groups})." in acknowledgement.body_text
    assert f"(groupes\u00a0: {groups})." in html.unescape(acknowledgement.body_html)
    notification = OutgoingMail.objects.get(kind="notification")
    assert f"Groupes de travail\u00a0: {groups}." in notification.body_text
    assert f"Souhaite\u00a0: {wishes}." in notification.body_text


def test_no_promise_of_a_delay_nobody_decided(client, site_identity, join_data):
    response = client.post(JOIN_URL, join_data(), follow=True)

    page = text_of(response)
    assert "vous répond personnellement." in page
    acknowledgement = OutgoingMail.objects.get(kind="acknowledgement")
    for text in (page, acknowledgement.body_text, acknowledgement.body_html):
        assert "quinze jours" not in text
        assert "en général sous" not in text


def _checked(html: str) -> set[str]:
    """The ticked checkboxes, as « name » or « name=value »."""
    ticked = set()
    for box in re.findall(r'<input type="checkbox"[^>]*>', html):
        if " checked" in box:
            name = re.search(r'name="([^"]+)"', box).group(1)
            value = re.search(r'value="([^"]*)"', box)
            ticked.add(f"{name}={value.group(1)}" if value else name)
    return ticked


def test_a_group_pages_join_link_ticks_that_group(client, site_identity):
    mobility = WorkingGroupFactory(name="Mobilité solidaire", slug="mobilite")
    food = WorkingGroupFactory(name="Alimentation durable", slug="alimentation")
    group_page = client.get(mobility.get_absolute_url()).content.decode()
    link = f"{JOIN_URL}?groupe=mobilite"
    assert f'href="{link}">Rejoindre ce groupe</a>' in group_page

    ticked = _checked(text_of(client.get(link)))

    assert ticked == {"wants_groups", f"groups={mobility.pk}"}
    assert f"groups={food.pk}" not in ticked


@pytest.mark.parametrize("slug", ["inconnu", "en-sommeil", ""])
def test_an_unknown_or_former_group_in_the_join_link_is_ignored(client, site_identity, slug):
    WorkingGroupFactory(slug="mobilite")
    WorkingGroupFactory(slug="en-sommeil", is_active=False)
    response = client.get(JOIN_URL, {"groupe": slug})
    assert response.status_code == 200
    assert _checked(text_of(response)) == set()
