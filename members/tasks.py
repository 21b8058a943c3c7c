"""Background tasks of the member file, run by the worker (`manage.py db_worker`)."""

from django.tasks import task

from members.services import deliver_outgoing_mail, enqueue_outgoing_mail


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one outgoing mail; on failure, enqueue itself again after a growing delay."""
    outcome = deliver_outgoing_mail(mail_id=mail_id)
    if outcome.retry_at is not None:
        enqueue_outgoing_mail(mail_id=mail_id, run_after=outcome.retry_at)
    return outcome.status
