"""A database with at least one record of every kind the back-office shows — every registered
model, every model a mail can be about, every kind of mail in every state — for the tests that
open every admin page (tests/ptce/test_every_admin_page.py)."""

import datetime
import itertools
import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from association.models import ContentVersion, SiteIdentity
from groups.models import InvitationOptOut, MeetingAnswer, MeetingReminder
from opendata.models import HarvestedRecord, RemotePortal
from outbox.models import OutgoingMail, mail_kinds
from tests import factories
from tests.conftest import TwoGroups

# The apps whose records a mail can be about: ours.
OUR_APPS = ("association", "outbox", "members", "groups", "events", "scic", "joining")
OUR_APPS += ("report", "space", "opendata")


def _sample_of_every_model() -> list:
    """One record of each of our models (the first one found), for mails to be about."""
    samples = []
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS and model not in (OutgoingMail, ContentVersion):
            record = model._default_manager.order_by("pk").first()
            assert record is not None, f"No {model._meta.label} in the sample database"
            samples.append(record)
    return samples


def _news_records(groups: TwoGroups) -> None:
    from news.models import Article, Issue, Section, Subscriber

    Article.objects.create(
        title="La friperie ouvre",
        slug="friperie",
        summary="Une friperie.",
        body="Texte **gras**.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        group=groups.group_a,
    )
    issue = Issue.objects.create(number=1, title="Lettre d'information — été 2025")
    Section.objects.create(issue=issue, title="Le séminaire", body="Texte.")
    Subscriber.objects.create(
        email="abonne@example.org",
        source=Subscriber.Source.FORM,
        consent_version="2026-12",
        requested_at=timezone.now(),
    )


def build_every_record() -> TwoGroups:
    """Two groups with their leads (`TwoGroups`), then one record of every other kind. Returns
    the groups: their leads are the test's group-lead accounts."""
    from events.models import RegistrationNotice
    from scic.models import ConvocationConsent, Placement, VoteCount
    from space.models import SignInLink

    groups = TwoGroups()
    today = timezone.localdate()
    identity = SiteIdentity.load()
    identity.name, identity.short_name = "PTCE Hénin-Carvin", "PTCE HC"
    identity.save()
    factories.LegalStatusFactory()
    factories.YearlyFiguresFactory()
    factories.MembershipFactory(structure=groups.participant_a.structure)
    factories.MembershipFactory(structure=None, person=groups.participant_b)
    factories.GroupContactFactory(group=groups.group_a)
    answer = MeetingAnswer.objects.create(
        meeting=groups.upcoming_a,
        person=groups.participant_a,
        invited_at=timezone.now(),
        response=MeetingAnswer.Response.YES,
        answered_at=timezone.now(),
    )
    MeetingReminder.objects.create(answer=answer, days_before=2)
    InvitationOptOut.objects.create(group=groups.group_b, person=groups.participant_a)
    factories.ProjectUpdateFactory(project=groups.project_a)
    factories.ProjectStatusChangeFactory(project=groups.project_a)
    factories.ActivityCountFactory(report__project=groups.project_b)
    factories.CooperationFactory(
        structures=[groups.participant_a.structure, groups.participant_b.structure]
    )
    factories.StaffContractFactory()

    session = factories.SessionFactory(event__registration_open=True)
    factories.SessionSpeakerFactory(session=session)
    factories.RegistrationFactory(event=session.event)
    factories.RegistrationFactory(session=session)
    RegistrationNotice.objects.create(
        event=session.event, kind=RegistrationNotice.Kind.MOVED, summary="Nouvelle salle."
    )

    college = factories.CollegeFactory()
    associate = factories.AssociateFactory(college=college)
    Placement.objects.create(
        associate=associate,
        date=associate.entry_date,
        category=associate.category,
        college=college,
        note="Catégorie et collège à l'entrée.",
    )
    factories.ShareMovementFactory(associate=associate)
    # A consent withdrawn, then one in force: the associate's page lists both.
    for email, withdrawn_on in (("ancienne@example.org", today), ("siege@example.org", None)):
        ConvocationConsent.objects.create(
            associate=associate,
            given_on=associate.entry_date,
            method=ConvocationConsent.Method.SIGNED_FORM,
            email=email,
            withdrawn_on=withdrawn_on,
        )
    assembly = factories.GeneralAssemblyFactory(date=today + datetime.timedelta(days=20))
    resolution = factories.ResolutionFactory(assembly=assembly)
    factories.AttendanceFactory(assembly=assembly, associate=associate)
    VoteCount.objects.create(resolution=resolution, college=college, votes_for=3)
    factories.RuleFactory()
    factories.CategoryFactory()

    portal = RemotePortal.objects.create(
        package_url="https://autre-ptce.example/donnees/datapackage.json",
        name="Autre PTCE",
        last_outcome=RemotePortal.Outcome.READ,
        last_read_at=timezone.now(),
        last_report="« structures » : 1 ligne lue(s).",
    )
    HarvestedRecord.objects.create(
        portal=portal,
        dataset=HarvestedRecord.Dataset.STRUCTURES,
        identifier="atelier",
        data={"nom": "Atelier partagé"},
        source_url="https://autre-ptce.example/donnees/structures.csv",
        licence="etalab-2.0",
        read_at=timezone.now(),
    )

    factories.JoinRequestFactory()
    factories.ErasureRequestFactory(person=groups.participant_a)
    SignInLink.objects.create(
        person=groups.participant_a,
        token_hash=uuid.uuid4().hex * 2,
        expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )

    # What Django's and the other packages' own models hold in real life.
    admin_user = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin_user, name="Téléphone")
    attempt = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "username": "inconnu"}
    attempt |= {"http_accept": "text/html", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="outbox.services.send_outgoing_mail",
        backend_name="default",
        run_after=timezone.now(),
    )
    Group.objects.get_or_create(name="Invités")
    _news_records(groups)

    # Every kind of mail, about every kind of record, in every state.
    states = itertools.cycle(
        [
            {"status": OutgoingMail.Status.PENDING},
            {"status": OutgoingMail.Status.SENT, "sent_at": timezone.now()},
            {"status": OutgoingMail.Status.FAILED, "last_error": "Refusé", "attempts": 5},
            {"status": OutgoingMail.Status.SENDING, "claimed_at": timezone.now()},
        ]
    )
    samples = _sample_of_every_model()
    kinds = [code for code, _label in mail_kinds()]
    for index in range(max(len(samples), len(kinds))):
        OutgoingMail.objects.create(
            about=samples[index % len(samples)],
            kind=kinds[index % len(kinds)],
            recipient="quelqu-un@example.org",
            subject="Un e-mail du site",
            body_text="Bonjour.",
            **next(states),
        )

    missing = [m._meta.label for m in admin.site._registry if not m._default_manager.exists()]
    assert not missing, f"No record of {missing}: add one to build_every_record()"
    return groups
