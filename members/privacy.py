"""The privacy notice: its version, and the retention periods it states.

The version is stored with each consent. Change it whenever the text of
`members/templates/members/privacy.html` changes in substance, so that every consent says
which text the person agreed to.
"""

from dataclasses import dataclass

from django.conf import settings

PRIVACY_NOTICE_VERSION = "2026-12"


@dataclass(frozen=True)
class RetentionPeriods:
    declined_months: int
    unhandled_months: int
    former_member_years: int


def retention_periods() -> RetentionPeriods:
    """The periods in force, read from the settings (so the page says what the command does)."""
    return RetentionPeriods(
        declined_months=settings.RETENTION_DECLINED_MONTHS,
        unhandled_months=settings.RETENTION_UNHANDLED_MONTHS,
        former_member_years=settings.RETENTION_FORMER_MEMBER_YEARS,
    )
