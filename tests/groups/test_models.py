"""Working groups and meetings: constraints the database enforces."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from association.validators import SingleLineValidator
from groups.models import GroupContact, Meeting, Project, WorkingGroup
from tests.factories import (
    GroupLeadFactory,
    MeetingFactory,
    ProjectFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_cannot_end_before_it_starts():
    group = WorkingGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            group=group,
            date=datetime.date(2025, 10, 7),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(13, 0),
        )


def test_a_meeting_cannot_end_when_it_starts():
    group = WorkingGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            group=group,
            date=datetime.date(2025, 10, 7),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(14, 0),
        )


def test_a_meeting_cannot_have_an_end_without_a_start():
    group = WorkingGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            group=group, date=datetime.date(2025, 10, 7), end_time=datetime.time(16, 0)
        )


def test_a_meeting_may_have_a_start_and_no_end_or_no_hours_at_all():
    with_start = MeetingFactory(start_time=datetime.time(9, 0), end_time=None)
    no_hours = MeetingFactory(start_time=None, end_time=None, venue=None)
    assert Meeting.objects.filter(pk__in=[with_start.pk, no_hours.pk]).count() == 2


def test_meeting_validation_explains_the_hours_rule_in_french():
    meeting = MeetingFactory.build(
        group=WorkingGroupFactory(),
        venue=None,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(9, 0),
    )
    with pytest.raises(ValidationError, match="L'heure de fin doit suivre l'heure de début"):
        meeting.full_clean()


def test_group_slugs_are_unique():
    WorkingGroupFactory(name="Mobilité", slug="mobilite")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.create(name="Autre groupe", slug="mobilite")


def test_group_names_are_unique_whatever_the_case():
    WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive")
    # Only ASCII letters change case here: SQLite's LOWER() leaves « É » as it is.
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.create(name="MOBILITé SOCIALE, SOLIDAIRE ET INCLUSIVE", slug="autre")


def test_project_slugs_are_unique():
    ProjectFactory(slug="friperie-solidaire")
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(name="Autre projet", slug="friperie-solidaire")


def test_a_person_leads_a_group_once():
    lead = GroupLeadFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupLeadFactory(group=lead.group, person=lead.person)


def test_a_group_contact_needs_a_phone_or_an_email():
    group = WorkingGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupContact.objects.create(group=group, label="Personne")


@pytest.mark.parametrize("color", ["#ffd700", "#7fbf7f", "#ffffff"])
def test_a_too_light_accent_colour_is_refused(color):
    group = WorkingGroupFactory.build(accent_color=color)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert error.value.error_dict["accent_color"][0].code == "low_contrast"


@pytest.mark.parametrize("color", ["1f5f8b", "#12345", "bleu"])
def test_a_malformed_accent_colour_is_refused(color):
    group = WorkingGroupFactory.build(accent_color=color)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert error.value.error_dict["accent_color"][0].code == "invalid"


def test_a_dark_enough_accent_colour_is_accepted():
    WorkingGroupFactory.build(accent_color="#1d4f91").full_clean()


def test_saving_a_meeting_again_raises_its_calendar_version():
    meeting = MeetingFactory()
    assert meeting.sequence == 0
    meeting.agenda = "Nouvel ordre du jour"
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_a_contact_line_refuses_invisible_characters():
    for name in ("label", "phone"):
        field = GroupContact._meta.get_field(name)
        assert any(isinstance(v, SingleLineValidator) for v in field.validators), name
