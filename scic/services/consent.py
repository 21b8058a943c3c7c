"""Recording an associate's agreement to be convened by e-mail, and its withdrawal, and what
that agreement means for a convocation. The rule « Convocation par voie électronique sur
accord préalable de l'associé » decides whether it is asked for at all."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.registry import update_logged
from scic.models import Associate, Attendance, ConvocationConsent, Rule
from scic.models.consent import same_address

ByPost = Attendance.ByPost


def consent_required() -> bool:
    """Whether a convocation by e-mail needs the associate's prior agreement (the rule is on)."""
    return Rule.objects.applies(Rule.Code.EMAIL_CONVOCATION_CONSENT)


def _who(user) -> str:
    return getattr(user, "get_username", lambda: "")() if user is not None else ""


def _not_in_the_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{what} ne peut pas être daté d'un jour à venir.")


def record_consent(
    *,
    associate: Associate,
    given_on: datetime.date,
    method: str,
    email: str,
    note: str = "",
    recorded_by=None,
) -> ConvocationConsent:
    """Record the associate's agreement to be convened by e-mail at `email`. Refused while
    another is in force: its withdrawal is recorded first, so each stays in the history."""
    _not_in_the_future(given_on, "L'accord")
    if not email.strip():
        raise ValidationError("Indiquez l'adresse e-mail que couvre l'accord.")
    if method == ConvocationConsent.Method.OTHER and not note.strip():
        raise ValidationError("Précisez la forme de l'accord.")
    with transaction.atomic():
        associate = Associate.objects.select_for_update().get(pk=associate.pk)
        current = associate.convocation_consents.in_force().first()
        if current is not None:
            raise ValidationError(
                f"Un accord est déjà en vigueur ({current})\u00a0: enregistrez d'abord son "
                "retrait, puis le nouvel accord."
            )
        consent = ConvocationConsent(
            associate=associate,
            given_on=given_on,
            method=method,
            email=email.strip(),
            note=note,
            recorded_by=_who(recorded_by),
        )
        consent.full_clean()
        consent.save()
    return consent


def withdraw_consent(
    *, associate: Associate, on: datetime.date, note: str = ""
) -> ConvocationConsent:
    """Record that the associate withdrew their agreement on `on`: their next convocations go
    by post. What was already sent stays sent."""
    _not_in_the_future(on, "Le retrait")
    with transaction.atomic():
        consent = (
            ConvocationConsent.objects.select_for_update()
            .filter(associate=associate)
            .in_force()
            .first()
        )
        if consent is None:
            raise ValidationError("Aucun accord en vigueur à retirer pour cet associé.")
        if on < consent.given_on:
            raise ValidationError(
                f"Le retrait ne peut pas précéder l'accord (donné le {consent.given_on:%d/%m/%Y})."
            )
        # Logged like a save: the trail keeps the consent as it was and its withdrawal.
        update_logged(
            ConvocationConsent.objects.filter(pk=consent.pk), withdrawn_on=on, withdrawal_note=note
        )
        consent.refresh_from_db()
    return consent


def why_by_post(*, email: str, consent: ConvocationConsent | None, required: bool) -> str:
    """Why a convocation to `email` (empty: the portal knows none) goes by post (`ByPost`), or
    "" when it goes by e-mail: `consent` is the associate's in force (or None), `required`
    whether the rule asks for one (`consent_required()`)."""
    if not email:
        return ByPost.NO_ADDRESS
    if not required:
        return ""
    if consent is None:
        return ByPost.NO_CONSENT
    if not same_address(consent.email, email):
        return ByPost.OTHER_ADDRESS
    return ""


def convocation_route(associate: Associate) -> str:
    """Where the associate's next convocation goes and why, in a sentence for their page."""
    email, _ = associate.convocation_address()
    consent = associate.convocation_consents.in_force().first()
    required = consent_required()
    reason = why_by_post(email=email, consent=consent, required=required)
    if reason == ByPost.NO_ADDRESS:
        return f"Par courrier\u00a0: {ByPost.NO_ADDRESS.label}."
    if reason == ByPost.NO_CONSENT:
        return f"Par courrier\u00a0: {ByPost.NO_CONSENT.label} (l'e-mail partirait à {email})."
    if reason == ByPost.OTHER_ADDRESS:
        return (
            f"Par courrier\u00a0: l'accord porte sur {consent.email}, la convocation partirait à "
            f"{email}. Enregistrez le retrait puis un accord pour cette adresse, ou corrigez "
            "l'adresse."
        )
    if not required:
        return f"Par e-mail à {email} (la règle de l'accord préalable n'est pas appliquée)."
    return f"Par e-mail à {email} (accord du {consent.given_on:%d/%m/%Y})."
