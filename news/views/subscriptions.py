"""Subscribing (double opt-in), confirming, unsubscribing, and the « Mon espace » box.

The subscribe form stands on every page (footer), on the home page and on the issues' pages,
all of them cached for anonymous visitors: it carries no CSRF token, and its view is exempt.
Forging a subscription from another site achieves no more than typing someone's address in the
form: one confirmation mail, rate-limited, and nothing else until its link is opened."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from association.page_cache import cached_page
from association.ratelimit import refuse_public_form
from association.signed_links import invalid_link_page
from news.forms import SubscribeForm
from news.models import Subscriber
from news.services import subscriptions
from space.session import person_required, signed_in_person

RATE_PREFIX = "news:subscribe-rate"


@cached_page()
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET: the form. POST: the same answer whatever the address (known, confirmed,
    unsubscribed or new), and for a robot (honeypot) too: « check your inbox »."""
    if request.method != "POST":
        return render(request, "news/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "news/subscribe.html", {"form": form}, status=400)
    if (refused := refuse_public_form(request, RATE_PREFIX)) is not None:
        return refused
    if not form.cleaned_data["website"]:
        subscriptions.request_subscription(email=form.cleaned_data["email"])
    return redirect("news:subscription_sent")


@cached_page()
def subscription_sent(request):
    return render(request, "news/subscription_sent.html")


def _invalid(request):
    return invalid_link_page(
        request,
        heading="Ce lien ne fonctionne pas",
        message="Il est incomplet ou a été modifié, ou l'abonnement n'existe plus. Vous pouvez "
        "vous abonner de nouveau.",
        back_url=reverse("news:subscribe"),
        back_label="S'abonner à la lettre",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """GET shows one button, POST confirms: a mail scanner that opens every link must not
    subscribe anyone in their place."""
    subscriber = subscriptions.subscriber_of_token(token, salt=subscriptions.CONFIRM_SALT)
    if subscriber is None:
        return _invalid(request)
    if request.method == "POST":
        subscriber = subscriptions.confirm_subscription(subscriber=subscriber)
        return render(request, "news/subscription_confirmed.html", {"subscriber": subscriber})
    return render(request, "news/subscription_confirm.html", {"subscriber": subscriber})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET shows one button; POST unsubscribes, from that button or from the mail client's
    « se désabonner » (RFC 8058 one-click: a POST « List-Unsubscribe=One-Click », without
    cookie nor CSRF token, hence exempt; the signed link is the proof)."""
    subscriber = subscriptions.subscriber_of_token(token, salt=subscriptions.UNSUBSCRIBE_SALT)
    if subscriber is None:
        return _invalid(request)
    return _unsubscribe_page(request, subscriber)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_address(request, token: str):
    """The link of a test mail (`subscriptions.address_unsubscribe_url`): the address's
    subscription if it has one, as by its own link; else a page saying it has none, whatever
    the method (a mail client's one-click POST changes nothing)."""
    address = subscriptions.address_of_token(token)
    if address is None:
        return _invalid(request)
    subscriber = Subscriber.objects.with_address(address).first()
    if subscriber is None:
        return render(request, "news/unsubscribe.html", {"address": address, "subscriber": None})
    return _unsubscribe_page(request, subscriber)


def _unsubscribe_page(request, subscriber: Subscriber):
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber=subscriber)
        return render(request, "news/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "news/unsubscribe.html", {"subscriber": subscriber})


@person_required
def space_box(request):
    """« Mon espace »: the partner's subscription, on or off, in one click."""
    person = signed_in_person(request)
    subscriber = Subscriber.objects.with_address(person.email).first() if person.email else None
    subscribed = subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED
    return render(request, "news/space_box.html", {"person": person, "subscribed": subscribed})


@require_POST
@person_required
def space_toggle(request):
    person = signed_in_person(request)
    if person.email:
        subscriber = Subscriber.objects.with_address(person.email).first()
        if request.POST.get("subscribe"):
            subscriptions.subscribe_signed_in_person(person=person)
        elif subscriber is not None:
            subscriptions.unsubscribe(subscriber=subscriber)
    return redirect("news:space_box")
