"""The public join-us form and its confirmation."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from association.identity import site_url
from association.page_cache import cached_page, not_stored, per_visit, public_form, text
from association.ratelimit import rate_limited_page
from audit.context import audit_context, visitor_label
from groups.models import WorkingGroup
from joining.antispam import (
    count_submission,
    is_filled_too_fast,
    is_rate_limited,
    issue_form_token,
    read_form_token,
)
from joining.forms import JoinRequestForm
from joining.models import JoinRequest
from joining.services import DuplicateSubmissionError, submit_join_request
from members.privacy import retention_periods

DONE_SESSION_KEY = "joining:join_done"

REFUSED_MESSAGE = (
    "Votre demande n'a pas pu être envoyée. Vérifiez le formulaire, puis envoyez-le de "
    "nouveau dans quelques secondes."
)
CONFIRM_MESSAGE = (
    "Votre demande n'est pas encore envoyée\u00a0: le formulaire a été rempli très vite, "
    "peut-être par votre navigateur. Vérifiez vos réponses ci-dessous, puis cliquez sur "
    "«\u00a0Confirmer l'envoi\u00a0»."
)
EXPIRED_MESSAGE = (
    "Ce formulaire a expiré. Vos réponses sont conservées\u00a0: vérifiez-les, puis envoyez-le "
    "de nouveau."
)


@cached_page(groupe=text)
class JoinView(FormView):
    """Post/redirect/get. Before the form is even looked at: a token already used leads to its
    confirmation, an address over its allowance gets a 429 page, a robot (honeypot, too fast)
    gets a neutral message. Nothing is saved in those cases."""

    template_name = "joining/join.html"
    form_class = JoinRequestForm

    def get_initial(self):
        # A new token at each visit, even when the page comes from the cache (ptce/cache.py).
        public_form(self.request)
        token = per_visit(self.request, issue_form_token(), issue_form_token)
        initial = {"form_token": token, "applicant_kind": "person"}
        # « Rejoindre ce groupe » on a group's page links here with `?groupe=<slug>`: that
        # group comes ticked. An unknown or former group is ignored: the form is just blank.
        slug = self.request.GET.get("groupe", "")
        if slug:
            group = WorkingGroup.objects.active().filter(slug=slug).only("pk").first()
            if group is not None:
                initial.update(wants_groups=True, groups=[group.pk])
            else:
                not_stored(self.request)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["periods"] = retention_periods()
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        token = read_form_token(request.POST.get("form_token", ""))
        if token is not None:
            existing = JoinRequest.objects.filter(form_token=token.value).first()
            if existing is not None:
                return self.confirm(existing)
        if is_rate_limited(request):
            return rate_limited_page(request, window=settings.JOIN_RATE_WINDOW)
        if request.POST.get("website"):
            count_submission(request)
            return self.refuse(form, REFUSED_MESSAGE)
        if token is not None and is_filled_too_fast(token):
            count_submission(request)
            return self.ask_to_confirm(form)
        if token is None:
            return self.refuse(form, EXPIRED_MESSAGE)
        if not form.is_valid():
            return self.form_invalid(form)
        data = form.request_data()
        try:
            # The visitor, by the name they typed, is the author in the audit trail.
            with audit_context(actor_label=visitor_label(data)):
                join_request = submit_join_request(
                    data=data, form_token=token.value, site_url=site_url()
                )
        except DuplicateSubmissionError as duplicate:
            return self.confirm(duplicate.join_request)
        count_submission(request)
        return self.confirm(join_request)

    def respond(self, template_name, *, status, **context):
        return self.response_class(
            request=self.request,
            template=[template_name],
            context=self.get_context_data(**context),
            using=self.template_engine,
            status=status,
        )

    def refuse(self, form, message):
        """Show the form again, answers kept (but not the honeypot), with a fresh token."""
        initial = {
            name: form[name].data
            for name in form.fields
            if name not in ("website", "form_token", "consent")
        }
        initial["form_token"] = issue_form_token()
        fresh = self.get_form_class()(initial=initial)
        return self.respond(self.template_name, status=400, form=fresh, refused_message=message)

    def ask_to_confirm(self, form):
        """Show the form again with every answer kept (the consent too: the visitor ticked
        it), and a token that lets it through once confirmed."""
        initial = {name: form[name].data for name in form.fields if name != "website"}
        initial["form_token"] = issue_form_token(confirmed=True)
        fresh = self.get_form_class()(initial=initial)
        return self.respond(
            self.template_name,
            status=400,
            form=fresh,
            refused_message=CONFIRM_MESSAGE,
            confirming=True,
        )

    def confirm(self, join_request):
        self.request.session[DONE_SESSION_KEY] = {
            "first_name": join_request.first_name,
            "email": join_request.email,
            "wishes": join_request.wishes,
        }
        return redirect(reverse("joining:join_done"))


class JoinDoneView(TemplateView):
    template_name = "joining/join_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Shown once: the visitor's name and e-mail do not linger in the session store.
        context["summary"] = self.request.session.pop(DONE_SESSION_KEY, None)
        return context
