"""The member file in the back-office, one module per area."""

from members.admin import directory, memberships  # noqa: F401
