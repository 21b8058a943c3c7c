"""The vote recorder: for, against and abstentions counted in each college, and the result
weighted by the colleges' shares, with its arithmetic written out for the minutes.

The statutes' method: the majority is taken within each college first (more votes for than
against: the college is « pour »; more against: « contre »; a tie or no vote cast: the
college expresses nothing); then each college weighs its share of the votes. The resolution
is adopted when the shares of the colleges « pour » make more than the ordinary majority (at
least the extraordinary one) of the shares of the colleges that expressed a choice.
Abstentions are not votes cast. Without colleges, each associate has one vote and the count
is taken once, over everyone."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from association.formats import NBSP, number, percent
from scic.models import College, GeneralAssembly, Resolution, Rule, VoteCount
from scic.services.assembly import quorum

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def record_votes(
    *, resolution: Resolution, counts: dict[int | None, tuple[int, int, int]]
) -> list[VoteCount]:
    """Record the votes of each college (college pk → (for, against, abstentions); None for
    all associates when there are no colleges). Refused when the quorum is not reached, or
    when a college casts more votes than it has associates present or represented."""
    assembly = resolution.assembly
    with transaction.atomic():
        GeneralAssembly.objects.select_for_update().get(pk=assembly.pk)
        state = quorum(assembly=assembly)
        if not state.reached:
            raise ValidationError(
                f"L'assemblée ne peut pas délibérer{NBSP}: {state.explanation()}"
            )
        voters = {line.college.pk if line.college else None: line for line in state.colleges}
        problems = []
        for college, (votes_for, against, abstentions) in counts.items():
            if min(votes_for, against, abstentions) < 0:
                problems.append("Les nombres de voix sont positifs.")
                continue
            line = voters.get(college)
            allowed = line.counted if line else 0
            if votes_for + against + abstentions > allowed:
                name = line.name if line else "Ce collège"
                problems.append(
                    f"{name}{NBSP}: {votes_for + against + abstentions} votes pour "
                    f"{allowed} associé{'s' if allowed > 1 else ''} présent"
                    f"{'s' if allowed > 1 else ''} ou représenté{'s' if allowed > 1 else ''} "
                    "(un associé, une voix)."
                )
        if problems:
            raise ValidationError(problems)
        saved = []
        for college, (votes_for, against, abstentions) in counts.items():
            count, _ = VoteCount.objects.update_or_create(
                resolution=resolution,
                college_id=college,
                defaults={
                    "votes_for": votes_for,
                    "votes_against": against,
                    "abstentions": abstentions,
                },
            )
            saved.append(count)
    return saved


@dataclass(frozen=True)
class CollegeResult:
    name: str
    weight: Decimal
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def decision(self) -> str:
        if self.votes_for > self.votes_against:
            return "pour"
        if self.votes_against > self.votes_for:
            return "contre"
        return "partage" if self.votes_for else "aucun vote exprimé"

    @property
    def line(self) -> str:
        """« Salariés (20,00 %) : 5 pour, 2 contre, 1 abstention → pour »."""
        abstentions = f"{self.abstentions} abstention{'s' if self.abstentions > 1 else ''}"
        return (
            f"{self.name} ({percent(self.weight)}){NBSP}: {self.votes_for} pour, "
            f"{self.votes_against} contre, {abstentions} → {self.decision}"
        )


@dataclass(frozen=True)
class Tally:
    colleges: list[CollegeResult]
    threshold: Decimal
    strict: bool  # the ordinary majority is « more than », the extraordinary « at least »

    @property
    def weight_for(self) -> Decimal:
        return sum((c.weight for c in self.colleges if c.decision == "pour"), Decimal(0))

    @property
    def weight_expressed(self) -> Decimal:
        return sum(
            (c.weight for c in self.colleges if c.decision in ("pour", "contre")), Decimal(0)
        )

    @property
    def result_percent(self) -> Decimal | None:
        """The share of the expressed weight that is « pour », to the hundredth of a point (the
        figure compared to the majority, as the minutes show it)."""
        if not self.weight_expressed:
            return None
        return (self.weight_for * HUNDRED / self.weight_expressed).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    @property
    def adopted(self) -> bool:
        result = self.result_percent
        if result is None:
            return False
        return result > self.threshold if self.strict else result >= self.threshold

    @property
    def recorded(self) -> bool:
        return any(c.votes_for + c.votes_against + c.abstentions for c in self.colleges)

    def arithmetic(self) -> list[str]:
        """The computation, line by line, for the minutes."""
        lines = [c.line for c in self.colleges]
        deciding_for = [c for c in self.colleges if c.decision == "pour"]
        deciding = [c for c in self.colleges if c.decision in ("pour", "contre")]
        lines.append(
            f"Part des voix des collèges pour{NBSP}: {_sum_text(deciding_for)}"
            f"{NBSP}; des collèges qui se sont exprimés{NBSP}: {_sum_text(deciding)}."
        )
        rule = "plus de" if self.strict else "au moins"
        if self.result_percent is None:
            lines.append("Aucun collège ne s'est exprimé\u00a0: la résolution n'est pas adoptée.")
        else:
            verdict = "adoptée" if self.adopted else "rejetée"
            lines.append(
                f"Résultat{NBSP}: {number(self.weight_for, 2)} / "
                f"{number(self.weight_expressed, 2)} = {percent(self.result_percent)} des voix "
                f"exprimées{NBSP}; il en faut {rule} {percent(self.threshold)}{NBSP}: "
                f"résolution {verdict}."
            )
        return lines


def _sum_text(colleges: list[CollegeResult]) -> str:
    if not colleges:
        return f"0{NBSP}%"
    total = sum((c.weight for c in colleges), Decimal(0))
    if len(colleges) == 1:
        return percent(total)
    return f"{' + '.join(number(c.weight, 2) for c in colleges)} = {percent(total)}"


def tally(*, resolution: Resolution, colleges=None) -> Tally:
    """The weighted result of a resolution (`colleges`: the colleges, when the caller has
    them already)."""
    assembly = resolution.assembly
    extraordinary = assembly.kind == GeneralAssembly.Kind.EXTRAORDINARY
    code = Rule.Code.MAJORITY_EXTRAORDINARY if extraordinary else Rule.Code.MAJORITY_ORDINARY
    threshold = Rule.objects.value_of(code, Decimal(50))
    counts = {count.college_id: count for count in resolution.votes.all()}
    if colleges is None:
        colleges = voting_colleges(assembly)
    results = []
    for college in colleges:
        count = counts.get(college.pk if college else None)
        results.append(
            CollegeResult(
                name=college.name if college else "Tous les associés",
                weight=college.vote_share if college else HUNDRED,
                votes_for=count.votes_for if count else 0,
                votes_against=count.votes_against if count else 0,
                abstentions=count.abstentions if count else 0,
            )
        )
    return Tally(colleges=results, threshold=threshold, strict=not extraordinary)


def voting_colleges(assembly: GeneralAssembly) -> list[College | None]:
    """The colleges of the associates convened, in the statutes' order (None: no college)."""
    pks = set(assembly.attendances.order_by().values_list("college", flat=True).distinct())
    colleges = sorted(
        College.objects.filter(pk__in=pks - {None}), key=lambda c: (c.position, c.name)
    )
    return [*colleges, *([None] if None in pks else [])]
