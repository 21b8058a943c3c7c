"""Each kind of mail is its templates (a one-line subject, a plain text, maybe an HTML) and a
registration; `queue_templated_mail` renders and queues it (issue 25, item 4)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template.loader import get_template

from outbox.models import OutgoingMail, mail_kinds, mail_templates, register_mail_kinds
from tests.factories import MeetingAnswerFactory, MeetingFactory, WorkingGroupFactory


@pytest.mark.parametrize("kind", [code for code, _label in mail_kinds()])
def test_every_kind_of_mail_has_its_subject_and_body_templates(kind):
    name = mail_templates(kind)
    subject = get_template(f"{name}_subject.txt").template.source
    assert len(subject.strip().splitlines()) == 1
    assert get_template(f"{name}.txt")


def test_a_kind_without_templates_is_refused():
    class Kinds(models.TextChoices):
        ONE = "test-one", "Un"
        TWO = "test-two", "Deux"

    with pytest.raises(ImproperlyConfigured, match="test-two"):
        register_mail_kinds(Kinds, templates={Kinds.ONE: "groups/emails/change"})
    assert "test-one" not in dict(mail_kinds())


def test_a_subject_is_one_line_of_plain_text(db, site_identity):
    """Neither escaped as HTML (« & », « ' ») nor cut by the template's line ending."""
    from groups.services.invitations import notify_meeting_change

    meeting = MeetingFactory(group=WorkingGroupFactory(name="Tri & réemploi d'objets"))
    MeetingAnswerFactory(meeting=meeting, response="yes")
    assert notify_meeting_change(meeting=meeting, site_url="http://testserver", what="annulée")
    mail = OutgoingMail.objects.get()
    assert mail.subject == "Réunion « Tri & réemploi d'objets » annulée"
    assert "« Tri & réemploi d'objets »" in mail.body_text
    assert mail.body_html == ""
