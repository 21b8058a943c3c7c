"""Demo participants: so that the lead's and the partner's journeys can be tried on a fresh
clone without typing anything. Each active group gets two clearly marked sample participants
(fictitious, at example.org), the first group a sample lead with a back-office account, a
published sample minutes (a past sample meeting, held) and a sample document.

Real people of the newsletter are never touched: no account, no group, no address is added
to them. Never used outside DEBUG (see the commands)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from association.models import REVERSE_CHRONOLOGICAL, User
from association.roles import LEAD_GROUP, sync_lead_group
from groups.models import Document, GroupLead, Meeting, MeetingAnswer, WorkingGroup
from members.models import Person
from ptce.demo.loader import typeset

SAMPLE_DOMAIN = "example.org"
SAMPLE_LAST_NAME = "Exemple"
SAMPLE_TITLE = "participant·e d'exemple (personne fictive de la démonstration)"
# Epicene first names, two for each group in order; more groups reuse them with a number.
SAMPLE_FIRST_NAMES = [
    "Camille",
    "Dominique",
    "Claude",
    "Alix",
    "Sacha",
    "Maxime",
    "Charlie",
    "Morgan",
]

DEMO_LEAD_USERNAME = "chef-de-file"
DEMO_LEAD = {
    "first_name": "Alex",
    "last_name": SAMPLE_LAST_NAME,
    "email": f"chef-de-file@{SAMPLE_DOMAIN}",
    "title": "chef·fe de file d'exemple (personne fictive de la démonstration)",
}
DEMO_LEAD_TITLE = "chef·fe de file d'exemple"

SAMPLE_MINUTES = typeset(
    "Compte rendu d'exemple, écrit pour la démonstration du portail : cette réunion n'a pas eu "
    "lieu.\n\n"
    "Présents : Camille et Dominique (participants d'exemple), Alex (chef·fe de file "
    "d'exemple).\n\n"
    "1. Tour de table des projets du groupe.\n"
    "2. Préparation de la prochaine réunion : chacun apporte une idée de partenaire à inviter."
)
SAMPLE_DECISIONS = typeset("Exemple : la prochaine réunion présentera deux projets du groupe.")
SAMPLE_DOCUMENT_TITLE = typeset("Document d'exemple : présentation du groupe (démonstration)")
# How long ago the sample minutes' meeting was held.
SAMPLE_MINUTES_AGE = datetime.timedelta(days=14)


@dataclass
class SampleReport:
    participants: list[Person] = field(default_factory=list)
    lead: GroupLead | None = None
    minutes: Meeting | None = None
    document: Document | None = None

    def lines(self) -> list[str]:
        count = len(self.participants)
        lines = [f"participants d'exemple\u00a0: {count} (adresses @{SAMPLE_DOMAIN})"]
        if self.lead:
            lead = self.lead
            lines.append(f"chef·fe de file d'exemple\u00a0: {lead.person} ({lead.group})")
        if self.minutes:
            lines.append(f"compte rendu d'exemple publié\u00a0: {self.minutes}")
        if self.document:
            lines.append(f"document d'exemple\u00a0: {self.document.title}")
        return lines


def sample_email(first_name: str, group: WorkingGroup) -> str:
    return f"{first_name.lower()}.{group.slug}@{SAMPLE_DOMAIN}"


def _sample_person(*, first_name: str, last_name: str, email: str, title: str) -> Person:
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create(
            first_name=first_name, last_name=last_name, email=email, title=title
        )
    return person


@transaction.atomic
def make_sample_participants(*, today: datetime.date | None = None) -> SampleReport:
    """Create what is missing; run again, it adds nothing twice. The sample minutes' meeting
    and the sample document are replaced (a sample meeting goes with the sample series,
    `make_sample_meetings`)."""
    today = today or timezone.localdate()
    report = SampleReport()
    groups = list(WorkingGroup.objects.active().order_by("order", "pk"))
    for index, group in enumerate(groups):
        for offset in range(2):
            position = 2 * index + offset
            first_name = SAMPLE_FIRST_NAMES[position % len(SAMPLE_FIRST_NAMES)]
            if position >= len(SAMPLE_FIRST_NAMES):
                first_name = f"{first_name} {position // len(SAMPLE_FIRST_NAMES) + 1}"
            person = _sample_person(
                first_name=first_name,
                last_name=SAMPLE_LAST_NAME,
                email=sample_email(first_name.replace(" ", ""), group),
                title=SAMPLE_TITLE,
            )
            group.participant_people.add(person)
            report.participants.append(person)
    if not groups:
        return report
    group = groups[0]
    lead_person = _sample_person(**DEMO_LEAD)
    report.lead, _ = GroupLead.objects.get_or_create(
        group=group,
        person=lead_person,
        defaults={"title": DEMO_LEAD_TITLE, "order": group.leads.count() + 1},
    )
    report.minutes = _sample_minutes(group, today=today, present=report.participants[:2])
    report.document = _sample_document(group)
    return report


def _sample_minutes(group: WorkingGroup, *, today, present: list[Person]) -> Meeting:
    """A past sample meeting, held, with its minutes public, in the group's usual place and
    hours."""
    Meeting.objects.samples().filter(group=group, date__lt=today, series=None).delete()
    last = (
        Meeting.objects.for_group(group)
        .not_cancelled()
        .filter(is_sample=False)
        .order_by(*REVERSE_CHRONOLOGICAL)
        .first()
    )
    meeting = Meeting.objects.create(
        group=group,
        date=today - SAMPLE_MINUTES_AGE,
        start_time=last.start_time if last else datetime.time(14),
        end_time=last.end_time if last else None,
        venue=last.venue if last else None,
        agenda="Réunion d'exemple, pour la démonstration du portail.",
        minutes=SAMPLE_MINUTES,
        minutes_visibility=Meeting.Visibility.PUBLIC,
        decisions=SAMPLE_DECISIONS,
        status=Meeting.Status.HELD,
        is_sample=True,
    )
    MeetingAnswer.objects.bulk_create(
        MeetingAnswer(
            meeting=meeting, person=person, response=MeetingAnswer.Response.YES, present=True
        )
        for person in present
    )
    return meeting


def _sample_document(group: WorkingGroup) -> Document:
    Document.objects.filter(group=group, title=SAMPLE_DOCUMENT_TITLE).delete()
    document = Document(
        group=group,
        title=SAMPLE_DOCUMENT_TITLE,
        kind=Document.Kind.PRESENTATION,
        visibility=Document.Visibility.PARTICIPANTS,
        file=ContentFile(sample_pdf(group.name), name="exemple.pdf"),
    )
    document.full_clean()
    document.save()
    return document


def sample_pdf(group_name: str) -> bytes:
    """A one-page PDF saying that it is an example (built by hand: no PDF library needed)."""
    lines = [
        "Document d'exemple - demonstration du portail",
        group_name.encode("ascii", "replace").decode(),
        "Ce document n'a pas de contenu reel.",
    ]
    text = (
        "BT /F1 14 Tf 72 760 Td 18 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@transaction.atomic
def reset_demo_lead(*, password: str) -> tuple[User, bool]:
    """The demo lead's back-office account (role « chef de file », linked to the sample lead),
    created or given a new password. Returns the account and whether it was created."""
    lead = GroupLead.objects.filter(person__email__iexact=DEMO_LEAD["email"]).first()
    if lead is None:
        raise ValueError("make_sample_participants first: there is no sample lead.")
    user = User.objects.filter(username=DEMO_LEAD_USERNAME).first()
    created = user is None
    if created:
        user = User(username=DEMO_LEAD_USERNAME)
    user.email = DEMO_LEAD["email"]
    user.first_name, user.last_name = DEMO_LEAD["first_name"], DEMO_LEAD["last_name"]
    user.is_staff, user.is_superuser, user.is_active = True, False, True
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    sync_lead_group()
    user.groups.add(Group.objects.get(name=LEAD_GROUP))
    GroupLead.objects.filter(person=lead.person).update(user=user)
    return user, created
