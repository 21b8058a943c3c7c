"""The demo's news: the seminar's article and the summer-2025 newsletter as issue n° 1,
composed from the demo records by the same service the coordinator uses
(`news.services.composing`), so that its page reads like the seed."""

import datetime

from django.utils import timezone

from association.formats import typography
from events.models import Event
from groups.models import WorkingGroup
from news.models import Article, Issue, Section
from news.services.composing import compose_issue


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())


def load_articles(data, tally) -> None:
    for values in data.ARTICLES:
        if Article.objects.filter(slug=values["slug"]).exists():
            tally.existing += 1
            continue
        event = Event.objects.get(slug=values["event"])
        Article.objects.create(
            slug=values["slug"],
            title=values["title"],
            summary=event.summary,
            body=event.body,
            event=event,
            status=Article.Status.PUBLISHED,
            published_at=_moment(values["published_on"]),
        )
        tally.created += 1


def load_issue(data, tally) -> None:
    values = data.ISSUE
    if Issue.objects.filter(number=values["number"]).exists():
        tally.existing += 1
        return
    published_on = values["published_on"]
    issue = Issue.objects.create(
        number=values["number"],
        title=values["title"],
        period_start=values["period_start"],
    )
    compose_issue(issue=issue, today=published_on)
    for group in WorkingGroup.objects.filter(slug__in=values["groups_told_by_description"]):
        section = issue.sections.filter(kind=Section.Kind.GROUP, title=group.name).first()
        if section is not None:
            section.body = f"{group.description}\n\n{section.body}"
            section.save(update_fields=["body"])
    for free in values["free_sections"]:
        last = issue.sections.filter(kind=free["after"]).order_by("-order").first()
        Section.objects.create(
            issue=issue,
            kind=Section.Kind.FREE,
            order=(last.order if last else 0) + 5,
            title=typography(free["title"]),
            body=typography(free["body"]),
        )
    issue.published_at = _moment(published_on)
    # Sent long ago by other means: the demo never mails it.
    issue.status = Issue.Status.SENT
    issue.save(update_fields=["published_at", "status"])
    tally.created += 1
