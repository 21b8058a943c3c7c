"""The demo of `make run` lets the lead's and the partner's journeys be tried at once: marked
sample participants in each group (example.org), a sample lead with a printed account, a
published sample minutes and a sample document; real people keep only what the newsletter
publishes."""

import html
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from association.models import User
from groups.models import Document, GroupLead, Meeting, WorkingGroup
from members.models import Person
from ptce.demo import newsletter
from tests.conftest import sign_in_to_space

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(settings):
    """What `make run` does before serving."""
    settings.DEBUG = True
    _run("load_newsletter")
    _run("make_sample_meetings")
    participants = _run("make_sample_participants")
    accounts = _run("create_demo_coordinator")
    return participants + accounts


def _password_of(output: str, username: str) -> str:
    match = re.search(
        rf"Identifiant\u00a0: {re.escape(username)}\n  Mot de passe\u00a0: (\S+)", output
    )
    assert match, output
    return match.group(1)


def test_every_active_group_has_marked_sample_participants_at_example_org(demo):
    for group in WorkingGroup.objects.active():
        samples = group.participant_people.filter(email__endswith="@example.org")
        assert samples.count() >= 2, group
        for person in samples:
            assert person.last_name == "Exemple"
            assert "fictive" in person.title
    assert "@example.org" in demo


def test_real_people_keep_only_what_the_newsletter_publishes(demo):
    real = Person.objects.exclude(email__endswith="@example.org")
    assert real.count() == len(newsletter.PEOPLE)
    for values in newsletter.PEOPLE.values():
        person = real.get(first_name=values["first_name"], last_name=values["last_name"])
        assert person.email == values.get("email", "")
        assert not person.working_groups.exists()
        assert not person.group_leads.exclude(user=None).exists()
    assert not User.objects.exclude(username__in=["coordination", "chef-de-file"]).exists()


def test_a_published_sample_minutes_and_a_sample_document(demo, client):
    minutes = Meeting.objects.get(is_sample=True, status=Meeting.Status.HELD)
    assert minutes.has_public_minutes
    assert "exemple" in minutes.minutes
    page = html.unescape(client.get(minutes.get_absolute_url()).content.decode())
    assert "Compte rendu d'exemple" in page
    document = Document.objects.get(title__contains="exemple")
    assert document.extension == "pdf"
    assert document.group == minutes.group


def test_the_partner_reads_the_sample_minutes_and_document_in_mon_espace(demo, client):
    group = Meeting.objects.get(is_sample=True, status=Meeting.Status.HELD).group
    partner = group.participant_people.filter(email__endswith="@example.org").first()
    sign_in_to_space(client, partner)
    page = html.unescape(client.get(reverse("space:home")).content.decode())
    assert "Document d'exemple" in page
    assert group.name in page
    document = Document.objects.get(title__contains="exemple")
    response = client.get(reverse("space:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.ignore_template_errors  # the admin's own templates rely on silent variables
def test_the_demo_lead_account_is_printed_and_opens_its_group_only(demo, client):
    assert "chef·fe de file d'exemple" in demo
    password = _password_of(demo, "chef-de-file")
    response = client.post(
        reverse("admin:login"), {"username": "chef-de-file", "password": password}
    )
    assert response.status_code == 302, response.content.decode()
    lead = GroupLead.objects.get(user__username="chef-de-file")
    assert lead.person.email.endswith("@example.org")
    page = client.get(reverse("admin:groups_meeting_changelist")).content.decode()
    assert lead.group.name in page
    other = WorkingGroup.objects.exclude(pk=lead.group_id).first()
    assert other.name not in page


def test_running_again_adds_nothing_twice(demo):
    people, leads = Person.objects.count(), GroupLead.objects.count()
    _run("make_sample_meetings")
    _run("make_sample_participants")
    assert (Person.objects.count(), GroupLead.objects.count()) == (people, leads)
    assert Meeting.objects.filter(is_sample=True, status=Meeting.Status.HELD).count() == 1
    assert Document.objects.filter(title__contains="exemple").count() == 1


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _run("make_sample_participants")
    assert not Person.objects.exists()


def test_the_samples_are_marked_in_mon_espace(demo, client):
    minutes = Meeting.objects.get(is_sample=True, status=Meeting.Status.HELD)
    partner = minutes.group.participant_people.filter(email__endswith="@example.org").first()
    sign_in_to_space(client, partner)
    page = client.get(reverse("space:home")).content.decode()
    upcoming = page.split('id="titre-reunions"')[1].split("</section>")[0]
    reports = page.split('id="titre-cr"')[1].split("</section>")[0]
    assert upcoming.count("badge-sample") == upcoming.count("<li")
    assert "badge-sample" in reports
