"""The statutory checks: each rule of `Rule.objects.composition()` measured on the register as
`scic.services.reading.register_on` reads it (the printed register's own reading, corrections
included). A fixed handful of queries, whatever the size of the register."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from association.formats import enumerate_in_french, euros, percent
from scic.models import Category, College, ConvocationConsent, Rule, VoteCount
from scic.services.assembly import quorum
from scic.services.reading import RegisterStatement, Subscription, register_on

LegalKind = Category.LegalKind
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Check:
    """One rule, what the register shows for it, and whether it holds."""

    rule: Rule
    value: str
    holds: bool


def evaluate_rules(*, on: datetime.date | None = None) -> list[Check]:
    """Every composition rule in force, measured on the register as it stood on `on` (default
    today)."""
    on = on or timezone.localdate()
    rules = list(Rule.objects.composition())
    if not rules:
        return []
    statement = register_on(on)
    associates = [
        {
            "category__legal_kind": line.category.legal_kind,
            "category__name": line.category.name,
            "capital": line.capital,
        }
        for line in statement.present
    ]
    measures = {
        Rule.Code.MIN_CATEGORIES: lambda rule: _min_categories(rule, associates),
        Rule.Code.REQUIRED_CATEGORIES: lambda rule: _required_categories(rule, associates),
        Rule.Code.ONE_MEMBER_ONE_VOTE: lambda rule: _one_member_one_vote(rule),
        Rule.Code.COLLEGE_SHARE: lambda rule: _college_share(rule),
        Rule.Code.MIN_COLLEGES: lambda rule: _min_colleges(rule),
        Rule.Code.PUBLIC_CAPITAL: lambda rule: _public_capital(rule, associates),
        Rule.Code.PAID_UP_AT_SUBSCRIPTION: lambda rule: _paid_up(rule, statement),
        Rule.Code.EMAIL_CONVOCATION_CONSENT: lambda rule: _email_consent(rule, statement),
    }
    return [measures[rule.code](rule) for rule in rules]


def short_of_paid_up(subscription: Subscription, minimum: Decimal) -> bool:
    """Less than `minimum` % of the subscription paid (as corrected)."""
    return subscription.paid * HUNDRED < subscription.amount * minimum


def _min_categories(rule: Rule, associates: list[dict]) -> Check:
    names = sorted({row["category__name"] for row in associates})
    minimum = rule.minimum or 0
    value = f"{len(names)} catégorie{'s' if len(names) > 1 else ''}"
    if names:
        value += f"\u00a0: {enumerate_in_french(names)}"
    return Check(rule=rule, value=value, holds=len(names) >= minimum)


def _required_categories(rule: Rule, associates: list[dict]) -> Check:
    kinds = Counter(row["category__legal_kind"] for row in associates)
    employees, producers = kinds[LegalKind.EMPLOYEES], kinds[LegalKind.PRODUCERS]
    beneficiaries = kinds[LegalKind.BENEFICIARIES]
    if employees:
        workers, worker_text = True, f"salariés\u00a0: {employees}"
    elif producers:
        workers = True
        worker_text = f"aucun salarié associé, producteurs\u00a0: {producers}"
    else:
        workers, worker_text = False, "ni salarié ni producteur associé"
    value = f"{worker_text}\u00a0; bénéficiaires\u00a0: {beneficiaries}"
    return Check(rule=rule, value=value, holds=workers and beneficiaries > 0)


def _one_member_one_vote(rule: Rule) -> Check:
    """Each associate is entered once (the register's constraint), so each has one vote; what
    can still go wrong is a count of votes above the associates present or validly
    represented in a college (attendance changed after the votes were typed): measured on the
    last assembly with votes, as its quorum counts them."""
    latest = (
        VoteCount.objects.select_related("resolution__assembly")
        .order_by("-resolution__assembly__date", "-resolution__assembly_id")
        .first()
    )
    if latest is None:
        return Check(
            rule=rule,
            value="Aucun vote enregistré\u00a0: chaque associé inscrit dispose d'une voix.",
            holds=True,
        )
    assembly = latest.resolution.assembly
    voters = {line.key: line.counted for line in quorum(assembly=assembly).colleges}
    most = {}
    for count in VoteCount.objects.filter(resolution__assembly=assembly).annotate(
        cast=F("votes_for") + F("votes_against") + F("abstentions")
    ):
        most[count.college_id] = max(most.get(count.college_id, 0), count.cast)
    over = [college for college, cast in most.items() if cast > voters.get(college, 0)]
    cast, present = sum(most.values()), sum(voters.get(college, 0) for college in most)
    value = (
        f"{assembly}\u00a0: au plus {cast} vote{'s' if cast > 1 else ''} (pour, contre, "
        f"abstentions) pour {present} associé{'s' if present > 1 else ''} présent"
        f"{'s' if present > 1 else ''} ou représenté{'s' if present > 1 else ''}"
    )
    return Check(rule=rule, value=value, holds=not over)


def _college_share(rule: Rule) -> Check:
    colleges = list(College.objects.all())
    if not colleges:
        return Check(
            rule=rule,
            value="Pas de collèges\u00a0: chaque associé a une voix à l'assemblée.",
            holds=True,
        )
    total = sum(college.vote_share for college in colleges)
    low = rule.minimum if rule.minimum is not None else Decimal(0)
    high = rule.maximum if rule.maximum is not None else HUNDRED
    parts = [f"{college.name} {percent(college.vote_share)}" for college in colleges]
    holds = total == HUNDRED and all(low <= c.vote_share <= high for c in colleges)
    value = f"{', '.join(parts)}\u00a0; total {percent(total)}"
    return Check(rule=rule, value=value, holds=holds)


def _min_colleges(rule: Rule) -> Check:
    """The law lets the statutes divide the associates into colleges, but then into three or
    more: two colleges are not allowed, none is."""
    names = list(College.objects.values_list("name", flat=True))
    if not names:
        return Check(
            rule=rule,
            value="Pas de collèges\u00a0: chaque associé a une voix à l'assemblée.",
            holds=True,
        )
    minimum = rule.minimum or 0
    value = (
        f"{len(names)} collège{'s' if len(names) > 1 else ''}\u00a0: {enumerate_in_french(names)}"
    )
    return Check(rule=rule, value=value, holds=len(names) >= minimum)


def _public_capital(rule: Rule, associates: list[dict]) -> Check:
    total = sum((row["capital"] for row in associates), Decimal(0))
    public = sum(
        (
            row["capital"]
            for row in associates
            if row["category__legal_kind"] == LegalKind.PUBLIC_AUTHORITIES
        ),
        Decimal(0),
    )
    if not total:
        return Check(rule=rule, value="Aucun capital souscrit.", holds=True)
    share = public * HUNDRED / total
    maximum = rule.maximum if rule.maximum is not None else HUNDRED
    value = f"{percent(share)} ({euros(public)} sur {euros(total)})"
    return Check(rule=rule, value=value, holds=public * HUNDRED <= maximum * total)


def _paid_up(rule: Rule, statement: RegisterStatement) -> Check:
    minimum = rule.minimum if rule.minimum is not None else Decimal(0)
    present = {line.associate.pk for line in statement.present}
    short = [
        subscription
        for subscription in statement.subscriptions
        if subscription.associate.pk in present and short_of_paid_up(subscription, minimum)
    ]
    if not short:
        return Check(
            rule=rule,
            value=f"Toutes les souscriptions sont libérées d'au moins {percent(minimum, 0)}.",
            holds=True,
        )
    examples = [
        f"n°\u00a0{s.associate.number} le {s.date:%d/%m/%Y} "
        f"({euros(s.paid)} libérés sur {euros(s.amount)})"
        for s in short[:5]
    ]
    more = "…" if len(short) > 5 else ""
    value = (
        f"Souscriptions libérées de moins de {percent(minimum, 0)}\u00a0: "
        f"{', '.join(examples)}{more}"
    )
    return Check(rule=rule, value=value, holds=False)


def _email_consent(rule: Rule, statement: RegisterStatement) -> Check:
    """Who may be convened by e-mail: the portal applies the rule at each convocation (the
    others go by post), so it holds; the value says how many agreed."""
    present = {line.associate.pk for line in statement.present}
    agreed = (
        ConvocationConsent.objects.in_force()
        .filter(associate__in=present)
        .values("associate")
        .distinct()
        .count()
    )
    s = "s" if len(present) > 1 else ""
    value = (
        f"{agreed} associé{'s' if agreed > 1 else ''} sur {len(present)} présent{s} "
        f"{'ont donné leur' if agreed > 1 else 'a donné son'} accord\u00a0; les autres "
        "sont convoqués par courrier."
    )
    return Check(rule=rule, value=value, holds=True)


def paid_up_warning(*, amount: Decimal, paid: Decimal) -> str | None:
    """The warning a subscription form gives when less than the legal part is paid at once
    (the rule's threshold); None when it is enough or the rule is off."""
    minimum = Rule.objects.value_of(Rule.Code.PAID_UP_AT_SUBSCRIPTION)
    if minimum is None or paid * HUNDRED >= amount * minimum:
        return None
    return (
        f"Attention\u00a0: {euros(paid)} libérés sur {euros(amount)} souscrits, moins de "
        f"{percent(minimum, 0)} à la souscription. La loi et les statuts demandent d'en libérer "
        "au moins cette part (le contrôle du tableau de bord le signalera tant que ce n'est "
        "pas corrigé)."
    )
