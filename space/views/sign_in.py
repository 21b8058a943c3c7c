"""Signing in to the partners' space, and out.

The form answers the same page whatever the address, after the same work: it checks the form
and the client's limit, then enqueues one task that does the rest (`request_sign_in_link`).
Known or not, a link sent or held back by the address's limit: neither the page nor its delay
tells (only too many requests from one client get their own page, 429). Opening the link (GET)
changes nothing — mail scanners open links — a button signs in (POST)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from association.identity import site_url
from space import limits
from space.forms import SignInForm
from space.services.sign_in import (
    LinkProblem,
    check_link,
    lifetimes,
    request_sign_in_link,
    use_link,
)
from space.session import safe_next, sign_in, sign_out, signed_in_person

PROBLEMS = {
    LinkProblem.INVALID: "Ce lien n'est pas valable\u00a0: il a peut-être été coupé en deux par "
    "votre messagerie. Demandez-en un nouveau ci-dessous.",
    LinkProblem.EXPIRED: "Ce lien a expiré (il n'est valable que {minutes}\u00a0minutes). "
    "Demandez-en un nouveau ci-dessous.",
    LinkProblem.USED: "Ce lien a déjà servi (il n'est valable qu'une fois). Demandez-en un "
    "nouveau ci-dessous.",
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_form(request):
    if request.method == "GET" and signed_in_person(request):
        return redirect("space:home")
    form = SignInForm(request.POST or None)
    context = {"form": form, "next": request.GET.get("suivant", ""), "lifetimes": lifetimes()}
    if request.method == "POST":
        if not limits.client_may_ask(request):
            return render(request, "space/sign_in.html", {**context, "limited": True}, status=429)
        if form.is_valid():
            email = form.cleaned_data["email"]
            # Where the visitor was going (a reserved document, a meeting), if it is here.
            next_path = safe_next(request, request.GET.get("suivant"))
            request_sign_in_link(
                email=email,
                site_url=site_url(),
                next_path="" if next_path == reverse("space:home") else next_path,
            )
            return render(
                request, "space/sign_in_sent.html", {"email": email, "lifetimes": lifetimes()}
            )
    return render(request, "space/sign_in.html", context)


def _problem(request, problem: LinkProblem, status: int = 400):
    message = PROBLEMS[problem].format(minutes=settings.SPACE_LINK_MINUTES)
    return render(
        request,
        "space/sign_in.html",
        {"form": SignInForm(), "problem": message, "next": "", "lifetimes": lifetimes()},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link(request, token):
    check = check_link(token)
    if check.problem is not None:
        return _problem(
            request, check.problem, 400 if check.problem is LinkProblem.INVALID else 410
        )
    if request.method != "POST":
        return render(request, "space/sign_in_link.html", {"person": check.link.person})
    used = use_link(token)
    if used.problem is not None:
        return _problem(request, used.problem, 410)
    sign_in(request, used.link.person)
    messages.success(request, f"Bienvenue, {used.link.person.first_name}\u00a0!")
    return redirect(safe_next(request, request.POST.get("suivant")))


@never_cache
@require_POST
def sign_out_view(request):
    sign_out(request)
    messages.success(request, "Vous êtes déconnecté·e de votre espace.")
    return redirect("space:sign_in")
