"""The structures directory: every member and partner structure, filterable, each with its
page."""

from django import forms
from django.db.models import Count, Prefetch, Q, Window
from django.views.generic import DetailView, ListView

from association.page_cache import cached_page, not_stored, page_number, text, ticked
from events.models import Event
from groups.forms import GroupFilterField
from groups.models import Project, WorkingGroup
from members.models import Structure, structure_member_year
from report import network

PER_PAGE = 30
# A structure's page lists its next events and its last ones, with how many there are in all:
# a structure that speaks at every event of ten years (the sample one at 100x: 500) would
# otherwise make a page as long as the agenda.
UPCOMING_SHOWN = 5
PAST_SHOWN = 3


def member_year() -> int:
    """The year the directory calls « membre » (`members.models.structure_member_year`)."""
    return structure_member_year()


def _groups():
    return Prefetch(
        "working_groups",
        queryset=WorkingGroup.objects.only("pk", "slug", "name", "is_active").order_by(
            "order", "name"
        ),
    )


class StructureFilterForm(forms.Form):
    """GET filters of the directory: they work without JavaScript and can be bookmarked."""

    type = forms.ChoiceField(
        label="Type de structure",
        choices=[("", "Tous les types"), *Structure.Kind.choices],
        required=False,
    )
    groupe = GroupFilterField()
    membres = forms.BooleanField(label="Seulement les membres de l'année", required=False)


@cached_page(type=text, groupe=text, membres=ticked, page=page_number)
class StructureListView(ListView):
    template_name = "ptce/structure_list.html"
    context_object_name = "structures"
    paginate_by = PER_PAGE

    def get_queryset(self):
        self.year = member_year()
        self.form = StructureFilterForm(self.request.GET or None)
        structures = (
            Structure.objects.with_is_member(self.year)
            .prefetch_related(_groups())
            .order_by("name", "pk")
        )
        if self.form.is_bound and not self.form.is_valid():
            not_stored(self.request)  # a filter no link gives: shown unfiltered, not kept
        if self.form.is_bound and self.form.is_valid():
            data = self.form.cleaned_data
            if data["type"]:
                structures = structures.filter(kind=data["type"])
            if data["groupe"]:
                group = data["groupe"]
                structures = structures.filter(
                    Q(working_groups=group) | Q(group_leads__group=group)
                ).distinct()
            if data["membres"]:
                structures = structures.filter(is_member=True)
        return structures

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            year=self.year,
            filtered=self.form.is_bound and self.form.has_changed(),
            **kwargs,
        )


def _events(structure: Structure) -> tuple[list[Event], list[Event]]:
    """The published events `structure` organises or leads a session of: the next
    `UPCOMING_SHOWN` and the last `PAST_SHOWN`, each annotated with `involved_total`, how many
    upcoming (or past) ones there are in all. Two queries whatever their number; the others
    are in the events list filtered on the structure (`?structure=<slug>`)."""
    involved = Event.objects.published().involving(structure)
    counted = {"involved_total": Window(Count("*"))}
    return (
        list(involved.upcoming().annotate(**counted)[:UPCOMING_SHOWN]),
        list(involved.past().annotate(**counted)[:PAST_SHOWN]),
    )


@cached_page()
class StructureDetailView(DetailView):
    """A structure: what it is, whether it is a member this year, its groups and projects,
    and its own small network (its groups, its cooperations and their partners)."""

    template_name = "ptce/structure_detail.html"
    context_object_name = "structure"

    def get_queryset(self):
        self.year = member_year()
        return Structure.objects.with_is_member(self.year)

    def get_context_data(self, **kwargs):
        structure = self.object
        groups = (
            WorkingGroup.objects.filter(
                Q(participant_structures=structure) | Q(leads__structure=structure)
            )
            .distinct()
            .order_by("-is_active", "order", "name")
        )
        projects = (
            Project.objects.published()
            .filter(structures=structure)
            .select_related("group")
            .order_by("name")
        )
        upcoming, past = _events(structure)
        around = network.build_network(structure=structure)
        return super().get_context_data(
            year=self.year,
            groups=groups,
            projects=projects,
            upcoming_events=upcoming,
            past_events=past,
            upcoming_total=upcoming[0].involved_total if upcoming else 0,
            past_total=past[0].involved_total if past else 0,
            network=around,
            cooperations=next(
                (e.cooperations for e in around.entries if e.structure.pk == structure.pk), []
            ),
            drawing=network.draw(around, detail_id="reseau-structure"),
            **kwargs,
        )
