"""The yearly report's declared figures in the trail: not only the year's totals but what the
association declares per project (beneficiaries, hours of jobs, its counts), its staff
positions and its cooperations, which the report sums for the funders."""

import pytest

from audit.models import AuditEntry
from tests.audit.test_trail import entries_of
from tests.factories import (
    ActivityCountFactory,
    ActivityReportFactory,
    CooperationFactory,
    StaffContractFactory,
    StructureFactory,
)


@pytest.mark.django_db
def test_each_declared_figure_of_the_report_is_recorded_before_and_after():
    report = ActivityReportFactory(beneficiaries=40)
    report.beneficiaries = 400
    report.save()
    count = ActivityCountFactory(report=report)
    staff = StaffContractFactory()
    cooperation = CooperationFactory(structures=[StructureFactory(), StructureFactory()])

    assert entries_of(report)[-1].changes["beneficiaries"] == ["40", "400"]
    for record in (count, staff, cooperation):
        assert entries_of(record)[0].action == AuditEntry.Action.CREATE
    assert any("structures" in entry.changes for entry in entries_of(cooperation))
