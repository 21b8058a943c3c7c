"""« Ce qui vous attend »: what the admin's home opens on. Each line is a count of the rows of
one admin list under a filter, and links to that list so filtered: the count is taken on the
model admin's own queryset (a lead counts only their groups' meetings), and shown only to who
may view the list. When everything is done, nothing is shown."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from groups.models import Meeting
from joining.models import JoinRequest
from members.models import Membership
from outbox.models import OutgoingMail
from scic.models import GeneralAssembly


@dataclass(frozen=True)
class Waiting:
    """A kind of thing waiting: `lookups` are the admin list's own query-string filters, as
    Python values (the URL is built from them)."""

    model: type[models.Model]
    singular: str
    plural: str
    lookups: dict

    def query_string(self) -> str:
        return urlencode({key: _as_query_value(value) for key, value in self.lookups.items()})


@dataclass(frozen=True)
class WaitingLine:
    count: int
    text: str
    url: str


def _as_query_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def waiting_kinds(today: datetime.date) -> list[Waiting]:
    """In the order a coordinator's morning goes: people first, then mail, meetings, the SCIC
    and the year's memberships."""
    return [
        Waiting(
            JoinRequest,
            "nouvelle demande d'adhésion ou de participation à traiter",
            "nouvelles demandes d'adhésion ou de participation à traiter",
            {"status__exact": JoinRequest.Status.NEW},
        ),
        Waiting(
            OutgoingMail,
            "e-mail en échec, à vérifier et renvoyer",
            "e-mails en échec, à vérifier et renvoyer",
            {"status__exact": OutgoingMail.Status.FAILED},
        ),
        Waiting(
            OutgoingMail,
            "e-mail en attente d'envoi",
            "e-mails en attente d'envoi",
            {"status__exact": OutgoingMail.Status.PENDING},
        ),
        Waiting(
            Meeting,
            "réunion passée à clore (présences non relevées)",
            "réunions passées à clore (présences non relevées)",
            {
                "status__exact": Meeting.Status.PLANNED,
                "is_cancelled__exact": False,
                "date__lt": today,
            },
        ),
        Waiting(
            Meeting,
            "réunion tenue dont le compte rendu n'est pas publié",
            "réunions tenues dont le compte rendu n'est pas publié",
            {
                "status__exact": Meeting.Status.HELD,
                "minutes_visibility__exact": Meeting.Visibility.UNPUBLISHED,
            },
        ),
        Waiting(
            GeneralAssembly,
            "assemblée générale à venir dont les convocations ne sont pas envoyées",
            "assemblées générales à venir dont les convocations ne sont pas envoyées",
            {"convened_at__isnull": True, "is_cancelled__exact": False, "date__gte": today},
        ),
        Waiting(
            Membership,
            f"adhésion {today.year} en attente de cotisation",
            f"adhésions {today.year} en attente de cotisation",
            {"year__exact": today.year, "status__exact": Membership.Status.PENDING},
        ),
    ]


def _orm_lookups(lookups: dict) -> dict:
    return {key.removesuffix("__exact"): value for key, value in lookups.items()}


def waiting_lines(request, *, site=None, today: datetime.date | None = None) -> list[WaitingLine]:
    """The lines of the panel for this request's user: only lists they may view, only counts
    above zero."""
    site = site or admin.site
    today = today or timezone.localdate()
    lines = []
    for kind in waiting_kinds(today):
        try:
            model_admin = site.get_model_admin(kind.model)
        except NotRegistered:
            continue
        if not model_admin.has_view_permission(request):
            continue
        count = model_admin.get_queryset(request).filter(**_orm_lookups(kind.lookups)).count()
        if not count:
            continue
        opts = kind.model._meta
        try:
            url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        lines.append(
            WaitingLine(
                count=count,
                text=kind.singular if count == 1 else kind.plural,
                url=f"{url}?{kind.query_string()}",
            )
        )
    return lines
