"""Composing a newsletter from the records: for the period since the previous issue, the
published articles, each group's news (progress of its projects, meetings held, next dates),
the past and coming events, the year's figures from the report and the new member
structures (a first membership this year, founders aside; the directory already names every
structure publicly).

The proposal is a list of ordinary sections (Markdown): the coordinator keeps, reorders, edits
and adds to them in the admin. Composing again refreshes the proposed sections the coordinator
left untouched (at the place they gave them) and adds what is new; a proposed section they
edited stays as they wrote it, without a second one on the same subject; the sections written
by hand stay. « Edited » is read from the text itself: each proposed section keeps the
fingerprint of what the composer wrote (`Section.is_edited`), nothing to tick."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from association import formats
from events.models import Event
from groups.models import Meeting, ProjectUpdate, WorkingGroup
from members.models import Structure
from news.models import Article, Issue, Section
from report.figures import latest_complete_figures

NEXT_DATES = 3


def previous_issue(issue: Issue) -> Issue | None:
    """The last issue published before this one that reached all its readers: a public one,
    or one reserved to (at least) the same groups. A letter reserved to one group does not end
    the period of the next public letter: the others never read it."""
    groups = set(issue.audience_groups.values_list("pk", flat=True)) if issue.pk else set()
    earlier = (
        Issue.objects.published()
        .filter(number__lt=issue.number)
        .order_by("-number")
        .prefetch_related("audience_groups")
    )
    for candidate in earlier:
        reached = {group.pk for group in candidate.audience_groups.all()}
        if not reached or (groups and groups <= reached):
            return candidate
    return None


def period_start_moment(issue: Issue) -> datetime.datetime:
    """The issue's own start (at midnight), else the moment the previous issue its readers
    received was published (what was published earlier that day was in it), else a year
    before today."""
    if not issue.period_start:
        previous = previous_issue(issue)
        if previous is not None:
            return previous.published_at
    start = issue.period_start or timezone.localdate() - datetime.timedelta(days=365)
    return datetime.datetime.combine(
        start, datetime.time(), tzinfo=timezone.get_current_timezone()
    )


def proposed_sections(issue: Issue, *, today: datetime.date | None = None) -> list[Section]:
    """The sections the records give for the issue's period, in the order of the seed: the
    articles, the events, each group's news, the figures, the new members."""
    today = today or timezone.localdate()
    start_moment = period_start_moment(issue)
    start = timezone.localdate(start_moment)
    sections: list[Section] = []
    # The articles since the previous issue's very moment: one published earlier that day was
    # in it. The dated records (events, meetings) from that day on.
    for article in Article.objects.published().since(start_moment).order_by("published_at"):
        sections.append(
            Section(
                kind=Section.Kind.ARTICLE,
                proposal=f"article:{article.pk}",
                title=article.title,
                body=article.summary,
                link=article.get_absolute_url(),
            )
        )
    if events := _events_text(start, today):
        sections.append(
            Section(
                kind=Section.Kind.EVENTS, proposal="events", title="Les événements", body=events
            )
        )
    for group in WorkingGroup.objects.active().order_by("order", "pk"):
        if text := _group_text(group, start, today):
            sections.append(
                Section(
                    kind=Section.Kind.GROUP,
                    proposal=f"group:{group.pk}",
                    title=group.name,
                    body=text,
                    link=group.get_absolute_url(),
                )
            )
    figures = latest_complete_figures(today)
    # Only what the report shows as a figure: « non renseigné » is no zero to mail.
    lines = [
        f"- {'au moins ' if value.is_partial else ''}"
        f"**{formats.number(value.shown, value.figure.decimals)}** {value.label}"
        for value in (figures.main_shown if figures else [])
        if value.is_known
    ]
    if lines:
        sections.append(
            Section(
                kind=Section.Kind.FIGURES,
                proposal="figures",
                title=f"L'année {figures.year} en chiffres",
                body="\n".join(lines),
                link=reverse("report:report_year", kwargs={"year": figures.year}),
            )
        )
    newcomers = list(
        Structure.objects.members(today.year)
        .filter(is_founding_member=False)
        .exclude(memberships__year__lt=today.year, memberships__status="active")
        .order_by("name")
    )
    if newcomers:
        sections.append(
            Section(
                kind=Section.Kind.MEMBERS,
                proposal="members",
                title="Bienvenue aux nouveaux membres",
                body="\n".join(f"- {structure.display_name}" for structure in newcomers),
            )
        )
    for order, section in enumerate(sections, start=1):
        section.order = order * 10
        section.proposed_digest = section.text_digest()
    return sections


def _events_text(start: datetime.date, today: datetime.date) -> str:
    events = Event.objects.published().filter(date__gte=start).order_by("date", "pk")
    past = [e for e in events if e.date < today]
    coming = [e for e in events if e.date >= today]
    lines = []
    if past:
        lines.append("**Ils ont eu lieu**\n")
        lines += [f"- {formats.long_date(e.date).capitalize()}\u00a0: {e.title}" for e in past]
    if coming:
        lines.append("\n**À venir**\n")
        lines += [f"- {formats.long_date(e.date).capitalize()}\u00a0: {e.title}" for e in coming]
    return "\n".join(lines).strip()


def _group_text(group: WorkingGroup, start: datetime.date, today: datetime.date) -> str:
    """A group's news: its projects' progress notes, the meetings held, the next dates."""
    parts = []
    updates = (
        ProjectUpdate.objects.filter(project__group=group, project__is_published=True)
        .filter(date__gte=start)
        .select_related("project")
        .order_by("project__name", "date", "pk")
    )
    by_project: dict[str, list[str]] = {}
    for update in updates:
        by_project.setdefault(update.project.name, []).append(
            _after_a_colon(update.text.strip().rstrip("."))
        )
    for name, texts in by_project.items():
        parts.append(f"- **{name}**\u00a0: {'\u00a0; '.join(texts)}.")
    held = Meeting.objects.for_group(group).held(today).filter(date__gte=start).count()
    if held:
        parts.append(
            f"\n{held} réunion{'s' if held > 1 else ''} du groupe depuis le "
            f"{formats.day_month_year(start)}."
        )
    coming = list(
        Meeting.objects.for_group(group)
        .upcoming(today)
        .not_cancelled()
        .select_related("venue")
        .chronological()[:NEXT_DATES]
    )
    if coming:
        # As the seed gives them: the day, the hour and the place.
        parts.append("\nProchains rendez-vous\u00a0:\n")
        parts += [f"- {_meeting_text(meeting)}" for meeting in coming]
    return "\n".join(parts).strip()


def _meeting_text(meeting: Meeting) -> str:
    text = formats.when(meeting.date, meeting.start_time, meeting.end_time)
    if meeting.venue is not None:
        text += f", {meeting.venue.name} ({meeting.venue.town})"
    return text


def _after_a_colon(text: str) -> str:
    """A sentence put after « : » or « ; » starts in lower case in French, an acronym
    (« CAHC ») aside."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass
class Composition:
    proposed: int  # sections written from the records now
    kept: list[str]  # the titles of the proposed sections kept as the coordinator edited them


@transaction.atomic
def compose_issue(*, issue: Issue, today: datetime.date | None = None) -> Composition:
    """Write the sections the records give now in place of the proposed ones left untouched
    (each at the order it had); keep the proposed ones the coordinator edited, and no second
    section on their subject, and the sections written by hand."""
    earlier = list(issue.sections.exclude(proposal="").order_by("order", "pk"))
    edited = {section.proposal: section for section in earlier if section.is_edited}
    untouched = {s.proposal: s for s in earlier if s.proposal not in edited}
    issue.sections.filter(pk__in=[s.pk for s in untouched.values()]).delete()
    sections = [s for s in proposed_sections(issue, today=today) if s.proposal not in edited]
    for section in sections:
        section.issue = issue
        if (previous := untouched.get(section.proposal)) is not None:
            section.order = previous.order
    Section.objects.bulk_create(sections)
    return Composition(proposed=len(sections), kept=[section.title for section in edited.values()])
