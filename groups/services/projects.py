"""A project's saving, with the history of its status that the yearly report reads."""

import datetime

from django.db import transaction
from django.utils import timezone

from groups.models import Project, ProjectStatusChange


@transaction.atomic
def save_project(*, project: Project, today: datetime.date | None = None) -> Project:
    """Save `project` and keep its status history in step with its status: a new line dated
    `today` when the status changed (or the project is new), the day's line corrected when it
    changes twice in a day. Every change of a project's status goes through here (the admin's
    form, the demo), so the history never misses one."""
    project.save()
    today = today or timezone.localdate()
    latest = project.status_changes.order_by("-since", "-pk").first()
    if latest is not None and latest.status == project.status:
        return project
    if latest is not None and latest.since >= today:
        latest.status = project.status
        latest.save(update_fields=["status"])
    else:
        ProjectStatusChange.objects.create(project=project, status=project.status, since=today)
    return project
