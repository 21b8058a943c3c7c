"""The working groups in the back-office, one module per area."""

from groups.admin import documents, groups, leads, meetings, people, projects, series  # noqa: F401
