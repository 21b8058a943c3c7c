"""The associate's side of a convocation: the reply page and the calendar entry, reached by
the signed link of the mail (no account needed)."""

import datetime

import icalendar
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from association import formats
from association.calendars import build_calendar, calendar_response, uid_host
from scic.forms import ReplyForm
from scic.services.assembly import attendance_from_token, set_attendance


def _attendance(token: str):
    attendance = attendance_from_token(token)
    if attendance is None:
        raise Http404("Lien de réponse inconnu.")
    return attendance


class ReplyView(FormView):
    template_name = "scic/reply.html"
    form_class = ReplyForm

    def dispatch(self, request, *args, **kwargs):
        self.attendance = _attendance(kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "attendance": self.attendance}

    def get_initial(self):
        if self.attendance.status == self.attendance.Status.INVITED:
            return {}
        return {"status": self.attendance.status, "proxy_holder": self.attendance.proxy_holder}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "attendance": self.attendance,
            "assembly": self.attendance.assembly,
            "closed": self.attendance.assembly.date < timezone.localdate(),
        }

    def form_valid(self, form):
        try:
            set_attendance(
                attendance=self.attendance,
                status=form.cleaned_data["status"],
                proxy_holder=form.cleaned_data["proxy_holder"],
                from_reply=True,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Merci, votre réponse est enregistrée.")
        return redirect(self.request.path)


def assembly_ics(request, token: str):
    """The assembly as a calendar entry to open in the associate's agenda."""
    assembly = _attendance(token).assembly
    begins, ends = _span(assembly)
    component = icalendar.Event.new(
        uid=f"scic-assembly-{assembly.pk}@{uid_host(request)}",
        summary=assembly.title,
        start=begins,
        end=ends,
        stamp=assembly.updated_at,
        sequence=assembly.sequence,
        status="CANCELLED" if assembly.is_cancelled else "CONFIRMED",
        description=formats.typography("Ordre du jour :\n" + "\n".join(assembly.agenda_items)),
    )
    if assembly.venue is not None:
        component.add("LOCATION", assembly.venue.full_address)
    calendar = build_calendar(
        request=request,
        key=f"scic-assembly-{assembly.pk}",
        name=assembly.title,
        description=str(assembly),
        components=[component],
    )
    return calendar_response(calendar, f"assemblee-{assembly.date:%Y-%m-%d}.ics", download=True)


def _span(assembly):
    if assembly.start_time is None:
        return assembly.date, assembly.date + datetime.timedelta(days=1)
    zone = timezone.get_default_timezone()
    begins = datetime.datetime.combine(assembly.date, assembly.start_time, tzinfo=zone)
    if assembly.end_time is None:
        return begins, begins + datetime.timedelta(hours=3)
    return begins, datetime.datetime.combine(assembly.date, assembly.end_time, tzinfo=zone)
