"""The member file in the back-office, one module per area."""

from members.admin import directory, join_requests, memberships  # noqa: F401
