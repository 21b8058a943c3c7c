"""Public pages of the events: the list, a page per event with its programme, its calendar
file; registration to an event or a session, and each person's own registration page."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, FormView, ListView, TemplateView

from association import calendars, formats, structured_data
from association.identity import get_site_identity, site_url
from association.page_cache import cached_page, changes_at, page_number, public_form, text
from association.ratelimit import refuse_public_form
from association.signed_links import invalid_link_page
from events import services
from events.forms import RegistrationForm
from events.models import Event, Registration, Session, SessionSpeaker
from members.models import Structure

PAST_PER_PAGE = 12


@cached_page(structure=text, page=page_number)
class EventListView(ListView):
    """Upcoming events first (all of them), then past ones, a page at a time; with
    `?structure=<slug>`, only those the structure organises or leads a session of (the link
    from its page). An unknown structure is a 404 that says so, never stored."""

    template_name = "events/event_list.html"
    context_object_name = "past_events"
    paginate_by = PAST_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.structure = None
        slug = request.GET.get("structure")
        if slug:
            self.structure = Structure.objects.filter(slug=slug).first()
            if self.structure is None:
                return render(request, "events/unknown_structure.html", {"slug": slug}, status=404)
        return super().get(request, *args, **kwargs)

    def events(self):
        events = Event.objects.published().select_related("venue")
        return events.involving(self.structure) if self.structure else events

    def get_queryset(self):
        return self.events().past()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming_events=self.events().upcoming(),
            structure=self.structure,
            **kwargs,
        )


def programme(sessions: list[Session]) -> list[tuple[str, list[Session]]]:
    """Sessions grouped under « Matin », « Après-midi », « Soirée », each part in the
    programme's order. A session whose part of the day is not given belongs with the one
    before it (a testimony between the morning's speeches reads as part of the morning);
    with no part given at all, there is a single group without a heading."""
    labels = dict(Session.PartOfDay.choices)
    rank = {value: index for index, value in enumerate(labels)}
    current = next((s.part_of_day for s in sessions if s.part_of_day), "")
    parts = []
    for session in sessions:
        current = session.part_of_day or current
        parts.append(current)
    grouped: dict[str, list[Session]] = {}
    for part, session in sorted(
        zip(parts, sessions, strict=True), key=lambda pair: rank.get(pair[0], -1)
    ):
        grouped.setdefault(part, []).append(session)
    return [(labels.get(part, ""), items) for part, items in grouped.items()]


@cached_page()
class EventDetailView(DetailView):
    """An event: date, place, organisers, programme. Unpublished events do not exist here."""

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        speakers = SessionSpeaker.objects.select_related("person", "structure").order_by(
            "order", "pk"
        )
        sessions = (
            Session.objects.select_related("facilitator")
            .with_registration_counts()
            .prefetch_related(Prefetch("speakers", queryset=speakers))
            .order_by("order", "pk")
        )
        return (
            Event.objects.published()
            .with_registration_counts()
            .select_related("venue")
            .prefetch_related("organisers", Prefetch("sessions", queryset=sessions))
        )

    def get_context_data(self, **kwargs):
        event = self.object
        request = self.request
        # The registration form is the same for everyone but its CSRF token: the page is cached,
        # until the event ends and the form goes.
        public_form(request)
        takes_registrations = event.takes_registrations()
        if takes_registrations:
            changes_at(request, event.ends_at())
        return super().get_context_data(
            programme=programme(list(event.sessions.all())),
            is_past=event.date < timezone.localdate(),
            takes_registrations=takes_registrations,
            registration_form=RegistrationForm(),
            jsonld=structured_data.event_data(
                name=event.title,
                url=request.build_absolute_uri(event.get_absolute_url()),
                date=event.date,
                start=event.start_time,
                end=event.end_time,
                venue=event.venue,
                description=event.summary,
                cancelled=event.is_cancelled,
                site=get_site_identity(request),
                home_url=request.build_absolute_uri(reverse("site:home")),
                organisers=list(event.organisers.all()),
            ),
            **kwargs,
        )


@cached_page()
@require_safe
def event_ics(request, slug):
    """One event as a file to add to a calendar."""
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    origin = calendars.calendar_origin(site_url(), get_site_identity(request))
    calendar = calendars.build_calendar(
        origin=origin,
        path=request.path,
        key=f"event-{event.pk}",
        name=event.title,
        description=event.summary or event.title,
        components=[calendars.event_component(event, origin=origin)],
    )
    return calendars.calendar_response(calendar, f"{event.slug}.ics", download=True)


# --- Registration ------------------------------------------------------------------------------

SENT_SESSION_KEY = "events:registration_sent"


@cached_page()  # stored only without a form: registrations closed or full
class RegistrationCreateView(FormView):
    """Name and address for an event (or one session of its programme); the registration
    counts once the address is confirmed through the link mailed to it."""

    template_name = "events/registration_form.html"
    form_class = RegistrationForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        events = Event.objects.published().with_registration_counts().select_related("venue")
        self.event = get_object_or_404(events, slug=kwargs["slug"])
        self.session = None
        if "session_pk" in kwargs:
            self.session = get_object_or_404(
                Session.objects.with_registration_counts(),
                pk=kwargs["session_pk"],
                event=self.event,
            )
        target = self.session or self.event
        if not target.registration_open:
            raise Http404("No registration here.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            session=self.session,
            target=self.session or self.event,
            takes_registrations=self.event.takes_registrations(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if refused := refuse_public_form(request, "events:registration"):
            return refused
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.cleaned_data["website"]:
            # A robot filled the honeypot: it reads the same answer, nothing is saved.
            return self.sent(form.cleaned_data["email"])
        try:
            services.register(
                event=self.event,
                session=self.session,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                site_url=site_url(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.sent(form.cleaned_data["email"])

    def sent(self, email: str):
        self.request.session[SENT_SESSION_KEY] = email
        return redirect("events:registration_sent", slug=self.event.slug)


class RegistrationSentView(TemplateView):
    template_name = "events/registration_sent.html"

    def get_context_data(self, **kwargs):
        event = get_object_or_404(Event.objects.published(), slug=self.kwargs["slug"])
        # Shown once: the address does not linger in the session store.
        email = self.request.session.pop(SENT_SESSION_KEY, None)
        return super().get_context_data(event=event, email=email, **kwargs)


INVALID_LINK_STATUS = {"forged": 400, "unknown": 404, "expired": 410, "cancelled": 410}


def _invalid_link_page(request, invalid: services.InvalidLink):
    event = invalid.registration.event if invalid.registration else None
    if invalid.reason == "cancelled":
        heading = "Cet événement est annulé"
        when = formats.when(event.date, event.start_time, event.end_time)
        message = (
            f"« {event.title} », prévu le {when}, n'aura pas lieu. Votre inscription n'a plus "
            "d'objet : vous n'avez rien à faire."
        )
    elif invalid.reason == "expired":
        heading = "Ce lien a expiré"
        message = f"« {event.title} » est terminé : ce lien d'inscription ne sert plus."
    elif invalid.reason == "unknown":
        heading = "Cette inscription n'existe plus"
        message = (
            "Le lien est correct, mais l'inscription qu'il désigne a été effacée. Pour vous "
            "inscrire, passez par la page de l'événement."
        )
    else:
        heading = "Ce lien n'est pas valide"
        message = (
            "Il a peut-être été coupé ou modifié en route. Copiez-le en entier depuis l'e-mail "
            "reçu, ou inscrivez-vous de nouveau depuis la page de l'événement."
        )
    return invalid_link_page(
        request,
        heading=heading,
        message=message,
        back_url=event.get_absolute_url() if event else reverse("events:event_list"),
        back_label="Voir l'événement" if event else "Voir les événements",
        status=INVALID_LINK_STATUS[invalid.reason],
    )


class RegistrationManageView(View):
    """The page a personal link opens. Opening it never changes anything (mail scanners open
    links): confirming and cancelling are buttons, which POST here."""

    template_name = "events/registration_manage.html"

    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.registration = services.registration_from_token(token)
        except services.InvalidLink as invalid:
            return _invalid_link_page(request, invalid)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.show()

    def post(self, request, *args, **kwargs):
        action = {"confirm": services.confirm_registration, "cancel": services.cancel_registration}
        chosen = action.get(request.POST.get("action", ""))
        if chosen is None:
            return self.show(status=400, error="Choisissez une action sur cette page.")
        try:
            chosen(registration=self.registration, site_url=site_url())
        except ValidationError as error:
            return self.show(status=400, error=" ".join(error.messages))
        return redirect(request.path)

    def show(self, *, status: int = 200, error: str = ""):
        registration = self.registration
        registration.refresh_from_db()
        return render(
            self.request,
            self.template_name,
            {
                "registration": registration,
                "event": registration.event,
                "session": registration.session,
                "error": error,
                "position": (
                    registration.waiting_position()
                    if registration.status == Registration.Status.WAITING
                    else None
                ),
            },
            status=status,
        )
