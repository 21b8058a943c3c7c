"""A changed foreign key reads by the related record's name in the trail (it read « n° 12 »):
its current name where it still exists, « n° 12 (supprimé) » where it is gone, « n° 12 » for a
lead where the record is outside their groups. Read once per page: one query per related
model, whatever the number of entries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEntry
from tests.conftest import text_of
from tests.factories import DocumentFactory, MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

LIST = "admin:audit_auditentry_changelist"


def _moved(meeting, venue):
    """The meeting moved to `venue`, and its entry."""
    meeting.venue = venue
    meeting.save()
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(meeting), object_pk=str(meeting.pk)
    ).latest("pk")


def test_a_changed_foreign_key_shows_the_record_s_current_name(coordinator_client):
    old, new = VenueFactory(name="Salle des fêtes"), VenueFactory(name="Maison des projets")
    entry = _moved(MeetingFactory(venue=old), new)
    new.name = "Maison des projets rénovée"  # its name today, not the one it had then
    new.save()

    page = text_of(coordinator_client.get(reverse(LIST)))
    assert "Lieu : Salle des fêtes, Carvin → Maison des projets rénovée, Carvin" in page
    detail = text_of(
        coordinator_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    )
    assert (
        "<td>Lieu</td><td>Salle des fêtes, Carvin</td><td>Maison des projets rénovée, Carvin</td>"
        in detail
    )
    export = coordinator_client.get(reverse("admin:audit_auditentry_export")).content.decode()
    assert "Lieu;Salle des fêtes, Carvin;Maison des projets rénovée, Carvin" in export


def test_a_record_since_deleted_is_its_number_said_deleted(coordinator_client):
    old, new = VenueFactory(name="Salle des fêtes"), VenueFactory(name="Maison des projets")
    entry = _moved(MeetingFactory(venue=old), new)
    old_pk = old.pk
    old.delete()

    detail = text_of(
        coordinator_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    )
    assert f"<td>Lieu</td><td>n° {old_pk} (supprimé)</td><td>Maison des projets, Carvin</td>" in (
        detail
    )


def test_a_lead_reads_the_names_of_their_groups_records_only(client, coordinator, two_groups):
    # A document of group A, moved from A's meeting to B's: the entry is A's, B's meeting is not.
    document = DocumentFactory(group=two_groups.group_a, meeting=two_groups.past_a, title="Note")
    document.meeting = two_groups.past_b
    document.save()
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_pk=str(document.pk)
    ).latest("pk")
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    name_a, name_b = str(two_groups.past_a), str(two_groups.past_b)

    client.force_login(two_groups.lead_user_a)
    detail = text_of(client.get(url))
    assert f"<td>Réunion</td><td>{name_a}</td><td>n° {two_groups.past_b.pk}</td>" in detail
    assert two_groups.group_b.name not in detail
    listed = text_of(client.get(reverse(LIST)))
    assert f"Réunion : {name_a} → n° {two_groups.past_b.pk}" in listed

    client.force_login(coordinator)
    detail = text_of(client.get(url))
    assert f"<td>Réunion</td><td>{name_a}</td><td>{name_b}</td>" in detail


@pytest.mark.parametrize(("who", "queries"), [("coordinator", 13), ("lead", 14)])
def test_the_names_cost_one_query_per_related_model_whatever_the_entries(
    who, queries, client, coordinator, two_groups, django_assert_num_queries
):
    """The documents' history, each document moved from a meeting to another: the meetings'
    names are read in one query (their groups joined) whether the page shows 2 entries or 80;
    a lead's check of which are theirs adds one query (the groups they lead)."""
    from groups.models import Document

    client.force_login(coordinator if who == "coordinator" else two_groups.lead_user_a)
    documents = ContentType.objects.get_for_model(Document)
    url = reverse(LIST) + f"?content_type__id__exact={documents.pk}"
    for size in (2, 40):
        for _ in range(size):
            document = DocumentFactory(group=two_groups.group_a, meeting=two_groups.past_a)
            document.meeting = MeetingFactory(group=two_groups.group_a)
            document.save()
        client.get(url)  # warm the session and content types
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert f"Réunion : {two_groups.past_a} → {document.meeting}" in text_of(response)
