"""Every public page and feed costs a fixed number of queries, whatever the size of the
network: measured at two sizes (10 and 500 meetings, 2 and 8 groups, 4 and 60 structures, 2
and 12 events with their programme). The counts are those of a render (the page cache is
empty at the first request of each test), plus the read of the content version; a page
served from the cache, or a 304, costs that read alone."""

import pytest

from ptce.demo.volume import LARGE, PAGES, SMALL, build_network, page_url
from tests.public_site import frozen

EXPECTED = {
    "home": 15,  # identity, active groups, next meeting of each (one window query), events,
    # last year's figures (report.figures: six computed, the declaration, where records begin),
    # the latest articles, the latest newsletter, the next programmed article or newsletter
    "about": 3,  # identity, team, founding structures
    "legal_notice": 1,  # identity
    "agenda": 6,  # identity, group choices, UNION count, UNION page, its meetings, its events
    "agenda_filtered": 6,  # identity, selected group, group choices, count, page, its meetings
    "agenda_archive": 6,  # same as the agenda, on page 2
    # identity, meetings' rows, events' rows, then the meetings and the events whose entries the
    # process does not keep yet (every one on a first render; only the edited ones after a change)
    "calendar_feed": 5,
    "group_list": 4,  # identity, groups, their leads, next meeting of each
    "group_detail": 10,  # identity, group, leads, contacts, projects (+2), meetings (+2), articles
    "group_calendar": 4,  # identity, group, meetings' rows, the meetings not kept yet
    "meeting_detail": 4,  # identity, meeting with group and venue, how many come, public documents
    "meeting_ics": 2,  # identity, meeting with group and venue
    "event_list": 4,  # identity, count, past page, upcoming
    "event_detail": 6,  # identity, event and venue, organisers, sessions, speakers, articles
    "event_ics": 2,  # identity, event
    "event_rss": 2,  # identity, events
    "event_atom": 2,  # identity, events
    "structure_list": 6,  # identity, member year, group choices, count, page, their groups
    "structure_list_filtered": 7,  # structure_list + the selected group
    "structure_detail": 12,  # identity, member year, structure, groups, projects, the next
    # events and the last ones (ptce/directory.py, bounded), and
    # its network (report/network.py): its cooperations' structures (ids), its groups, their
    # structures (ids), the cooperations, the structures
    "article_list": 4,  # identity, count, page (with groups), the next programmed article or issue
    "article_detail": 2,  # identity, article with its links
    "article_rss": 3,  # identity, articles, the next programmed article
    "issue_list": 3,  # identity, the next programmed article or issue, issues
    "issue_detail": 3,  # identity, issue, sections
    "sitemap": 13,  # identity, then a count and a page for each of the six model sitemaps
    "robots_txt": 0,  # nothing
    "theme_css": 2,  # identity, group colours
    "not_found": 1,  # identity
}
# The read of the content version before the cache is looked up (the 404 page is not cached).
VERSION_READ = {name: 0 if name == "not_found" else 1 for name in EXPECTED}
# Stored with holes for its tokens (the guests' form): served for the version read, never a 304.
WITH_A_FORM = {"meeting_detail"}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("name", EXPECTED)
@frozen()
def test_query_count_does_not_grow_with_the_data(
    name, size, db, client, django_assert_num_queries
):
    net = build_network(**size)
    url = page_url(name, net)
    with django_assert_num_queries(EXPECTED[name] + VERSION_READ[name]):
        response = client.get(url)
    assert response.status_code == (404 if name == "not_found" else 200)


@pytest.mark.parametrize(
    "name", [name for name in EXPECTED if VERSION_READ[name] and name not in WITH_A_FORM]
)
@frozen()
def test_a_cached_page_and_a_304_cost_the_version_read_alone(
    name, db, client, django_assert_num_queries
):
    url = page_url(name, build_network(**SMALL))
    rendered = client.get(url)
    with django_assert_num_queries(1):
        cached = client.get(url)
    assert cached.content == rendered.content
    assert cached["Content-Type"] == rendered["Content-Type"]
    with django_assert_num_queries(1):
        not_modified = client.get(url, headers={"If-None-Match": cached["ETag"]})
    assert not_modified.status_code == 304


def test_every_page_of_the_benchmark_has_an_expected_count():
    assert set(EXPECTED) == set(PAGES)


@frozen()
def test_a_page_with_a_form_costs_the_version_read_alone(db, client, django_assert_num_queries):
    url = page_url("meeting_detail", build_network(**SMALL))
    client.get(url)
    with django_assert_num_queries(1):
        cached = client.get(url)
    assert "Last-Modified" not in cached  # its tokens are the visitor's: no 304
