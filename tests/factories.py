"""factory_boy factories for every model, shared by the whole suite."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from association.models import LegalStatus, SiteIdentity, User, Venue
from events.models import Event, Registration, Session, SessionSpeaker
from groups.models import (
    Document,
    GroupContact,
    GroupLead,
    Meeting,
    MeetingAnswer,
    MeetingSeries,
    Project,
    ProjectStatusChange,
    ProjectUpdate,
    WorkingGroup,
)
from joining.models import JoinMailKind, JoinRequest
from members.models import Membership, Person, Structure
from members.privacy import PRIVACY_NOTICE_VERSION
from outbox.models import OutgoingMail
from report.models import (
    ActivityCount,
    ActivityReport,
    Cooperation,
    StaffContract,
    YearlyFigures,
)
from scic.models import (
    Associate,
    Attendance,
    Category,
    College,
    GeneralAssembly,
    Resolution,
    Rule,
    ShareMovement,
)
from space.models import ErasureRequest

# The smallest file the documents' check takes for a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"compte{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("mot-de-passe-de-test-1")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Salle {n}")
    address = factory.Sequence(lambda n: f"{n} rue des Lilas")
    town = "Carvin"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Structure.Kind.ASSOCIATION
    town = "Hénin-Beaumont"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Camille{n}")
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda o: f"{o.first_name}.{o.last_name}@example.org".lower())
    structure = factory.SubFactory(StructureFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    structure = factory.SubFactory(StructureFactory)
    person = None
    year = 2025
    status = Membership.Status.ACTIVE


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Groupe de travail {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    short_description = "Un groupe de travail du PTCE."
    accent_color = "#1f5f8b"


class GroupLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupLead

    group = factory.SubFactory(WorkingGroupFactory)
    person = factory.SubFactory(PersonFactory)
    structure = factory.LazyAttribute(lambda o: o.person.structure)
    title = "chef de file"


class GroupContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupContact

    group = factory.SubFactory(WorkingGroupFactory)
    label = "Secrétariat"
    phone = "0321207944"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkingGroupFactory)
    date = datetime.date(2025, 10, 7)
    start_time = datetime.time(14, 0)
    venue = factory.SubFactory(VenueFactory)
    agenda = "Point d'étape sur les projets."


class MeetingAnswerFactory(factory.django.DjangoModelFactory):
    """A participant invited to a meeting, without an answer unless `response` is given."""

    class Meta:
        model = MeetingAnswer

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    invited_at = factory.LazyFunction(timezone.now)
    response = ""
    answered_at = factory.LazyAttribute(lambda o: timezone.now() if o.response else None)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Projet {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    group = factory.SubFactory(WorkingGroupFactory)
    summary = "Un projet accompagné."


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2025, 7, 1)
    precision = ProjectUpdate.Precision.MONTH
    text = "Première réponse positive."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Événement {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = Event.Kind.SEMINAR
    date = datetime.date(2025, 5, 13)
    venue = factory.SubFactory(VenueFactory)
    is_published = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    order = factory.Sequence(lambda n: n)
    part_of_day = Session.PartOfDay.MORNING
    title = factory.Sequence(lambda n: f"Atelier {n}")
    kind = Session.Kind.WORKSHOP


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = "intervenant"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration to an event (`session=…` for a workshop)."""

    class Meta:
        model = Registration

    event = factory.LazyAttribute(
        lambda o: o.session.event if o.session else EventFactory(registration_open=True)
    )
    session = None
    name = factory.Sequence(lambda n: f"Inscrite{n} Durand")
    email = factory.Sequence(lambda n: f"inscrite{n}@example.org")
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class YearlyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigures

    year = 2024
    meetings = 34


class SiteIdentityFactory(factory.django.DjangoModelFactory):
    """The identity of an imaginary PTCE: tests prove pages take every word from the record."""

    class Meta:
        model = SiteIdentity
        django_get_or_create = ("id",)

    id = 1
    name = "Pôle territorial de coopération économique du Val-de-Lys"
    short_name = "PTCE Val-de-Lys"
    territory = "Communauté de communes du Val-de-Lys"
    tagline = "Coopérer pour l'emploi sur notre territoire."
    about = "Né en 2020 autour de cinq structures.\n\nDevenu une association en 2022."
    join_call = "Rejoignez un groupe de travail du Val-de-Lys !"
    office_name = "Maison des associations"
    office_address = "3 place du Marché"
    office_town = "Estaires"
    phone = "0321000102"
    email = "contact@ptce-lys.example"
    accent_color = "#7a3000"


# --- Join requests and their mails ----------------------------------------------------------


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    wants_membership = True
    applicant_kind = JoinRequest.ApplicantKind.PERSON
    first_name = factory.Sequence(lambda n: f"Louise{n}")
    last_name = "Lefebvre"
    email = factory.LazyAttribute(lambda o: f"{o.first_name}.{o.last_name}@example.org".lower())
    town = "Carvin"
    consent_given_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = PRIVACY_NOTICE_VERSION
    form_token = factory.Sequence(lambda n: f"jeton-de-test-{n}")


class OutgoingMailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingMail

    class Params:
        join_request = factory.SubFactory(JoinRequestFactory)

    about = factory.SelfAttribute("join_request")
    kind = JoinMailKind.APPLICANT_ACKNOWLEDGEMENT
    recipient = factory.LazyAttribute(lambda o: o.join_request.email)
    subject = "PTCE : nous avons bien reçu votre demande"
    body_text = "Bonjour, merci pour votre demande."


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    """« Le 2e mardi, un mois sur deux, de 14 h à 16 h », six times from 14 October 2025."""

    class Meta:
        model = MeetingSeries

    group = factory.SubFactory(WorkingGroupFactory)
    rule = "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6"
    first_date = datetime.date(2025, 10, 14)
    start_time = datetime.time(14)
    end_time = datetime.time(16)
    venue = factory.SubFactory(VenueFactory)


# --- The SCIC ------------------------------------------------------------------------------------


class LegalStatusFactory(factory.django.DjangoModelFactory):
    """A dated legal form of the identity (one per start date)."""

    class Meta:
        model = LegalStatus

    identity = factory.LazyFunction(SiteIdentity.load)
    since = factory.Sequence(lambda n: datetime.date(2027, 1, 1) + datetime.timedelta(days=n))
    form = LegalStatus.Form.SCIC_SAS
    registration = "RCS Arras 000 000 000"


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    name = factory.Sequence(lambda n: f"Collège {n}")
    vote_share = 25


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    legal_kind = Category.LegalKind.OTHERS


class RuleFactory(factory.django.DjangoModelFactory):
    """One of the rules the migration loads (there is one record per code)."""

    class Meta:
        model = Rule
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: Rule.Code.values[n % len(Rule.Code.values)])
    statement = "Règle de test."
    reference = "Statuts"


def category(legal_kind: str) -> Category:
    """One of the law's categories, loaded by the migration (made again after a transactional
    test flushed the database)."""
    found = Category.objects.filter(legal_kind=legal_kind).first()
    return found or Category.objects.create(
        legal_kind=legal_kind, name=Category.LegalKind(legal_kind).label
    )


class AssociateFactory(factory.django.DjangoModelFactory):
    """An associate without movements: give them shares with `scic.services.register`, or use
    `tests.scic.conftest.admit`."""

    class Meta:
        model = Associate

    number = factory.Sequence(lambda n: n + 1)
    structure = factory.SubFactory(StructureFactory)
    person = None
    category = factory.LazyFunction(lambda: category(Category.LegalKind.BENEFICIARIES))
    college = None
    entry_date = datetime.date(2025, 1, 15)


class GeneralAssemblyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneralAssembly

    title = "Assemblée générale ordinaire annuelle"
    date = datetime.date(2026, 6, 18)
    start_time = datetime.time(18, 0)
    agenda = "Rapport moral\nApprobation des comptes\nQuestions diverses"


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    assembly = factory.SubFactory(GeneralAssemblyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Approbation des comptes"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    assembly = factory.SubFactory(GeneralAssemblyFactory)
    associate = factory.SubFactory(AssociateFactory)
    college = factory.SelfAttribute("associate.college")


class ShareMovementFactory(factory.django.DjangoModelFactory):
    """A subscription, fully paid (movements are written once: no update afterwards)."""

    class Meta:
        model = ShareMovement

    associate = factory.SubFactory(AssociateFactory)
    kind = ShareMovement.Kind.SUBSCRIPTION
    date = datetime.date(2025, 1, 15)
    shares = 2
    share_value = 100
    paid_amount = 200


class ActivityReportFactory(factory.django.DjangoModelFactory):
    """A project's report for the first half of 2025."""

    class Meta:
        model = ActivityReport

    project = factory.SubFactory(ProjectFactory)
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 6, 30)
    beneficiaries = 0


class ActivityCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityCount

    report = factory.SubFactory(ActivityReportFactory)
    label = "ateliers participatifs"
    value = 13


class CooperationFactory(factory.django.DjangoModelFactory):
    """Pass `structures=[a, b]` for an operational one (two structures or more)."""

    class Meta:
        model = Cooperation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Coopération {n}")
    since = datetime.date(2024, 3, 1)

    @factory.post_generation
    def structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.structures.set(extracted)


class StaffContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffContract

    title = "Chargé de développement"
    start = datetime.date(2024, 7, 1)
    work_rate = 100


class ProjectStatusChangeFactory(factory.django.DjangoModelFactory):
    """An earlier line of a project's history (creating a project records today's)."""

    class Meta:
        model = ProjectStatusChange

    project = factory.SubFactory(ProjectFactory)
    status = Project.Status.STUDY
    since = datetime.date(2024, 1, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    group = factory.SubFactory(WorkingGroupFactory)
    meeting = None
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = Document.Kind.MINUTES
    visibility = Document.Visibility.PARTICIPANTS
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="compte-rendu.pdf"))


class ErasureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ErasureRequest

    person = factory.SubFactory(PersonFactory)
    message = "Merci d'effacer mes données."


# The news app's factories, in their own module (this one is at its size limit).
from tests.news.factories import ArticleFactory, IssueFactory, SubscriberFactory  # noqa: E402

__all__ = ["ArticleFactory", "IssueFactory", "SubscriberFactory"]
