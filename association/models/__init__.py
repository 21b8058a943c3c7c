"""Site-wide records: the login account, the association's identity, the venues shared by
meetings and events, what meetings and events have in common, and the version of the public
content."""

from association.models.content_version import ContentVersion
from association.models.identity import (
    LegalStatus,
    LegalStatusQuerySet,
    SiteIdentity,
    User,
    logo_upload_to,
)
from association.models.scheduled import (
    CALENDAR_FEED_WINDOW,
    CHRONOLOGICAL,
    REVERSE_CHRONOLOGICAL,
    Scheduled,
    ScheduledQuerySet,
    Venue,
    cancelled_field,
    over_condition,
)

__all__ = [
    "CALENDAR_FEED_WINDOW",
    "CHRONOLOGICAL",
    "REVERSE_CHRONOLOGICAL",
    "ContentVersion",
    "LegalStatus",
    "LegalStatusQuerySet",
    "Scheduled",
    "ScheduledQuerySet",
    "SiteIdentity",
    "User",
    "Venue",
    "cancelled_field",
    "logo_upload_to",
    "over_condition",
]
