"""The vote recorder: for, against and abstentions counted in each college, and the result
weighted by the colleges' shares, with its arithmetic written out for the minutes.

The method: within each college, the share of the votes cast that are « for » (abstentions
are not votes cast); each college that cast votes weighs that share by its share of the
votes; the result is the weighted « for » over the weights of the colleges that cast votes,
compared exactly to the majority (more than half for an ordinary resolution, at least two
thirds for an extraordinary one): a rule written to the hundredth of a point, 66,67 %, stands
for the simple fraction it is the rounding of (`majority_fraction`), so exactly two thirds is
adopted and 66,665 % is not. Without colleges
it is simply the votes for over the votes cast, each associate having one vote. The same
threshold thus applies to votes for ÷ votes cast, with or without colleges.

Everything reads the assembly's rules (`assembly_rules`): frozen on the day, so a later
change of a college's share or of a rule never changes a past result."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction

from association.formats import number, percent
from scic.models import College, GeneralAssembly, Resolution, VoteCount
from scic.services.assembly import (
    AssemblyRules,
    CollegeWeight,
    assembly_rules,
    open_sitting,
    quorum,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def record_votes(
    *, resolution: Resolution, counts: dict[int | None, tuple[int, int, int]]
) -> list[VoteCount]:
    """Record the votes of each college (college pk → (for, against, abstentions); None for
    all associates when there are no colleges). Refused when the quorum is not reached, or
    when a college casts more votes than it has associates present or represented."""
    with transaction.atomic():
        assembly = GeneralAssembly.objects.select_for_update().get(pk=resolution.assembly_id)
        open_sitting(assembly=assembly)
        state = quorum(assembly=assembly)
        if not state.reached:
            raise ValidationError(
                f"L'assemblée ne peut pas délibérer\u00a0: {state.explanation()}"
            )
        voters = {line.key: line for line in state.colleges}
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
                    f"{name}\u00a0: {votes_for + against + abstentions} votes pour "
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
    weight: Decimal | None  # None: no colleges, one vote per associate
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against

    @property
    def share_for(self) -> Fraction | None:
        """The votes for over the votes cast, exactly; None when nobody voted for or against."""
        return Fraction(self.votes_for, self.cast) if self.cast else None

    @property
    def decision(self) -> str:
        if self.share_for is None:
            return "aucun vote exprimé"
        return f"{percent(_percent(self.share_for))} pour"

    @property
    def line(self) -> str:
        """« Salariés (20,00 %) : 5 pour, 2 contre, 1 abstention → 71,43 % pour »."""
        abstentions = f"{self.abstentions} abstention{'s' if self.abstentions > 1 else ''}"
        weight = f" ({percent(self.weight)})" if self.weight is not None else ""
        return (
            f"{self.name}{weight}\u00a0: {self.votes_for} pour, "
            f"{self.votes_against} contre, {abstentions} → {self.decision}"
        )


def _percent(value: Fraction, places: int = 2) -> Decimal:
    """A fraction as a percentage to `places` decimals (the hundredth of a point), half up."""
    return (Decimal(value.numerator) * HUNDRED / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )


FRACTION_NAMES = {Fraction(1, 2): "la moitié", Fraction(2, 3): "les deux tiers"}
FRACTION_NAMES[Fraction(3, 4)] = "les trois quarts"


def majority_fraction(threshold: Decimal) -> Fraction:
    """The share of the votes cast a majority written to the hundredth of a point stands for:
    the simplest fraction it is the rounding of (66,67 % is two thirds, 50 % a half; a
    denominator up to 12, as statutes write them), else the figure itself."""
    for denominator in range(1, 13):
        numerator = round(Fraction(threshold) * denominator / 100)
        if _percent(Fraction(numerator, denominator)) == threshold:
            return Fraction(numerator, denominator)
    return Fraction(threshold) / 100


@dataclass(frozen=True)
class Tally:
    colleges: list[CollegeResult]
    threshold: Decimal
    strict: bool  # the ordinary majority is « more than », the extraordinary « at least »

    @property
    def weighted(self) -> bool:
        return any(c.weight is not None for c in self.colleges)

    @property
    def expressed(self) -> list[CollegeResult]:
        return [c for c in self.colleges if c.cast]

    @property
    def weight_for(self) -> Fraction:
        """The colleges' weights times their share of votes for (without colleges: the votes
        for), exactly."""
        return sum((_weight(c) * c.share_for for c in self.expressed), Fraction(0))

    @property
    def weight_expressed(self) -> Fraction:
        return sum((_weight(c) for c in self.expressed), Fraction(0))

    @property
    def result(self) -> Fraction | None:
        """The share of the votes cast that is « for », weighted by college, exactly (the
        figure compared to the majority); None when no vote was cast."""
        if not self.weight_expressed:
            return None
        return self.weight_for / self.weight_expressed

    @property
    def result_percent(self) -> Decimal | None:
        """The result to the hundredth of a point, as the minutes show it."""
        return _percent(self.result) if self.result is not None else None

    @property
    def majority(self) -> Fraction:
        return majority_fraction(self.threshold)

    @property
    def adopted(self) -> bool:
        if self.result is None:
            return False
        return self.result > self.majority if self.strict else self.result >= self.majority

    def _places(self) -> int:
        """The decimals the minutes need to show the result and the majority apart (two,
        unless the result rounds to the majority without being it: 66,6652 % against
        66,6667 %)."""
        places = 2
        while (
            places < 8
            and self.result != self.majority
            and _percent(self.result, places) == _percent(self.majority, places)
        ):
            places += 1
        return places

    @property
    def recorded(self) -> bool:
        return any(c.votes_for + c.votes_against + c.abstentions for c in self.colleges)

    def arithmetic(self) -> list[str]:
        """The computation, line by line, for the minutes."""
        lines = [c.line for c in self.colleges]
        rule = "plus de" if self.strict else "au moins"
        if self.result_percent is None:
            lines.append("Aucune voix pour ni contre\u00a0: la résolution n'est pas adoptée.")
            return lines
        verdict = "adoptée" if self.adopted else "rejetée"
        if self.weighted:
            terms = " + ".join(
                f"{number(c.weight, 2)} × {c.votes_for}/{c.cast}"  # noqa: RUF001
                for c in self.expressed
            )
            weights = " + ".join(number(c.weight, 2) for c in self.expressed)
            lines.append(
                f"Voix pour pondérées\u00a0: {terms} = {number(_decimal(self.weight_for), 2)}"
                f"\u00a0; poids des collèges qui se sont exprimés\u00a0: {weights} = "
                f"{number(_decimal(self.weight_expressed), 2)}."
            )
            figure = (
                f"{number(_decimal(self.weight_for), 2)} / "
                f"{number(_decimal(self.weight_expressed), 2)}"
            )
        else:
            (only,) = self.expressed
            figure = f"{only.votes_for} pour / {only.cast} voix exprimées"
        places = self._places()
        if places == 2:
            shown, needed = percent(self.result_percent), percent(self.threshold)
        else:
            shown = percent(_percent(self.result, places), places)
            needed = percent(_percent(self.majority, places), places)
            if self.majority in FRACTION_NAMES:
                needed += f" ({FRACTION_NAMES[self.majority]})"
        lines.append(
            f"Résultat\u00a0: {figure} = {shown} des voix exprimées\u00a0; il en faut {rule} "
            f"{needed}\u00a0: résolution {verdict}."
        )
        return lines


def _weight(college: CollegeResult) -> Fraction:
    return Fraction(college.weight) if college.weight is not None else Fraction(1)


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def tally(*, resolution: Resolution, colleges=None, rules: AssemblyRules | None = None) -> Tally:
    """The weighted result of a resolution, by the assembly's rules (`colleges`, `rules`: when
    the caller has them already)."""
    assembly = resolution.assembly
    rules = rules or assembly_rules(assembly)
    counts = {count.college_id: count for count in resolution.votes.all()}
    if colleges is None:
        colleges = voting_colleges(assembly, rules=rules)
    results = []
    for college in colleges:
        count = counts.get(college.pk if college else None)
        results.append(
            CollegeResult(
                name=college.name if college else "Tous les associés",
                weight=college.share if college else None,
                votes_for=count.votes_for if count else 0,
                votes_against=count.votes_against if count else 0,
                abstentions=count.abstentions if count else 0,
            )
        )
    return Tally(
        colleges=results, threshold=rules.majority_threshold, strict=rules.majority_strict
    )


def voting_colleges(
    assembly: GeneralAssembly, *, rules: AssemblyRules | None = None
) -> list[CollegeWeight | None]:
    """The colleges of the associates convened, as they stood on the assembly's day, in the
    statutes' order (None: no college)."""
    rules = rules or assembly_rules(assembly)
    pks = set(assembly.attendances.order_by().values_list("college", flat=True).distinct())
    colleges = []
    for pk in pks - {None}:
        college = rules.colleges.get(pk)
        if college is None:  # a college created after the freeze: today's figures
            found = College.objects.get(pk=pk)
            college = CollegeWeight(found.pk, found.name, found.vote_share, found.position)
        colleges.append(college)
    colleges.sort(key=lambda c: (c.position, c.name))
    return [*colleges, *([None] if None in pks else [])]
