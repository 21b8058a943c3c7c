"""The working groups in the back-office, one module per area."""

from groups.admin import groups, meetings, projects, series  # noqa: F401
