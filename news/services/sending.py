"""Sending an issue through the outbox: one mail per subscriber, never twice, throttled,
resumable where it stopped.

- Never twice: a subscriber's mail is written with its `Delivery` row in one transaction, and
  `Delivery` is unique per issue and subscriber (a database constraint). Each mail is then
  sent by the outbox's `deliver_outgoing_mail`, which claims it first (one conditional UPDATE):
  a mail marked sent is never sent again.
- Resumable: what is left is always read from the database (the subscribers without a
  delivery, the mails still pending), so a sender restarted after a crash or a deploy goes on
  from the exact recipient where it stopped. A sender stopped by SIGTERM (a deploy) finishes
  the mail in hand first; one killed outright (SIGKILL, a crash) may leave the one mail it was
  sending claimed without an outcome: the outbox sends it again once the claim is stale
  (`OUTGOING_MAIL_CLAIM_TIMEOUT`), since it cannot know whether the server took it.
- Throttled: at most NEWSLETTER_MAILS_PER_MINUTE a minute, since small providers refuse bursts.
- One sender per issue: a lease on the issue (`sender_heartbeat`, renewed as it goes).
"""

import datetime
import logging
import signal
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from association.identity import get_site_identity, site_url
from association.signed_links import sign_ids, unsign_ids
from audit.registry import update_logged
from members.models import Person
from news.models import Delivery, Issue, NewsMailKind, Subscriber
from news.services.subscriptions import address_unsubscribe_url, mark_bounced, unsubscribe_url
from outbox.models import OutgoingMail, outgoing_mail_claim_timeout
from outbox.services import deliver_outgoing_mail, enqueue_outgoing_mail, queue_mails

logger = logging.getLogger(__name__)

BATCH = 200
# How the outbox describes a recipient the server refused (outbox.services.describe_mail_error).
REFUSED = "Adresse refusée"
# Where each subscriber's own unsubscribe link goes in the issue rendered once.
UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/mark"
# Where each subscriber's own « voir dans le navigateur » link goes in a reserved issue.
READ_MARK = "https://read.invalid/mark"
READ_SALT = "news.issue.read"


def recipients(issue: Issue) -> models.QuerySet:
    """The subscribers the issue goes to: every confirmed one, or, for an issue reserved to
    some groups, those taking part in them (themselves or through their structure) or
    following them."""
    subscribers = Subscriber.objects.mailable()
    groups = issue.audience_groups.all()
    if issue.audience_groups.exists():
        # Subscribed from the public form, a participant is known by their address alone.
        participants = (
            Person.objects.filter(
                Q(working_groups__in=groups) | Q(structure__working_groups__in=groups)
            )
            .exclude(email="")
            .annotate(address=Lower("email"))
            .values("address")
        )
        inner = (
            Subscriber.objects.annotate(address=Lower("email"))
            .filter(
                Q(groups__in=groups)
                | Q(person__working_groups__in=groups)
                | Q(person__structure__working_groups__in=groups)
                | Q(address__in=participants)
            )
            .values("pk")
        )
        subscribers = subscribers.filter(pk__in=inner)
    return subscribers


def read_url(*, issue_id: int, number: int, subscriber: Subscriber) -> str:
    """The « voir dans le navigateur » link of a reserved issue, for one recipient: the issue
    is in no public list, and its page opens to this signed link (or to the coordination)."""
    token = sign_ids(issue_id, subscriber.pk, salt=READ_SALT)
    return site_url() + reverse("news:issue_read", kwargs={"number": number, "token": token})


def issue_of_read_token(
    token: str, *, number: int, issues: models.QuerySet | None = None
) -> Issue | None:
    """The published issue n° `number` (among `issues`) if `token` is a link made for it and a
    subscriber still on file (erased, their link no longer opens); None otherwise."""
    ids = unsign_ids(token, salt=READ_SALT, count=2)
    if ids is None or not Subscriber.objects.filter(pk=ids[1]).exists():
        return None
    issues = Issue.objects.published() if issues is None else issues.published()
    return issues.filter(pk=ids[0], number=number).first()


def render_issue_mail(issue: Issue) -> dict:
    """The issue's subject, HTML and plain text, rendered once; each mail replaces
    `UNSUBSCRIBE_MARK` with its subscriber's own link, and for a reserved issue `READ_MARK`
    with their own link to its page."""
    reserved = issue.audience_groups.exists()
    context = {
        "issue": issue,
        "sections": list(issue.sections.all()),
        "site": get_site_identity(),
        "site_url": site_url(),
        "web_url": READ_MARK if reserved else site_url() + issue.get_absolute_url(),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }
    body_html = render_to_string("news/emails/issue.html", context)
    # A mail has no address of its own: every link and image by absolute URL.
    for attribute in ("href", "src"):
        body_html = body_html.replace(f'{attribute}="/', f'{attribute}="{site_url()}/')
    return {
        "subject": f"{issue.title} — n°\u00a0{issue.number}",
        "body_html": body_html,
        "body_text": render_to_string("news/emails/issue.txt", context),
        "issue_id": issue.pk,
        "number": issue.number,
        "reserved": reserved,
    }


def _with_links(rendered: dict, *, unsubscribe: str, read: str | None) -> dict:
    """The rendered bodies with one recipient's links in place of the marks."""
    bodies = {"body_text": rendered["body_text"], "body_html": rendered["body_html"]}
    for mark, link in ((UNSUBSCRIBE_MARK, unsubscribe), (READ_MARK, read)):
        if link:
            bodies = {name: body.replace(mark, link) for name, body in bodies.items()}
    return bodies


def _read_link(rendered: dict, subscriber: Subscriber | None) -> str | None:
    """A reserved issue's link to its page for `subscriber`; without one, the page itself,
    which the coordination signed in sees. None for a public issue (its address is in)."""
    if not rendered["reserved"]:
        return None
    if subscriber is None:
        return site_url() + reverse("news:issue_detail", kwargs={"number": rendered["number"]})
    return read_url(
        issue_id=rendered["issue_id"], number=rendered["number"], subscriber=subscriber
    )


def personal_mail(rendered: dict, subscriber: Subscriber) -> dict:
    link = unsubscribe_url(subscriber)
    return {
        "about": subscriber,
        "kind": NewsMailKind.ISSUE,
        "recipient": subscriber.email,
        "subject": rendered["subject"],
        **_with_links(rendered, unsubscribe=link, read=_read_link(rendered, subscriber)),
        "unsubscribe_url": link,
    }


def send_test(*, issue: Issue, email: str) -> OutgoingMail:
    """The issue to one address (the coordinator's), outside the subscribers, without a
    delivery. Its unsubscribe link is the address's own: a subscriber's works as in their
    issues; another's page says the address is not subscribed."""
    rendered = render_issue_mail(issue)
    link = address_unsubscribe_url(email)
    subscriber = Subscriber.objects.with_address(email).first()
    fields = {
        "about": issue,
        "kind": NewsMailKind.ISSUE,
        "recipient": email,
        "subject": "[Essai] " + rendered["subject"],
        **_with_links(rendered, unsubscribe=link, read=_read_link(rendered, subscriber)),
        "unsubscribe_url": link,
    }
    with transaction.atomic():
        (outgoing,) = queue_mails([fields])
    return outgoing


def schedule_issue(*, issue: Issue, at: datetime.datetime) -> None:
    """Send at `at` (`manage.py send_newsletters`, from cron, or the task queued here)."""
    update_logged(
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT),
        status=Issue.Status.SCHEDULED,
        send_at=at,
    )
    transaction.on_commit(lambda: send_issue_task.using(run_after=at).enqueue(issue.pk))


def unschedule_issue(*, issue: Issue) -> bool:
    """Call off a scheduled sending not yet begun: the issue is a draft again, and the task
    queued for its date finds nothing to send (`_claim` takes only a scheduled issue); the
    publication on /lettre/ the scheduling set for that date is called off with it."""
    called_off = bool(
        update_logged(
            Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED),
            status=Issue.Status.DRAFT,
        )
    )
    if called_off:
        update_logged(
            Issue.objects.filter(
                pk=issue.pk, published_at=F("send_at"), published_at__gt=timezone.now()
            ),
            published_at=None,
        )
    return called_off


@dataclass
class Progress:
    sent: int
    failed: int
    left: int


def progress(issue: Issue) -> Progress:
    counts = dict(
        OutgoingMail.objects.filter(pk__in=Delivery.objects.filter(issue=issue).values("mail"))
        .order_by()
        .values_list("status")
        .annotate(n=models.Count("pk"))
        .values_list("status", "n")
    )
    without_mail = recipients(issue).exclude(deliveries__issue=issue).count()
    left = without_mail + counts.get("pending", 0) + counts.get("sending", 0)
    return Progress(sent=counts.get("sent", 0), failed=counts.get("failed", 0), left=left)


def _claim(issue_id: int, now) -> bool:
    """Take the issue's lease: no other sender holds a fresh one."""
    fresh = now - outgoing_mail_claim_timeout()
    return bool(
        Issue.objects.filter(pk=issue_id)
        .filter(
            Q(status=Issue.Status.SENDING) | Q(status=Issue.Status.SCHEDULED, send_at__lte=now)
        )
        .filter(Q(sender_heartbeat__isnull=True) | Q(sender_heartbeat__lt=fresh))
        .update(status=Issue.Status.SENDING, sender_heartbeat=now)
    )


class _Stop:
    """SIGTERM (a deploy): finish the mail in hand, then stop."""

    def __init__(self):
        self.requested = False

    def __call__(self, signum, frame):
        self.requested = True


def send_issue(
    *, issue_id: int, per_minute: int | None = None, batch: int = BATCH, connection=None
) -> str:
    """Send the issue to every recipient not yet sent to; « sent », « stopped » (SIGTERM) or
    « busy » (another sender holds it). Memory stays flat: one batch of rows at a time."""
    if not _claim(issue_id, timezone.now()):
        return "busy"
    issue = Issue.objects.get(pk=issue_id)
    per_minute = settings.NEWSLETTER_MAILS_PER_MINUTE if per_minute is None else per_minute
    interval = 60 / per_minute if per_minute else 0
    stop = _Stop()
    previous_handler = _install(stop)
    connection = connection or mail.mailers.default
    rendered = render_issue_mail(issue)
    next_at = time.monotonic()
    renewed = time.monotonic()
    renew_every = outgoing_mail_claim_timeout().total_seconds() / 3
    try:
        connection.open()
        while True:
            # Pending and due, or claimed by a sender that stopped without an outcome.
            pending = list(
                OutgoingMail.objects.filter(
                    pk__in=Delivery.objects.filter(issue=issue).values("mail")
                )
                .claimable(now=timezone.now())
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not pending and not _write_batch(issue, rendered, batch):
                break
            for mail_id in pending:
                if stop.requested:
                    return _stopped(issue)
                if interval:
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at = max(next_at, time.monotonic()) + interval
                    if stop.requested:  # SIGTERM during the wait
                        return _stopped(issue)
                if time.monotonic() - renewed > renew_every:  # slow throttle: keep the lease
                    Issue.objects.filter(pk=issue.pk).update(sender_heartbeat=timezone.now())
                    renewed = time.monotonic()
                outcome = deliver_outgoing_mail(mail_id=mail_id, connection=connection)
                if outcome.retry_at is not None:  # the outbox's own retries, later
                    enqueue_outgoing_mail(mail_id=mail_id, run_after=outcome.retry_at)
                elif outcome.status == OutgoingMail.Status.FAILED:
                    _bounce_if_refused(mail_id)
            Issue.objects.filter(pk=issue.pk).update(sender_heartbeat=timezone.now())
            renewed = time.monotonic()
        Issue.objects.filter(pk=issue.pk).update(
            status=Issue.Status.SENT, sent_at=timezone.now(), sender_heartbeat=None
        )
        return "sent"
    finally:
        connection.close()
        _restore(previous_handler)


def _write_batch(issue: Issue, rendered: dict, batch: int) -> int:
    """Write the next subscribers' mails and deliveries, in one transaction: a mail exists only
    with its delivery, a delivery only with its mail. How many were written."""
    subscribers = list(recipients(issue).exclude(deliveries__issue=issue).order_by("pk")[:batch])
    if not subscribers:
        return 0
    try:
        with transaction.atomic():
            mails = queue_mails([personal_mail(rendered, s) for s in subscribers], enqueue=False)
            Delivery.objects.bulk_create(
                [
                    Delivery(issue=issue, subscriber=s, mail=m)
                    for s, m in zip(subscribers, mails, strict=True)
                ]
            )
    except IntegrityError:  # another sender wrote them meanwhile: theirs stand
        logger.warning("Newsletter %s: deliveries written by another sender.", issue.pk)
    return len(subscribers)


def _bounce_if_refused(mail_id: int) -> None:
    """A recipient the server refuses for good is never mailed again."""
    failed = OutgoingMail.objects.filter(pk=mail_id).values("recipient", "last_error").first()
    if failed and failed["last_error"].startswith(REFUSED):
        mark_bounced(email=failed["recipient"])


def _stopped(issue: Issue) -> str:
    Issue.objects.filter(pk=issue.pk).update(sender_heartbeat=None)
    return "stopped"


def _install(stop: _Stop):
    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a task worker's thread): no handler
        return None


def _restore(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def send_due_issues(*, here: bool = False) -> list[tuple[int, str]]:
    """Every issue due (scheduled and its time come, or left half-sent by a sender whose lease
    is stale): cron's entry. Handed to the task worker (the cron job stays short), or sent in
    this process with `here`."""
    now = timezone.now()
    fresh = now - outgoing_mail_claim_timeout()
    due = Issue.objects.due(now).filter(
        Q(sender_heartbeat__isnull=True) | Q(sender_heartbeat__lt=fresh)
    )
    outcomes = []
    for issue_id in due.values_list("pk", flat=True):
        if here:
            outcomes.append((issue_id, send_issue(issue_id=issue_id)))
        else:
            send_issue_task.enqueue(issue_id)
            outcomes.append((issue_id, "queued"))
    return outcomes


@task()
def send_issue_task(issue_id: int) -> str:
    return send_issue(issue_id=issue_id)
