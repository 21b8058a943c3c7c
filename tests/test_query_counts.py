"""Every public page and feed costs a fixed number of queries, whatever the size of the
network: measured at two sizes (10 and 500 meetings, 2 and 8 groups, 4 and 60 structures, 2
and 12 events with their programme)."""

import pytest

from ptce.demo.volume import LARGE, PAGES, SMALL, build_network, page_url
from tests.public_site import frozen

EXPECTED = {
    "home": 12,  # identity, active groups, next meeting of each (one window query), events,
    # last year's figures (report.figures: six computed, the declaration, where records begin)
    "about": 3,  # identity, team, founding structures
    "legal_notice": 1,  # identity
    "agenda": 6,  # identity, group choices, UNION count, UNION page, its meetings, its events
    "agenda_filtered": 6,  # identity, selected group, group choices, count, page, its meetings
    "agenda_archive": 6,  # same as the agenda, on page 2
    "calendar_feed": 3,  # identity, meetings, events
    "group_list": 4,  # identity, groups, their leads, next meeting of each
    "group_detail": 9,  # identity, group, leads, contacts, projects (+2), meetings (+2)
    "group_calendar": 3,  # identity, group, meetings
    "meeting_detail": 4,  # identity, meeting with group and venue, how many come, public documents
    "meeting_ics": 2,  # identity, meeting with group and venue
    "event_list": 4,  # identity, count, past page, upcoming
    "event_detail": 5,  # identity, event and venue, organisers, sessions, speakers
    "event_ics": 2,  # identity, event
    "event_rss": 2,  # identity, events
    "event_atom": 2,  # identity, events
    "structure_list": 6,  # identity, member year, group choices, count, page, their groups
    "structure_list_filtered": 7,  # structure_list + the selected group
    "structure_detail": 6,  # identity, member year, structure, groups, projects, events
    "sitemap": 9,  # identity, then a count and a page for each of the four model sitemaps
    "robots_txt": 0,  # nothing
    "theme_css": 2,  # identity, group colours
    "not_found": 1,  # identity
}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("name", EXPECTED)
@frozen()
def test_query_count_does_not_grow_with_the_data(
    name, size, db, client, django_assert_num_queries
):
    net = build_network(**size)
    url = page_url(name, net)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url)
    assert response.status_code == (404 if name == "not_found" else 200)


def test_every_page_of_the_benchmark_has_an_expected_count():
    assert set(EXPECTED) == set(PAGES)
