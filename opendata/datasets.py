"""The open datasets: what the public site already shows, each described once (its columns,
their types and meanings) and read once (a queryset, a row). The CSV and JSON files, the data
package's Table Schemas, the DCAT catalogue, the API and its OpenAPI description are all drawn
from these definitions, so they cannot disagree.

What is published is what a visitor already reads on the site, nothing more: the structures of
the directory without their e-mail and telephone (the site does not show them), the working
groups, the meetings (the agenda shows them all) and the published events of the last twelve
months and the next twelve, the published projects (their summary: the site never shows their
description), and the yearly figures with their definitions. No person is named: a person's name
is shown on the site only with their consent (the team, the leads), and a dataset is copied and
kept beyond any later withdrawal."""

from decimal import Decimal

from django.db.models import Min, Prefetch, Q
from django.urls import reverse

from events.models import Event
from groups.models import GroupLead, Meeting, Project, WorkingGroup
from members.models import Structure, structure_member_year
from opendata.tables import Column, Dataset, Filters, absolute
from report import figures
from report.models import YearlyFigures


def _slugs(items) -> str:
    return " ".join(item.slug for item in items)


def _in_period(queryset, filters: Filters):
    if filters.year:
        queryset = queryset.filter(date__year=filters.year)
    if filters.month:
        queryset = queryset.filter(date__month=filters.month)
    return queryset


# --- Structures -----------------------------------------------------------------------------


def _structures(filters: Filters):
    year = structure_member_year()
    structures = (
        Structure.objects.with_is_member(year)
        .prefetch_related(
            Prefetch("working_groups", WorkingGroup.objects.only("pk", "slug")),
            # A list (to_attr), not the related manager's cache: that one holds a queryset per
            # structure pointing back at it, a cycle the chunks' garbage then waits in for the
            # cyclic collector (5 MiB at 100x instead of 0.7: make bench's exports).
            Prefetch(
                "group_leads",
                GroupLead.objects.select_related("group").only("structure", "group__slug"),
                to_attr="leads_of_groups",
            ),
        )
        .order_by("slug")
    )
    if filters.group:
        # The groups it takes part in or leads, as its page and the directory's filter count.
        structures = structures.filter(
            Q(working_groups__slug=filters.group) | Q(group_leads__group__slug=filters.group)
        ).distinct()
    if filters.kind:
        structures = structures.filter(kind=filters.kind)
    return structures


def _structure_groups(structure: Structure) -> str:
    groups = [group.slug for group in structure.working_groups.all()]
    groups += [lead.group.slug for lead in structure.leads_of_groups]
    return " ".join(dict.fromkeys(groups))


def _structure_row(structure: Structure) -> dict:
    return {
        "identifiant": structure.slug,
        "nom": structure.name,
        "sigle": structure.acronym,
        "type": structure.kind,
        "type_libelle": structure.get_kind_display(),
        "presentation": structure.description,
        "adresse": structure.address,
        "commune": structure.town,
        "site_internet": structure.website,
        "membre_fondateur": structure.is_founding_member,
        "membre_de_l_annee": structure.is_member,
        "groupes": _structure_groups(structure),
        "page": absolute(structure.get_absolute_url()),
    }


STRUCTURES = Dataset(
    name="structures",
    title="Structures",
    description="Les structures membres et partenaires, telles que l'annuaire du site les "
    "présente (sans leurs e-mail ni téléphone, que le site ne publie pas).",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable (celui de l'adresse "
               "de sa page).", required=True),
        Column("nom", "string", "Nom", "Nom de la structure.", required=True),
        Column("sigle", "string", "Sigle", "Sigle, s'il y en a un."),
        Column("type", "string", "Type", "Code du type de structure.", required=True,
               enum=tuple(Structure.Kind.values)),
        Column("type_libelle", "string", "Type (libellé)", "Le type en toutes lettres."),
        Column("presentation", "string", "Présentation", "Texte de présentation."),
        Column("adresse", "string", "Adresse", "Rue, sans la commune."),
        Column("commune", "string", "Commune", "Commune."),
        Column("site_internet", "string", "Site internet", "Adresse du site de la structure.",
               format="uri"),
        Column("membre_fondateur", "boolean", "Membre fondateur",
               "Fait partie du noyau de structures à l'origine du PTCE."),
        Column("membre_de_l_annee", "boolean", "Membre de l'année",
               "Adhésion validée pour l'année de référence de l'annuaire (la dernière année "
               "ayant des adhésions validées)."),
        Column("groupes", "string", "Groupes de travail",
               "Identifiants des groupes de travail auxquels elle participe ou dont elle est "
               "cheffe de file, séparés par des espaces."),
        Column("page", "string", "Page", "Sa page sur le site.", format="uri"),
    ),
    primary_key="identifiant",
    queryset=_structures,
    row=_structure_row,
    filters=("groupe", "type"),
)  # fmt: skip


# --- Working groups -------------------------------------------------------------------------


def _groups(filters: Filters):
    groups = WorkingGroup.objects.order_by("slug")
    if filters.group:
        groups = groups.filter(slug=filters.group)
    return groups


def _group_row(group: WorkingGroup) -> dict:
    return {
        "identifiant": group.slug,
        "nom": group.name,
        "description_courte": group.short_description,
        "description": group.description,
        "actif": group.is_active,
        "page": absolute(group.get_absolute_url()),
    }


GROUPS = Dataset(
    name="groupes",
    title="Groupes de travail",
    description="Les groupes de travail du PTCE, actifs ou non.",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable (celui de l'adresse "
               "de sa page).", required=True),
        Column("nom", "string", "Nom", "Nom du groupe.", required=True),
        Column("description_courte", "string", "Description courte", "Une phrase."),
        Column("description", "string", "Description", "Ce que fait le groupe."),
        Column("actif", "boolean", "Actif", "Le groupe se réunit encore."),
        Column("page", "string", "Page", "Sa page sur le site.", format="uri"),
    ),
    primary_key="identifiant",
    queryset=_groups,
    row=_group_row,
    filters=("groupe",),
)  # fmt: skip


# --- Meetings and events --------------------------------------------------------------------


def _scheduled_row(item, prefix: str, before: dict, after: dict) -> dict:
    """A meeting's or an event's row: its identifier, `before`, its day, hours and place
    (HOURS_COLUMNS, PLACE_COLUMNS), `after`, and its page."""
    venue = item.venue
    return {
        "identifiant": f"{prefix}{item.pk}",
        **before,
        "date": item.date,
        "heure_debut": item.start_time,
        "heure_fin": item.end_time,
        "lieu": venue.name if venue else "",
        "adresse": venue.address if venue else "",
        "commune": venue.town if venue else "",
        **after,
        "page": absolute(item.get_absolute_url()),
    }


def _meetings(filters: Filters):
    meetings = (
        Meeting.objects.in_calendar_feed()
        .filter(is_sample=False)
        .select_related("group", "venue")
        .order_by("date", "start_time", "pk")
    )
    if filters.group:
        meetings = meetings.filter(group__slug=filters.group)
    return _in_period(meetings, filters)


def _meeting_row(meeting: Meeting) -> dict:
    return _scheduled_row(
        meeting,
        "reunion-",
        before={"groupe": meeting.group.slug, "groupe_nom": meeting.group.name},
        after={"statut": meeting.status, "annulee": meeting.is_cancelled},
    )


PLACE_COLUMNS = (
    Column("lieu", "string", "Lieu", "Nom du lieu."),
    Column("adresse", "string", "Adresse", "Rue du lieu, sans la commune."),
    Column("commune", "string", "Commune", "Commune du lieu."),
)
HOURS_COLUMNS = (
    Column("date", "date", "Date", "Jour (AAAA-MM-JJ).", required=True),
    Column("heure_debut", "time", "Heure de début", "Vide : toute la journée."),
    Column("heure_fin", "time", "Heure de fin", "Vide si elle n'est pas connue."),
)

MEETINGS = Dataset(
    name="reunions",
    title="Réunions des groupes de travail",
    description="Les réunions des groupes de travail des douze derniers mois et des douze "
    "mois à venir, comme l'agenda du site (sans les réunions d'exemple de la démonstration).",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable.", required=True),
        Column("groupe", "string", "Groupe", "Identifiant du groupe de travail.",
               required=True),
        Column("groupe_nom", "string", "Nom du groupe", "Nom du groupe de travail."),
        *HOURS_COLUMNS,
        *PLACE_COLUMNS,
        Column("statut", "string", "Statut", "« planned » : prévue ; « held » : tenue.",
               enum=tuple(Meeting.Status.values)),
        Column("annulee", "boolean", "Annulée", "La réunion est annulée."),
        Column("page", "string", "Page", "Sa page sur le site.", format="uri"),
    ),
    primary_key="identifiant",
    queryset=_meetings,
    row=_meeting_row,
    filters=("groupe", "periode"),
    foreign_keys=(("groupe", "groupes", "identifiant"),),
    id_prefix="reunion-",
)  # fmt: skip


def _events(filters: Filters):
    events = (
        Event.objects.published()
        .in_calendar_feed()
        .select_related("venue")
        .order_by("date", "start_time", "pk")
    )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return _in_period(events, filters)


def _event_row(event: Event) -> dict:
    return _scheduled_row(
        event,
        "evenement-",
        before={
            "titre": event.title,
            "type": event.kind,
            "type_libelle": event.get_kind_display(),
            "resume": event.summary,
        },
        after={"annule": event.is_cancelled},
    )


EVENTS = Dataset(
    name="evenements",
    title="Événements",
    description="Les événements publiés des douze derniers mois et des douze mois à venir.",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable.", required=True),
        Column("titre", "string", "Titre", "Titre de l'événement.", required=True),
        Column("type", "string", "Type", "Code du type d'événement.",
               enum=tuple(Event.Kind.values)),
        Column("type_libelle", "string", "Type (libellé)", "Le type en toutes lettres."),
        Column("resume", "string", "Résumé", "Une phrase."),
        *HOURS_COLUMNS,
        *PLACE_COLUMNS,
        Column("annule", "boolean", "Annulé", "L'événement est annulé."),
        Column("page", "string", "Page", "Sa page sur le site.", format="uri"),
    ),
    primary_key="identifiant",
    queryset=_events,
    row=_event_row,
    filters=("periode", "type"),
    id_prefix="evenement-",
)  # fmt: skip


# --- Projects -------------------------------------------------------------------------------


def _projects(filters: Filters):
    projects = (
        Project.objects.published()
        .select_related("group")
        .prefetch_related(Prefetch("structures", Structure.objects.only("pk", "slug")))
        .order_by("slug")
    )
    if filters.group:
        projects = projects.filter(group__slug=filters.group)
    return projects


def _project_row(project: Project) -> dict:
    return {
        "identifiant": project.slug,
        "nom": project.name,
        "groupe": project.group.slug if project.group else "",
        "etat": project.status,
        "etat_libelle": project.get_status_display(),
        "resume": project.summary,
        "structures": _slugs(project.structures.all()),
    }


PROJECTS = Dataset(
    name="projets",
    title="Projets",
    description="Les projets accompagnés par les groupes de travail et publiés sur le site.",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable.", required=True),
        Column("nom", "string", "Nom", "Nom du projet.", required=True),
        Column("groupe", "string", "Groupe", "Identifiant du groupe de travail qui "
               "l'accompagne (vide : aucun)."),
        Column("etat", "string", "État", "Code de l'état du projet.",
               enum=tuple(Project.Status.values)),
        Column("etat_libelle", "string", "État (libellé)", "L'état en toutes lettres."),
        Column("resume", "string", "Résumé", "Une phrase."),
        Column("structures", "string", "Structures porteuses",
               "Identifiants des structures qui le portent, séparés par des espaces."),
    ),
    primary_key="identifiant",
    queryset=_projects,
    row=_project_row,
    filters=("groupe",),
)  # fmt: skip


# --- Figures --------------------------------------------------------------------------------


def _indicators(filters: Filters):
    return list(figures.FIGURES)


def _indicator_row(figure: figures.Figure) -> dict:
    return {
        "identifiant": figure.key,
        "libelle": figure.label,
        "definition": figure.explanation,
        "decimales": figure.decimals,
        "declare": bool(figure.declared_field),
    }


INDICATORS = Dataset(
    name="indicateurs",
    title="Définitions des chiffres",
    description="Chaque chiffre du bilan annuel : ce qu'il compte et comment il est calculé.",
    columns=(
        Column("identifiant", "string", "Identifiant", "Identifiant stable du chiffre.",
               required=True),
        Column("libelle", "string", "Libellé", "Ce que le chiffre compte.", required=True),
        Column("definition", "string", "Définition", "Comment il est calculé."),
        Column("decimales", "integer", "Décimales", "Nombre de décimales publiées."),
        Column("declare", "boolean", "Déclaré", "L'association publie aussi ce chiffre "
               "elle-même (sa déclaration annuelle)."),
    ),
    primary_key="identifiant",
    queryset=_indicators,
    row=_indicator_row,
)  # fmt: skip


def figure_years(filters: Filters | None = None) -> list[int]:
    """The complete years (the current one is still going) from the first the association
    declared or the portal recorded: no row of zeros for the years before the PTCE."""
    declared = YearlyFigures.objects.published().aggregate(first=Min("year"))["first"]
    recorded = figures.records_begin()
    starts = [year for year in (declared, recorded and recorded.year) if year]
    if not starts:
        return []
    years = range(min(starts), figures.latest_complete_year() + 1)
    if filters is not None and filters.year:
        return [filters.year] if filters.year in years else []
    return list(years)


def _figures(filters: Filters):
    by_year = figures.figures_for_years(figure_years(filters))
    return [value for year in sorted(by_year) for value in by_year[year].values]


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _figure_row(value: figures.FigureValue) -> dict:
    return {
        "identifiant": f"{value.year}-{value.figure.key}",
        "annee": value.year,
        "indicateur": value.figure.key,
        "valeur_calculee": _number(value.computed),
        "valeur_declaree": _number(value.declared),
        "valeur_publiee": _number(value.shown),
        "origine": "declaree" if value.is_declared else "calculee",
    }


FIGURES = Dataset(
    name="chiffres",
    title="Chiffres annuels",
    description="Les chiffres de chaque année complète : calculés à partir des "
    "enregistrements du portail, déclarés par l'association, et celui que le bilan publie.",
    columns=(
        Column("identifiant", "string", "Identifiant", "Année et chiffre.", required=True),
        Column("annee", "integer", "Année", "Année civile.", required=True),
        Column("indicateur", "string", "Indicateur", "Identifiant du chiffre (voir "
               "« indicateurs »).", required=True),
        Column("valeur_calculee", "number", "Valeur calculée",
               "Ce que donnent les enregistrements du portail."),
        Column("valeur_declaree", "number", "Valeur déclarée",
               "Ce que l'association a déclaré (vide : pas de déclaration)."),
        Column("valeur_publiee", "number", "Valeur publiée", "Celle que le bilan montre : "
               "calculée quand les enregistrements couvrent l'année, déclarée sinon."),
        Column("origine", "string", "Origine", "« calculee » ou « declaree ».",
               enum=("calculee", "declaree")),
    ),
    primary_key="identifiant",
    queryset=_figures,
    row=_figure_row,
    filters=("periode",),
    foreign_keys=(("indicateur", "indicateurs", "identifiant"),),
)  # fmt: skip


DATASETS = (STRUCTURES, GROUPS, MEETINGS, EVENTS, PROJECTS, INDICATORS, FIGURES)
BY_NAME = {dataset.name: dataset for dataset in DATASETS}


def page_url(name: str) -> str:
    return reverse("opendata:index") + f"#{name}"
