"""A network of any size, for the benchmark (`make bench`) and the query-count tests: every
public page must cost the same number of queries whatever the size. Written to the current
database; dates are relative to `TODAY`, so run it with the clock stopped there."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from association.content import bump_content_version
from association.models import SiteIdentity, Venue
from events.models import Event, Session, SessionSpeaker
from groups.models import GroupContact, GroupLead, Meeting, Project, ProjectUpdate, WorkingGroup
from members.models import Membership, Person, Structure
from news.models import Article, Issue, Section
from report.models import Cooperation, YearlyFigures

# Between the newsletter's summer and its autumn meetings.
TODAY = datetime.date(2025, 9, 1)
ACCENTS = ("#1f5f8b", "#2e6b30", "#7a2e7a", "#8a4b00", "#5b3a8c", "#00607a", "#8c1d40", "#3d5a00")


@dataclass
class Network:
    group: WorkingGroup
    meeting: Meeting
    event: Event
    structure: Structure
    article: Article
    issue: Issue


def build_network(
    *,
    meetings: int,
    groups: int,
    structures: int,
    events: int,
    people: int = 0,
    today: datetime.date = TODAY,
) -> Network:
    """A network with `meetings` meetings (on both sides of today) spread over `groups`
    groups, each group with two leads, contacts and projects with progress notes; `structures`
    structures (a third of them members, half as many cooperations between them), `people`
    people (at least two per group), `events` published events with a programme of speakers.
    Written in bulk, so the benchmark's 100x network takes seconds; the content version is
    raised once at the end, as `bulk_create` sends no signal."""
    # With a website, as a real instance: the calendars' UID domain is fixed from it.
    SiteIdentity.objects.update_or_create(
        pk=1,
        defaults={
            "name": "PTCE de démonstration",
            "short_name": "PTCE",
            "email": "contact@ptce.example",
            "website": "https://portail.example.org/",
        },
    )
    YearlyFigures.objects.create(year=2024, meetings=34, beneficiaries=1932)
    venues = Venue.objects.bulk_create(
        Venue(name=f"Salle {i}", address=f"{i} rue des Lilas", town="Carvin") for i in range(3)
    )
    all_structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {i:04d}",
            slug=f"structure-{i:04d}",
            town="Carvin",
            kind=(Structure.Kind.ASSOCIATION, Structure.Kind.COMPANY)[i % 2],
        )
        for i in range(structures)
    )
    Membership.objects.bulk_create(
        Membership(structure=s, year=today.year, status=Membership.Status.ACTIVE)
        for s in all_structures[::3]
    )
    all_people = Person.objects.bulk_create(
        Person(
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
            email=f"p{i}@example.org",
            phone="0321207944",
            structure=all_structures[i % structures],
            show_contact_publicly=i % 2 == 0,
            team_role=Person.TeamRole.CONSULTANT if i < 3 else "",
        )
        for i in range(max(6, 2 * groups, people))
    )
    all_groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            name=f"Groupe {i}",
            slug="mobilite" if i == 0 else f"groupe-{i}",
            order=i,
            accent_color=ACCENTS[i % len(ACCENTS)],
            short_description=f"Le groupe {i}.",
        )
        for i in range(groups)
    )
    leads, contacts, participants, projects = [], [], [], []
    for index, group in enumerate(all_groups):
        for rank in range(2):
            person = all_people[(2 * index + rank) % len(all_people)]
            leads.append(
                GroupLead(group=group, person=person, structure=person.structure, order=rank)
            )
        contacts.append(GroupContact(group=group, label="Accueil", phone="0321207944"))
        participants += [
            WorkingGroup.participant_structures.through(workinggroup=group, structure=structure)
            for structure in all_structures[index::groups]
        ]
        projects += [
            Project(name=f"Projet {index}-{p}", slug=f"projet-{index}-{p}", group=group)
            for p in range(2)
        ]
    GroupLead.objects.bulk_create(leads)
    GroupContact.objects.bulk_create(contacts)
    WorkingGroup.participant_structures.through.objects.bulk_create(participants)
    projects = Project.objects.bulk_create(projects)
    Project.structures.through.objects.bulk_create(
        Project.structures.through(
            project=project, structure=all_structures[(index // 2 + index % 2) % structures]
        )
        for index, project in enumerate(projects)
    )
    ProjectUpdate.objects.bulk_create(
        ProjectUpdate(project=project, date=datetime.date(2025, m, 1), text=f"Étape {m}")
        for project in projects
        for m in (1, 4, 7)
    )
    Meeting.objects.bulk_create(
        (
            Meeting(
                group=all_groups[i % groups],
                # Every group has meetings on both sides of today.
                date=today
                + datetime.timedelta(days=(i // 2 + 1) * (1 if (i // groups) % 2 else -1)),
                start_time=datetime.time(14) if i % 5 else None,
                venue=venues[i % len(venues)],
                is_cancelled=i % 7 == 0,
                # The past ones that were not cancelled were held: the figures count them.
                status=(
                    Meeting.Status.HELD
                    if (i // groups) % 2 == 0 and i % 7
                    else Meeting.Status.PLANNED
                ),
                is_sample=i % 11 == 0,
                minutes="Compte rendu.",
                minutes_visibility="public",
            )
            for i in range(meetings)
        ),
        batch_size=1000,
    )
    all_events = Event.objects.bulk_create(
        Event(
            title=f"Événement {i}",
            slug="seminaire" if i == 0 else f"evenement-{i}",
            date=today + datetime.timedelta(days=30 * (i - events // 2)),
            venue=venues[i % len(venues)],
            is_published=True,
        )
        for i in range(events)
    )
    Event.organisers.through.objects.bulk_create(
        Event.organisers.through(event=event, structure=structure)
        for i, event in enumerate(all_events)
        for structure in all_structures[i % structures : i % structures + 3]
    )
    per_event = max(2, min(6, events // 2))
    sessions = Session.objects.bulk_create(
        Session(
            event=event,
            order=s,
            part_of_day=(Session.PartOfDay.MORNING, Session.PartOfDay.AFTERNOON)[s % 2],
            title=f"Séquence {s}",
            facilitator=all_structures[s % structures],
        )
        for event in all_events
        for s in range(per_event)
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(
            session=session,
            person=all_people[(session.order + k) % len(all_people)],
            structure=all_structures[k % structures],
            role="intervenant",
        )
        for session in sessions
        for k in range(2)
    )
    # Half as many cooperations as structures, of two or three structures each, going on
    # today: what the network page and a structure's page draw.
    cooperations = Cooperation.objects.bulk_create(
        Cooperation(
            title=f"Coopération {i}",
            since=today - datetime.timedelta(days=400),
            group=all_groups[i % groups],
        )
        for i in range(max(2, structures // 2))
    )
    Cooperation.structures.through.objects.bulk_create(
        Cooperation.structures.through(cooperation=cooperation, structure=all_structures[pk])
        for i, cooperation in enumerate(cooperations)
        for pk in sorted({(i * 7 + k * 3) % structures for k in range(2 + i % 2)})
    )
    # Two articles per event, linked to a group and to the event; a newsletter with a section
    # per group.
    published = timezone.now() - datetime.timedelta(days=1)
    articles = Article.objects.bulk_create(
        Article(
            title=f"Actualité {i}",
            slug=f"actualite-{i}",
            summary=f"Résumé de l'actualité {i}.",
            body=f"Texte de l'actualité **{i}**.",
            status=Article.Status.PUBLISHED,
            published_at=published - datetime.timedelta(days=i),
            group=all_groups[i % groups],
            event=all_events[i % events],
        )
        for i in range(2 * events)
    )
    issue = Issue.objects.create(number=1, title="Lettre d'information", published_at=published)
    Section.objects.bulk_create(
        Section(issue=issue, order=i, kind=Section.Kind.GROUP, title=g.name, body="Nouvelles.")
        for i, g in enumerate(all_groups)
    )
    bump_content_version()
    group = all_groups[0]
    return Network(
        article=articles[0],
        issue=issue,
        group=group,
        meeting=Meeting.objects.filter(group=group).order_by("date").last(),
        event=all_events[0],
        structure=all_structures[0],
    )


SMALL = {"meetings": 10, "groups": 2, "structures": 4, "events": 2}
LARGE = {"meetings": 500, "groups": 8, "structures": 60, "events": 12}
# The benchmark's scales: 100x is the issue's « 10 000 people, 1 000 structures, 5 000
# meetings, 500 events ». Groups grow slower: a territory has a handful of working groups,
# and the home page lists every active one.
SCALES = {
    1: {"meetings": 50, "groups": 4, "structures": 10, "events": 5, "people": 100},
    10: {"meetings": 500, "groups": 8, "structures": 100, "events": 50, "people": 1000},
    100: {"meetings": 5000, "groups": 16, "structures": 1000, "events": 500, "people": 10000},
}


# Every public page and feed, by name (see `page_url`).
PAGES = (
    "home",
    "about",
    "legal_notice",
    "agenda",
    "agenda_filtered",
    "agenda_archive",
    "calendar_feed",
    "group_list",
    "group_detail",
    "group_calendar",
    "meeting_detail",
    "meeting_ics",
    "event_list",
    "event_detail",
    "event_ics",
    "event_rss",
    "event_atom",
    "structure_list",
    "structure_list_filtered",
    "structure_detail",
    "article_list",
    "article_detail",
    "article_rss",
    "issue_list",
    "issue_detail",
    "sitemap",
    "robots_txt",
    "theme_css",
    "not_found",
)


def _second_page_if_any() -> str:
    from ptce.agenda import agenda_page

    return "?page=2" if agenda_page(past=True).paginator.num_pages > 1 else ""


def page_url(name: str, net: Network) -> str:
    """The address of the page `name` of `PAGES`, on the network `net`."""
    group, meeting, event, structure = net.group, net.meeting, net.event, net.structure
    return {
        "home": lambda: reverse("site:home"),
        "about": lambda: reverse("site:about"),
        "legal_notice": lambda: reverse("site:legal_notice"),
        "agenda": lambda: reverse("site:agenda"),
        "agenda_filtered": lambda: reverse("site:agenda") + f"?groupe={group.slug}&type=reunions",
        # Its second page where there is one: a page past the last is not stored.
        "agenda_archive": lambda: reverse("site:agenda_archive") + _second_page_if_any(),
        "calendar_feed": lambda: reverse("site:calendar_feed"),
        "group_list": lambda: reverse("groups:group_list"),
        "group_detail": group.get_absolute_url,
        "group_calendar": lambda: reverse("groups:group_calendar", kwargs={"slug": group.slug}),
        "meeting_detail": meeting.get_absolute_url,
        "meeting_ics": lambda: reverse(
            "groups:meeting_ics", kwargs={"slug": group.slug, "pk": meeting.pk}
        ),
        "event_list": lambda: reverse("events:event_list"),
        "event_detail": event.get_absolute_url,
        "event_ics": lambda: reverse("events:event_ics", kwargs={"slug": event.slug}),
        "event_rss": lambda: reverse("events:event_rss"),
        "event_atom": lambda: reverse("events:event_atom"),
        "structure_list": lambda: reverse("site:structure_list"),
        "structure_list_filtered": lambda: (
            reverse("site:structure_list") + f"?groupe={group.slug}&membres=on&type=association"
        ),
        "structure_detail": structure.get_absolute_url,
        "article_list": lambda: reverse("news:article_list"),
        "article_detail": net.article.get_absolute_url,
        "article_rss": lambda: reverse("news:article_rss"),
        "issue_list": lambda: reverse("news:issue_list"),
        "issue_detail": net.issue.get_absolute_url,
        "sitemap": lambda: reverse("site:sitemap"),
        "robots_txt": lambda: reverse("site:robots_txt"),
        "theme_css": lambda: reverse("site:theme_css"),
        "not_found": lambda: "/cette-page-n-existe-pas/",
    }[name]()
