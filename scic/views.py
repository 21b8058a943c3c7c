"""The associate's side of a convocation: the reply page and the calendar entry, reached by
the signed link of the mail (no account needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView

from association.calendars import calendar_response
from association.identity import site_url
from scic.forms import ReplyForm
from scic.services.assembly import set_attendance
from scic.services.convocations import (
    assembly_calendar,
    assembly_calendar_filename,
    attendance_from_token,
)


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
            "closed": self.attendance.assembly.replies_closed,
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
    calendar = assembly_calendar(assembly, site_url=site_url())
    return calendar_response(calendar, assembly_calendar_filename(assembly), download=True)
