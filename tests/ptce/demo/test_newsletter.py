"""The newsletter as demo content: every fact loaded, nothing invented, nothing overwritten."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from association.models import SiteIdentity, Venue
from events.models import Event, Session, SessionSpeaker
from groups.models import GroupContact, GroupLead, Meeting, Project, ProjectUpdate, WorkingGroup
from members.models import Membership, Person, Structure
from report.models import YearlyFigures

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
FOUNDING_CORE = {
    "1001 Commerce",
    "Rencontres et Loisirs",
    "AFEJI Hauts-de-France",
    "APEI Hénin-Carvin",
    "ADDS",
    "DIE",
    "Les Compagnons Bâtisseurs",
    "Communauté d'agglomération Hénin-Carvin",
}
MODELS = [
    SiteIdentity,
    YearlyFigures,
    Venue,
    Structure,
    Membership,
    Person,
    WorkingGroup,
    WorkingGroup.participant_structures.through,
    WorkingGroup.participant_people.through,
    GroupLead,
    GroupContact,
    Meeting,
    Project,
    Project.structures.through,
    ProjectUpdate,
    Event,
    Event.organisers.through,
    Session,
    SessionSpeaker,
]


def load() -> str:
    out = StringIO()
    call_command("load_newsletter", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every model the loader writes, with every column (timestamps and calendar
    versions included: a row saved again would show)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def newsletter():
    return load()


def _meetings(slug):
    return [
        (
            m.date,
            m.start_time,
            m.end_time,
            m.venue and (m.venue.name, m.venue.address, m.venue.town),
            m.status,
        )
        for m in Meeting.objects.filter(group__slug=slug).select_related("venue").order_by("date")
    ]


def test_site_identity_is_the_newsletter_s_and_leaves_unknowns_empty(newsletter):
    identity = SiteIdentity.objects.get()
    assert identity.name == "PTCE Hénin-Carvin"
    assert identity.office_name == "Résidence Alsace"
    assert identity.office_address == "ZAC des Deux Villes"
    assert identity.office_town == "Montigny-en-Gohelle"
    assert identity.phone == "06 80 59 63 40"
    assert identity.email == "rmogliaptcehc@adds62.fr"
    # The demo never mails a real person: join requests are announced to a reserved address.
    assert identity.notification_email == "coordination@example.org"
    assert identity.website == "https://ptce-hc.fr/"
    assert "Jacques Parent" in identity.about
    assert f"envie d'agir{NBSP}? Rejoignez un groupe de travail" in identity.join_call
    # Not in the newsletter: never invented.
    assert identity.siret == identity.host_details == identity.publication_director == ""


def test_figures_of_2024_are_the_seven_published_ones(newsletter):
    figures = YearlyFigures.objects.get()
    assert (
        figures.year,
        figures.meetings,
        figures.members_involved,
        figures.contributing_structures,
        figures.jobs_created_fte,
        figures.projects_supported,
        figures.operational_cooperations,
        figures.beneficiaries,
    ) == (2024, 34, 113, 62, Decimal("19.7"), 16, 13, 1932)
    assert "Bilan de l'année 2024" in figures.source


def test_founding_core_and_the_other_structures_with_their_kinds(newsletter):
    founders = Structure.objects.filter(is_founding_member=True)
    assert set(founders.values_list("name", flat=True)) == FOUNDING_CORE
    kinds = dict(Structure.objects.values_list("acronym", "kind").exclude(acronym=""))
    assert kinds["CAHC"] == Structure.Kind.LOCAL_AUTHORITY
    assert kinds["CRESS"] == Structure.Kind.NETWORK
    assert Structure.objects.get(name="École Maurice Thorez").kind == Structure.Kind.SCHOOL
    assert Structure.objects.get(name="1001 Commerce").email == "contact@1001commerce.fr"
    for name in ["APES", "IRIAE", "Institut Godin", "ACTIV", "Maisons et Cités", "Solid'hair"]:
        assert Structure.objects.filter(name=name).exists(), name


def test_memberships_only_for_the_founding_core_in_2025(newsletter):
    memberships = Membership.objects.select_related("structure")
    assert {m.structure.name for m in memberships} == FOUNDING_CORE
    assert memberships.count() == len(FOUNDING_CORE)
    assert {(m.year, m.status, m.fee, m.paid_on, m.person) for m in memberships} == {
        (2025, Membership.Status.ACTIVE, None, None, None)
    }
    assert set(Structure.objects.members(2025).values_list("name", flat=True)) == FOUNDING_CORE


def test_people_with_their_structure_and_role_and_only_rodolphe_public(newsletter):
    people = {p.full_name: p for p in Person.objects.select_related("structure")}
    assert len(people) == 13
    assert people["Nordine BOUKHATEB"].team_role == Person.TeamRole.PRESIDENT
    assert people["Nordine BOUKHATEB"].structure.name == "ADDS"
    rodolphe = people["Rodolphe MOGLIA"]
    assert rodolphe.team_role == Person.TeamRole.DEVELOPMENT_OFFICER
    assert rodolphe.team_since == datetime.date(2024, 7, 1)
    assert (rodolphe.email, rodolphe.phone) == ("rmogliaptcehc@adds62.fr", "06 80 59 63 40")
    assert people["Jean-Michel BONDU"].team_role == Person.TeamRole.CONSULTANT
    assert people["Sarah DUPONT"].title == "chargée de mission ESS"
    assert people["Marcello DELLA FRANCA"].structure.acronym == "CAHC"
    assert [p.full_name for p in Person.objects.filter(show_contact_publicly=True)] == [
        "Rodolphe MOGLIA"
    ]
    assert not Person.objects.filter(last_name__iexact="Duval").exists()


def test_four_groups_in_order_with_their_leads(newsletter):
    groups = list(WorkingGroup.objects.all())
    assert [g.slug for g in groups] == [
        "mobilite",
        "alimentation",
        "developpement-social",
        "transition",
    ]
    assert len({g.accent_color for g in groups}) == 4
    for group in groups:
        group.full_clean()  # the accent colours pass the contrast check
    leads = [
        (lead.group.slug, str(lead.person), lead.structure.name, lead.title)
        for lead in GroupLead.objects.select_related("group", "person", "structure").order_by(
            "group__order", "order"
        )
    ]
    assert leads == [
        ("mobilite", "Fabrice TAUPIN", "AFEJI Hauts-de-France", "chef de file"),
        ("alimentation", "Odette DAUCHET", "DIE", "cheffe de file"),
        ("alimentation", "Brigitte MONSEU", "APEI Hénin-Carvin", "cheffe de file"),
        ("developpement-social", "Olivier HERLIN", "1001 Commerce", "chef de file"),
        ("developpement-social", "Serge ROUSSEL", "Les Compagnons Bâtisseurs", "chef de file"),
        ("transition", "Nordine BOUKHATEB", "ADDS", "chef de file"),
    ]


def test_group_contacts_exactly_as_published(newsletter):
    contacts = [
        (c.group.slug, c.label, c.phone, c.email)
        for c in GroupContact.objects.select_related("group").order_by("group__order", "order")
    ]
    assert contacts == [
        ("mobilite", "", "03 59 61 05 20", ""),
        ("alimentation", "APEI Hénin-Carvin", "", "siege@apei-henin.com"),
        ("alimentation", "DIE", "03 21 20 79 44", ""),
        ("developpement-social", "1001 Commerce", "", "contact@1001commerce.fr"),
        (
            "developpement-social",
            "Les Compagnons Bâtisseurs",
            "",
            "s.roussel@compagnonsbatisseurs.eu",
        ),
        (
            "developpement-social",
            "Les Compagnons Bâtisseurs",
            "",
            "f.duval@compagnonsbatisseurs.eu",
        ),
        ("transition", "", "03 21 20 35 58", ""),
    ]


def test_meetings_on_their_dates_at_their_hours_and_places_with_no_end_time(newsletter):
    planned = Meeting.Status.PLANNED
    garage = ("Garage solidaire", "ZAC des Chauffours", "Courrières")
    apei = ("Siège de l'APEI Hénin-Carvin", "239 rue Philibert Robiaud", "Hénin-Beaumont")
    piac = ("PIAC", "24 rue des Lilas", "Carvin")
    adds = ("ADDS", "2 rue Léon Hourriez", "Montigny-en-Gohelle")
    nine, two = datetime.time(9, 0), datetime.time(14, 0)
    assert _meetings("mobilite") == [
        (datetime.date(2025, 9, 12), nine, None, garage, planned),
        (datetime.date(2025, 11, 14), nine, None, garage, planned),
    ]
    assert _meetings("alimentation") == [
        (datetime.date(2025, 10, 7), two, None, apei, planned),
        (datetime.date(2025, 12, 2), two, None, apei, planned),
    ]
    assert _meetings("developpement-social") == [
        (datetime.date(2024, 12, 12), None, None, None, Meeting.Status.HELD),
        (datetime.date(2025, 2, 27), None, None, None, Meeting.Status.HELD),
        (datetime.date(2025, 9, 25), two, None, piac, planned),
        (datetime.date(2025, 11, 27), two, None, piac, planned),
    ]
    assert _meetings("transition") == [
        (datetime.date(2025, 10, 13), two, None, adds, planned),
        (datetime.date(2025, 12, 15), two, None, adds, planned),
    ]


def test_no_sample_meeting_and_no_unpublished_minutes_made_public(newsletter):
    assert Meeting.objects.count() == 10
    assert not Meeting.objects.samples().exists()
    assert not Meeting.objects.filter(minutes_visibility="public").exists()


def test_projects_with_their_groups_carriers_and_dated_progress(newsletter):
    projects = {p.slug: p for p in Project.objects.select_related("group")}
    assert len(projects) == 11
    assert {
        slug: p.status for slug, p in projects.items() if p.group.slug == "developpement-social"
    } == {
        "cafe-parc-de-jeu-inclusif": Project.Status.IDEA,
        "solid-hair": Project.Status.IDEA,
        "decouverte-du-patrimoine": Project.Status.IDEA,
        "restauration-solidaire": Project.Status.STUDY,
        "boutique-coup-de-coeur": Project.Status.RUNNING,
        "maison-du-projet-coeur-de-mineur": Project.Status.RUNNING,
    }
    coup_de_coeur = projects["boutique-coup-de-coeur"]
    assert coup_de_coeur.name == f"Boutique des créateurs «{NBSP}Coup de Cœur{NBSP}»"
    assert set(coup_de_coeur.structures.values_list("name", flat=True)) == {
        "1001 Commerce",
        "ACTIV",
    }
    garage = projects["garage-solidaire-courrieres"].description
    for fact in ["ateliers mobiles", "dépanneuse", "Marquion", "Aushopping"]:
        assert fact in garage
    rouvroy = projects["plateforme-reemploi-materiaux-rouvroy"]
    assert [(u.date, u.precision) for u in rouvroy.updates.order_by("date")] == [
        (datetime.date(2024, 10, 1), ProjectUpdate.Precision.MONTH),
        (datetime.date(2024, 12, 1), ProjectUpdate.Precision.MONTH),
        (datetime.date(2025, 1, 1), ProjectUpdate.Precision.YEAR),
        (datetime.date(2025, 7, 1), ProjectUpdate.Precision.MONTH),
    ]
    maison = projects["maison-du-projet-coeur-de-mineur"].updates.get()
    for figure in ["111 bénéficiaires", "13 ateliers", "11 accueils", "14 permanences"]:
        assert figure in maison.text


def test_seminar_programme_in_order_with_its_facilitators_and_speakers(newsletter):
    seminar = Event.objects.get(date=datetime.date(2025, 5, 13))
    assert seminar.kind == Event.Kind.SEMINAR
    assert seminar.is_published
    assert (seminar.start_time, seminar.end_time) == (None, None)  # whole day
    assert (seminar.venue.name, seminar.venue.town) == ("Grande chaufferie du 9-9bis", "Oignies")
    assert "Rachid CHERFAOUI" in seminar.body
    sessions = list(seminar.sessions.select_related("facilitator").order_by("order"))
    assert [s.kind for s in sessions] == [
        "opening",
        "address",
        "testimony",
        "workshop",
        "workshop",
        "workshop",
        "workshop",
        "round_table",
        "discussion_tables",
        "discussion_tables",
        "discussion_tables",
    ]
    workshops = [(s.title, s.facilitator.name, s.part_of_day) for s in sessions[3:7]]
    assert workshops == [
        (
            "Les indicateurs de suivi d'activité des PTCE",
            "Chambre régionale de l'économie sociale et solidaire",
            "morning",
        ),
        (
            "Comment mobiliser de nouveaux acteurs, et comment préserver l'intérêt des "
            "partenaires",
            "APES",
            "morning",
        ),
        ("L'élaboration de nouveaux projets pour le PTCE Hénin-Carvin", "IRIAE", "morning"),
        (
            "Les méthodes de mise en place de l'innovation sociale dans les projets",
            "Institut Godin",
            "morning",
        ),
    ]
    assert sessions[3].facilitator.acronym == "CRESS"

    def speakers(session):
        return [
            (str(s.person), s.structure.name if s.structure else None)
            for s in session.speakers.select_related("person", "structure").order_by("order")
        ]

    assert speakers(sessions[0]) == [("Nordine BOUKHATEB", None)]
    assert speakers(sessions[1]) == [
        ("Marcello DELLA FRANCA", "Communauté d'agglomération Hénin-Carvin")
    ]
    assert speakers(sessions[2]) == [("Rachid CHERFAOUI", None)]
    assert speakers(sessions[7]) == [
        ("Sarah DUPONT", "Communauté d'agglomération Hénin-Carvin"),
        ("Isabelle LEROY-SELOSSE", "APEI Hénin-Carvin"),
        ("Sylvain DURSENT", "IRIAE"),
    ]
    assert sessions[7].part_of_day == "afternoon"
    assert "Canal Seine-Nord Europe" in sessions[10].title


def test_general_assembly_and_ess_breakfasts(newsletter):
    assembly = Event.objects.get(kind=Event.Kind.GENERAL_ASSEMBLY)
    assert (assembly.date, assembly.start_time, assembly.venue) == (
        datetime.date(2025, 6, 18),
        None,
        None,
    )
    breakfasts = Event.objects.filter(kind=Event.Kind.BREAKFAST).order_by("date")
    assert [(b.date, b.start_time, b.end_time, b.venue) for b in breakfasts] == [
        (datetime.date(2025, 10, 14), datetime.time(8, 30), None, None),
        (datetime.date(2025, 11, 25), datetime.time(8, 30), None, None),
    ]
    for breakfast in breakfasts:
        assert list(breakfast.organisers.values_list("acronym", flat=True)) == ["CAHC"]
    assert Event.objects.count() == 4


def test_summary_is_in_french(newsletter):
    assert f"structures{NBSP}: 18 créées, 0 déjà présentes" in newsletter
    assert f"réunions{NBSP}: 10 créées" in newsletter


def test_running_twice_changes_nothing(newsletter):
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert f"structures{NBSP}: 0 créées, 18 déjà présentes" in output
    assert f"identité du site{NBSP}: déjà présente" in output


def test_edits_by_the_coordinator_survive_a_new_run(newsletter):
    meeting = Meeting.objects.get(group__slug="alimentation", date=datetime.date(2025, 10, 7))
    meeting.agenda = "Bilan des récoltes"
    meeting.date = datetime.date(2025, 10, 9)  # moved: the newsletter's date must not come back
    meeting.save()
    Meeting.objects.filter(group__slug="transition", date=datetime.date(2025, 12, 15)).delete()
    Structure.objects.filter(name="DIE").update(town="Hénin-Beaumont", kind="integration")
    Person.objects.filter(last_name="Taupin").update(show_contact_publicly=True)
    SiteIdentity.objects.update(phone="03 00 00 00 00")
    Membership.objects.filter(structure__name="ADDS").update(fee=Decimal("50"))
    edited = snapshot()

    load()

    assert snapshot() == edited
    assert not Meeting.objects.filter(date=datetime.date(2025, 10, 7)).exists()
    assert Structure.objects.get(name="DIE").town == "Hénin-Beaumont"
    assert SiteIdentity.objects.get().phone == "03 00 00 00 00"


def test_a_renamed_structure_is_not_created_again(newsletter):
    Structure.objects.filter(slug="die").update(name="DIE (nouveau nom)")
    load()
    assert not Structure.objects.filter(name="DIE").exists()


def test_the_empty_identity_record_of_a_fresh_site_is_filled():
    SiteIdentity.load()  # what the first page view creates
    load()
    assert SiteIdentity.objects.get().name == "PTCE Hénin-Carvin"


def test_an_identity_already_filled_in_is_left_alone():
    SiteIdentity(name="PTCE de démonstration", short_name="Démo").save()
    load()
    identity = SiteIdentity.objects.get()
    assert (identity.name, identity.phone) == ("PTCE de démonstration", "")


def test_existing_records_are_reused_not_duplicated():
    adds = Structure.objects.create(name="adds", slug="adds-existante", town="Ailleurs")
    Person.objects.create(first_name="Fabrice", last_name="TAUPIN")
    load()
    assert Structure.objects.filter(name__iexact="adds").get() == adds
    assert Person.objects.filter(last_name__iexact="taupin").count() == 1
    assert GroupLead.objects.get(group__slug="transition").structure == adds
