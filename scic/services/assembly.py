"""The general assembly on its day: the rules it is decided by (frozen when the sitting opens),
attendance and proxies (within the statutes' limit), and the quorum. Convocations are in
`scic.services.convocations`."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from association.formats import long_date, percent
from audit.registry import update_logged
from scic.models import (
    Associate,
    Attendance,
    College,
    GeneralAssembly,
    Placement,
    Rule,
    VoteCount,
)

Status = Attendance.Status


# --- The rules of the day ----------------------------------------------------------------------


QUORUM_RULES = {
    (GeneralAssembly.Kind.ORDINARY, GeneralAssembly.Call.FIRST): Rule.Code.QUORUM_ORDINARY_FIRST,
    (GeneralAssembly.Kind.ORDINARY, GeneralAssembly.Call.SECOND): Rule.Code.QUORUM_ORDINARY_SECOND,
    (
        GeneralAssembly.Kind.EXTRAORDINARY,
        GeneralAssembly.Call.FIRST,
    ): Rule.Code.QUORUM_EXTRAORDINARY_FIRST,
    (
        GeneralAssembly.Kind.EXTRAORDINARY,
        GeneralAssembly.Call.SECOND,
    ): Rule.Code.QUORUM_EXTRAORDINARY_SECOND,
}


@dataclass(frozen=True)
class CollegeWeight:
    """A college as it stood on the assembly's day."""

    pk: int
    name: str
    share: Decimal
    position: int


@dataclass(frozen=True)
class AssemblyRules:
    """What an assembly is decided by: its kind and call, the quorum, the majority, the proxy
    limit and the colleges with their shares. Read from today's settings until the sitting
    opens, then from what was frozen with the assembly: the minutes print what was decided
    then, whatever is edited later."""

    kind: str
    call: str
    quorum_required: Decimal
    quorum_reference: str
    majority_threshold: Decimal
    majority_strict: bool  # the ordinary majority is « more than », the extraordinary « at least »
    majority_reference: str
    proxy_limit: int | None
    colleges: dict[int, CollegeWeight]
    frozen: bool = False

    @property
    def extraordinary(self) -> bool:
        return self.kind == GeneralAssembly.Kind.EXTRAORDINARY

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "call": self.call,
            "quorum_required": str(self.quorum_required),
            "quorum_reference": self.quorum_reference,
            "majority_threshold": str(self.majority_threshold),
            "majority_strict": self.majority_strict,
            "majority_reference": self.majority_reference,
            "proxy_limit": self.proxy_limit,
            "colleges": [
                {"pk": c.pk, "name": c.name, "share": str(c.share), "position": c.position}
                for c in self.colleges.values()
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "AssemblyRules":
        return cls(
            kind=data["kind"],
            call=data["call"],
            quorum_required=Decimal(data["quorum_required"]),
            quorum_reference=data["quorum_reference"],
            majority_threshold=Decimal(data["majority_threshold"]),
            majority_strict=data["majority_strict"],
            majority_reference=data["majority_reference"],
            proxy_limit=data["proxy_limit"],
            colleges={
                c["pk"]: CollegeWeight(
                    pk=c["pk"], name=c["name"], share=Decimal(c["share"]), position=c["position"]
                )
                for c in data["colleges"]
            },
            frozen=True,
        )


def _rule(code: str) -> Rule | None:
    return Rule.objects.filter(code=code, is_active=True).first()


def current_rules(assembly: GeneralAssembly) -> AssemblyRules:
    """The rules as today's settings give them (before the sitting opens)."""
    quorum_rule = _rule(QUORUM_RULES[(assembly.kind, assembly.call)])
    extraordinary = assembly.kind == GeneralAssembly.Kind.EXTRAORDINARY
    majority_rule = _rule(
        Rule.Code.MAJORITY_EXTRAORDINARY if extraordinary else Rule.Code.MAJORITY_ORDINARY
    )
    proxy_rule = _rule(Rule.Code.PROXY_LIMIT)
    proxy_value = None
    if proxy_rule is not None:
        # 0 is a limit (no proxy at all), not a missing one.
        proxy_value = proxy_rule.maximum if proxy_rule.maximum is not None else proxy_rule.minimum

    def threshold(rule, default):
        if rule is None:
            return default
        return rule.minimum if rule.minimum is not None else (rule.maximum or default)

    return AssemblyRules(
        kind=assembly.kind,
        call=assembly.call,
        quorum_required=threshold(quorum_rule, Decimal(0)),
        quorum_reference=quorum_rule.reference if quorum_rule else "",
        majority_threshold=threshold(majority_rule, Decimal(50)),
        majority_strict=not extraordinary,
        majority_reference=majority_rule.reference if majority_rule else "",
        proxy_limit=int(proxy_value) if proxy_value is not None else None,
        colleges={
            c.pk: CollegeWeight(pk=c.pk, name=c.name, share=c.vote_share, position=c.position)
            for c in College.objects.all()
        },
    )


def assembly_rules(assembly: GeneralAssembly) -> AssemblyRules:
    """The rules the assembly is decided by: frozen once its sitting opened."""
    if assembly.frozen_rules:
        return AssemblyRules.from_json(assembly.frozen_rules)
    return current_rules(assembly)


def _check_held(assembly: GeneralAssembly) -> None:
    if assembly.is_cancelled:
        raise ValidationError("Cette assemblée est annulée.")
    if assembly.date > timezone.localdate():
        raise ValidationError(
            f"L'assemblée se tient le {long_date(assembly.date)}\u00a0: les présences et les "
            "votes s'enregistrent ce jour-là, pas avant."
        )


def open_sitting(*, assembly: GeneralAssembly) -> GeneralAssembly:
    """On the assembly's day, the first attendance or vote recorded opens the sitting: the
    associates' replies close; each convened associate's college becomes the one the register
    gave them on that day; the colleges' shares, the quorum, the majority and the proxy limit
    are frozen with the assembly. Call it inside a transaction that locked the assembly;
    refused before the assembly's date. Opening twice changes nothing."""
    _check_held(assembly)
    if assembly.sitting_opened_at is not None:
        return assembly
    placements = {}
    for placement in Placement.objects.on(assembly.date).filter(
        associate__attendances__assembly=assembly
    ):
        placements.setdefault(placement.associate_id, placement)
    for attendance in assembly.attendances.all():
        placement = placements.get(attendance.associate_id)
        if placement is not None and placement.college_id != attendance.college_id:
            attendance.college_id = placement.college_id
            attendance.save(update_fields=["college"])
    assembly.frozen_rules = current_rules(assembly).as_json()
    assembly.sitting_opened_at = timezone.now()
    update_logged(
        GeneralAssembly.objects.filter(pk=assembly.pk),
        frozen_rules=assembly.frozen_rules,
        sitting_opened_at=assembly.sitting_opened_at,
    )
    return assembly


# --- Attendance and proxies --------------------------------------------------------------------


def proxy_problems(*, assembly: GeneralAssembly, changes: dict[int, tuple[str, int | None]]):
    """What is wrong with the attendance sheet once `changes` (attendance pk → (status, proxy
    holder's associate pk)) are applied: French messages, empty when all is well. Checks that a
    proxy goes to another associate convened to the same assembly, who has not given their own,
    and that nobody holds more proxies than the statutes allow. (Whether the holder came is
    seen on the day: `quorum` counts a proxy only when its holder is present.)"""
    rows = {
        a.pk: (a.associate_id, a.status, a.proxy_holder_id, a.associate.name)
        for a in assembly.attendances.select_related("associate__structure", "associate__person")
    }
    for pk, (status, holder) in changes.items():
        associate_id, _s, _h, name = rows[pk]
        rows[pk] = (associate_id, status, holder if status == Status.REPRESENTED else None, name)
    by_associate = {
        associate_id: (status, name) for associate_id, status, _h, name in rows.values()
    }
    problems = []
    held: dict[int, int] = {}
    for associate_id, status, holder, name in rows.values():
        if status != Status.REPRESENTED:
            continue
        if holder is None:
            problems.append(f"{name}\u00a0: indiquez à qui le pouvoir est donné.")
        elif holder == associate_id:
            problems.append(f"{name}\u00a0: un associé ne se donne pas pouvoir à lui-même.")
        elif holder not in by_associate:
            problems.append(f"{name}\u00a0: le pouvoir va à un associé convoqué à l'assemblée.")
        else:
            held[holder] = held.get(holder, 0) + 1
    limit = assembly_rules(assembly).proxy_limit
    for holder, count in held.items():
        status, name = by_associate[holder]
        if status == Status.REPRESENTED:
            problems.append(
                f"{name} a donné son propre pouvoir et ne peut pas en recevoir ({count})."
            )
        if limit is not None and count > limit:
            problems.append(
                f"{name} recevrait {count} pouvoirs\u00a0; les statuts en permettent au plus "
                f"{limit} par associé."
            )
    return problems


def set_attendance(
    *,
    attendance: Attendance,
    status: str,
    proxy_holder: Associate | None = None,
    from_reply: bool = False,
) -> Attendance:
    """Record whether an associate comes, gives a proxy or is absent: their reply, until the
    assembly starts or its attendance is taken; or the coordinator on the day (never before),
    which opens the sitting. Within the statutes' proxy limit."""
    return record_attendance(
        assembly=attendance.assembly,
        changes={attendance.pk: (status, proxy_holder.pk if proxy_holder else None)},
        from_reply=from_reply,
    )[0]


def record_attendance(
    *,
    assembly: GeneralAssembly,
    changes: dict[int, tuple[str, int | None]],
    from_reply: bool = False,
) -> list[Attendance]:
    """Several lines of the attendance sheet at once (attendance pk → (status, proxy holder's
    associate pk)), checked together, as the sheet of the back-office sends them."""
    for status, _holder in changes.values():
        if status not in Status.values:
            raise ValidationError("Choisissez une réponse.")
    with transaction.atomic():
        assembly = GeneralAssembly.objects.select_for_update().get(pk=assembly.pk)
        if from_reply:
            if assembly.replies_closed:
                raise ValidationError(
                    "L'assemblée a commencé et les présences sont prises\u00a0: les réponses "
                    "sont closes."
                )
        else:
            open_sitting(assembly=assembly)
        changes = {
            pk: (status, holder if status == Status.REPRESENTED else None)
            for pk, (status, holder) in changes.items()
        }
        problems = proxy_problems(assembly=assembly, changes=changes)
        if problems:
            raise ValidationError(problems)
        saved = []
        for attendance in Attendance.objects.select_for_update().filter(
            assembly=assembly, pk__in=list(changes)
        ):
            attendance.status, attendance.proxy_holder_id = changes[attendance.pk]
            fields = ["status", "proxy_holder"]
            if from_reply:
                attendance.replied_at = timezone.now()
                fields.append("replied_at")
            attendance.save(update_fields=fields)
            saved.append(attendance)
        problems = _votes_beyond_attendance(assembly)
        if problems:
            raise ValidationError(problems)
    return saved


def _votes_beyond_attendance(assembly: GeneralAssembly) -> list[str]:
    """Once votes are recorded, the attendance sheet still has to carry them: the quorum
    reached, and no college with more votes than associates present or validly represented.
    French messages, empty when the votes recorded still hold."""
    votes = list(
        VoteCount.objects.filter(resolution__assembly=assembly).select_related("resolution")
    )
    if not votes:
        return []
    state = quorum(assembly=assembly)
    if not state.reached:
        return [
            f"Des votes sont déjà enregistrés et le quorum ne serait plus atteint\u00a0: "
            f"{state.explanation()} Corrigez d'abord les votes."
        ]
    voters = {line.key: line for line in state.colleges}
    problems = []
    for count in votes:
        line = voters.get(count.college_id)
        allowed = line.counted if line else 0
        if count.total > allowed:
            name = line.name if line else "Tous les associés"
            problems.append(
                f"{count.resolution}\u00a0: {count.total} votes enregistrés ({name}) pour "
                f"{allowed} associé{'s' if allowed > 1 else ''} présent"
                f"{'s' if allowed > 1 else ''} ou représenté{'s' if allowed > 1 else ''} "
                "(un associé, une voix). Corrigez d'abord les votes de cette résolution."
            )
    return problems


# --- Quorum ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollegeAttendance:
    key: int | None  # the college's pk; None: no college
    name: str
    share: Decimal | None
    position: int
    convened: int
    present: int
    represented: int  # proxies that count (their holder present, within the limit)
    proxies_fallen: int = 0

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def absent(self) -> int:
        return self.convened - self.counted


@dataclass(frozen=True)
class Quorum:
    convened: int
    counted: int
    required_percent: Decimal
    colleges: list[CollegeAttendance]
    fallen_proxies: list[str] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        """Someone in the room, and enough of the associates convened present or validly
        represented (even a quorum of 0 % needs one associate present)."""
        return self.counted > 0 and self.counted * 100 >= self.required_percent * self.convened

    @property
    def counted_percent(self) -> Decimal:
        return Decimal(self.counted * 100) / self.convened if self.convened else Decimal(0)

    def explanation(self) -> str:
        """« 12 associés présents ou représentés sur 40 convoqués, soit 30,00 % ; il en faut
        20 % : quorum atteint. »"""
        verdict = "quorum atteint" if self.reached else "quorum non atteint"
        return (
            f"{self.counted} associé{'s' if self.counted > 1 else ''} présent"
            f"{'s' if self.counted > 1 else ''} ou représenté{'s' if self.counted > 1 else ''} "
            f"sur {self.convened} convoqué{'s' if self.convened > 1 else ''}, soit "
            f"{percent(self.counted_percent)}\u00a0; il en faut {percent(self.required_percent)}"
            f"\u00a0: {verdict}."
        )


def valid_proxies(attendances: list[Attendance], limit: int | None):
    """Which proxies count: their holder is present, and holds no more than `limit` (the
    first given count, by reply then by line). Gives (the attendance pks that count, French
    lines naming each proxy that fell and why)."""
    status_of = {a.associate_id: a.status for a in attendances}
    name_of = {a.associate_id: a.associate.name for a in attendances}
    given = sorted(
        (a for a in attendances if a.status == Status.REPRESENTED),
        key=lambda a: (a.replied_at is None, a.replied_at or timezone.now(), a.pk),
    )
    held: Counter = Counter()
    valid, fallen = set(), []
    for attendance in given:
        holder = attendance.proxy_holder_id
        holder_name = name_of.get(holder, "un associé non convoqué")
        if status_of.get(holder) != Status.PRESENT:
            fallen.append(
                f"Pouvoir de {attendance.associate.name} à {holder_name}\u00a0: non compté, "
                f"{holder_name} n'est pas présent."
            )
        elif limit is not None and held[holder] >= limit:
            fallen.append(
                f"Pouvoir de {attendance.associate.name} à {holder_name}\u00a0: non compté, "
                f"{holder_name} détient déjà {limit} pouvoir{'s' if limit > 1 else ''}, le "
                "maximum des statuts."
            )
        else:
            held[holder] += 1
            valid.add(attendance.pk)
    return valid, fallen


def quorum(*, assembly: GeneralAssembly, rules: AssemblyRules | None = None) -> Quorum:
    """Attendance per college and whether the statutes' quorum is reached: associates present
    or validly represented, as a share of the associates convened (one associate, one vote).
    A proxy counts only when its holder is present and within the statutes' limit."""
    rules = rules or assembly_rules(assembly)
    attendances = list(
        assembly.attendances.select_related("associate__structure", "associate__person")
    )
    valid, fallen = valid_proxies(attendances, rules.proxy_limit)
    counts: dict[int | None, Counter] = {}
    for attendance in attendances:
        line = counts.setdefault(attendance.college_id, Counter())
        line["convened"] += 1
        if attendance.status == Status.PRESENT:
            line["present"] += 1
        elif attendance.status == Status.REPRESENTED:
            line["represented" if attendance.pk in valid else "fallen"] += 1
    lines = []
    for key, line in counts.items():
        college = rules.colleges.get(key) if key is not None else None
        if key is not None and college is None:  # a college created after the freeze
            found = College.objects.get(pk=key)
            college = CollegeWeight(found.pk, found.name, found.vote_share, found.position)
        lines.append(
            CollegeAttendance(
                key=key,
                name=college.name if college else "Tous les associés",
                share=college.share if college else None,
                position=college.position if college else 0,
                convened=line["convened"],
                present=line["present"],
                represented=line["represented"],
                proxies_fallen=line["fallen"],
            )
        )
    lines.sort(key=lambda line: (line.key is None, line.position, line.name))
    return Quorum(
        convened=sum(line.convened for line in lines),
        counted=sum(line.counted for line in lines),
        required_percent=rules.quorum_required,
        colleges=lines,
        fallen_proxies=fallen,
    )
