"""Retention: the periods of the privacy notice, applied daily (`manage.py apply_retention`).

The member file erases the contact details of inactive people. An app above it adds its own
rules (`register_retention_rule`: a join request declined long ago is deleted) and says what
counts as activity, or keeps a person's details, through its `PersonalDataSource`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from association.content import bump_content_version
from audit.registry import update_logged
from audit.services import scrub_fields
from members.models import Person
from members.privacy import RetentionPeriods, retention_periods
from members.services.personal_data import (
    personal_data_sources,
    scrub_admin_mentions,
    scrub_trail_mentions,
)

# A rule deletes what its period has run out for, and says what and how many: French label ->
# count. Called with the periods in force and the current time, inside the job's transaction.
RetentionRule = Callable[[RetentionPeriods, datetime.datetime], dict[str, int]]
_rules: list[RetentionRule] = []

PEOPLE_ANONYMISED = "Personnes inactives dont l'e-mail et le téléphone ont été effacés"


def register_retention_rule(rule: RetentionRule) -> None:
    if rule not in _rules:
        _rules.append(rule)


@dataclass
class RetentionReport:
    """What the job did: French label -> how many."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def people_anonymised(self) -> int:
        return self.counts.get(PEOPLE_ANONYMISED, 0)


def _last_year_ended_before(moment: datetime.datetime) -> int:
    """The latest year whose end (1 January of the next one, local time) is before `moment`."""
    year = timezone.localtime(moment).year
    zone = timezone.get_current_timezone()
    while datetime.datetime(year + 1, 1, 1, tzinfo=zone) >= moment:
        year -= 1
    return year


def inactive_people(*, since: datetime.datetime) -> models.QuerySet:
    """People whose last activity with the association is older than `since`, and who hold
    no role that needs their contact details.

    Their last activity is the later of:
    - the end of their last membership year, or of their structure's (the contact person of
      a member structure is active while the structure adheres);
    - the latest activity each registered source records (a join request accepted…);
    and, for someone with none of these (a contact entered by hand), the last change to their
    record.

    Never inactive, whatever the dates: the association's team (`team_role`), people who
    agreed to have their contact details published, and those a source keeps (the leads of
    an active working group…)."""
    last_year = _last_year_ended_before(since)
    sources = personal_data_sources()
    activities = {
        f"_activity_{index}": source.last_activity()
        for index, source in enumerate(sources)
        if source.last_activity
    }
    people = Person.objects.filter(team_role="", show_contact_publicly=False)
    for source in sources:
        if source.keep:
            people = people.exclude(source.keep())
    people = people.annotate(
        own_last_year=Max("memberships__year"),
        structure_last_year=Max("structure__memberships__year"),
        **activities,
    ).filter(
        Q(own_last_year__isnull=True) | Q(own_last_year__lte=last_year),
        Q(structure_last_year__isnull=True) | Q(structure_last_year__lte=last_year),
        *(Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lt": since}) for name in activities),
    )
    return people.exclude(
        own_last_year__isnull=True,
        structure_last_year__isnull=True,
        updated_at__gte=since,
        **{f"{name}__isnull": True for name in activities},
    )


def apply_retention() -> RetentionReport:
    """Apply the retention periods of the privacy notice. Idempotent: safe to run daily.

    - the registered rules first (join requests declined or left unanswered too long…);
    - people inactive for `RETENTION_FORMER_MEMBER_YEARS` years (see `inactive_people`):
      e-mail and phone erased, the records of the sources that ask for it deleted or
      scrubbed (the accepted requests that copied them, the groups' contact lines), and their
      e-mail taken out of the admin's history.
    """
    periods = retention_periods()
    now = timezone.now()
    report = RetentionReport()
    with transaction.atomic():
        for rule in _rules:
            report.counts.update(rule(periods, now))
        inactive_ids = list(
            inactive_people(since=now - relativedelta(years=periods.former_member_years))
            .exclude(email="", phone="")
            .values_list("pk", flat=True)
        )
        inactive = Person.objects.filter(pk__in=inactive_ids)
        for person in inactive:
            for source in personal_data_sources():
                if source.forget_when_inactive:
                    source.forget_for(person)
        # The same addresses typed elsewhere: the admin's history of any object (read once for
        # all of them, see `scrub_admin_mentions`).
        emails = [person.email for person in inactive]
        scrub_admin_mentions(mentions=emails, replacement="adresse effacée")
        # The audit trail: their past addresses and phones, wherever they appear.
        scrub_fields(model=Person, pks=inactive_ids, fields=("email", "phone"))
        scrub_trail_mentions(mentions=emails, replacement="adresse effacée")
        if update_logged(
            inactive,
            hide_before=True,
            email="",
            phone="",
            show_contact_publicly=False,
            updated_at=now,
        ):
            # No signal for an update: the public contacts just hidden must leave the cache.
            bump_content_version()
    report.counts[PEOPLE_ANONYMISED] = len(inactive_ids)
    return report
