"""Personal data (GDPR): everything held about a person, exported (right of access) or erased
(right to erasure).

The member file finds by itself what points at a `Person` (its relations, by introspection).
What an app above it holds otherwise (a join request matched by its e-mail, a contact line
typed by hand) that app declares here, from its `AppConfig.ready()`, with
`register_personal_data`: the member file never imports it. Every model that holds a person's
data says how erasure treats it: a source registered here, `keep_for_figures`, or
`declare_personal_data` (deleted with the person, scrubbed elsewhere, not a person's data…);
a test lists the models that look personal and fails on one that says nothing. Mails queued
about a record go with it, whichever record it is; the back-office accounts of the person are
disabled and anonymised.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Expression, Q
from django.utils import timezone

from association.models import SiteIdentity
from audit import services as trail
from members.models import Membership, Person
from members.services.names import Mentions, fold
from outbox.models import OutgoingMail


@dataclass(frozen=True)
class PersonalDataSource:
    """Records of an app above the member file that hold a person's data.

    - `records(person)`: every such record (exported, then deleted on erasure, its names
      scrubbed from the admin's history);
    - `export_row(record)`: the record as exported (default: every field, see `row`);
    - `last_activity()`: an expression on `Person` giving the date of their latest activity
      held there (retention counts from it);
    - `keep()`: a condition on `Person` of people whose contact details must stay (retention
      never erases them), e.g. the leads of an active group;
    - `forget_when_inactive`: retention also deletes the person's records once inactive;
    - `forget(person, records)`: used instead of deleting the records, on erasure and for
      inactive people, when a record may hold more than the person (a contact line: their
      name and address are scrubbed, the structure's switchboard stays);
    - `name`: the French label of the records (default: the model's plural name);
    - `kept_by_law`: the records must be kept (a legal register): erasure leaves them and
      anonymises the person instead of deleting them, as for memberships."""

    model: type[models.Model]
    records: Callable[[Person], models.QuerySet]
    export_row: Callable[[models.Model], dict] | None = None
    last_activity: Callable[[], Expression] | None = None
    keep: Callable[[], Q] | None = None
    forget_when_inactive: bool = False
    forget: Callable[[Person, models.QuerySet], object] | None = None
    name: str = ""
    kept_by_law: bool = False

    @property
    def label(self) -> str:
        return self.name or str(self.model._meta.verbose_name_plural)

    def forget_for(self, person: Person) -> None:
        """Take the person out of these records: `forget` if given, else delete them."""
        records = self.records(person)
        if self.forget:
            self.forget(person, records)
        else:
            forget_records(records)


_sources: list[PersonalDataSource] = []
# Records the yearly figures count, kept on erasure attached to the anonymised person: the
# memberships, and what apps above add (a meeting's attendance).
_kept_for_figures: set[type[models.Model]] = {Membership}


# How erasure treats the models that are neither a source nor kept for the figures.
_declared: dict[type[models.Model], str] = {}
# Said of a model pointing at `Person` whose rows erasure deletes (found by introspection).
DELETED_WITH_PERSON = "deleted with the person"


def keep_for_figures(model: type[models.Model]) -> None:
    """Keep `model`'s rows pointing at an erased person: the person is anonymised instead of
    deleted, so the figures (memberships, attendance) still count them, without a name."""
    _kept_for_figures.add(model)


def register_personal_data(source: PersonalDataSource) -> None:
    if all(known.model is not source.model for known in _sources):
        _sources.append(source)


def declare_personal_data(model: type[models.Model], how: str) -> None:
    """Say how erasure treats `model`, a model that looks like it holds a person's data but is
    no source: `DELETED_WITH_PERSON` for one pointing at `Person`, or why nothing is needed
    (« no person's data: a venue's address »)."""
    _declared[model] = how


def personal_data_declarations() -> dict[type[models.Model], str]:
    """Every model whose treatment on erasure is declared, and how."""
    declared = {Person: "the person: anonymised, or deleted", **_declared}
    for model in _kept_for_figures:
        declared[model] = "kept for the figures, attached to the anonymised person"
    for source in _sources:
        if source.kept_by_law:
            declared[source.model] = f"{source.label}: kept by law, the person anonymised"
        else:
            declared[source.model] = f"{source.label}: " + (
                "scrubbed" if source.forget else "deleted"
            )
    return declared


def personal_data_sources() -> list[PersonalDataSource]:
    return list(_sources)


def row(instance: models.Model) -> dict:
    """Every concrete field of a row, by its French name, as JSON-friendly values."""
    row = {}
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if model_field.is_relation:
            related = getattr(instance, model_field.name)
            value = str(related) if related is not None else None
        elif display := getattr(instance, f"get_{model_field.name}_display", None):
            # The person reads « Acceptée », not the code « accepted ».
            value = str(display()) if value not in (None, "") else value
        elif isinstance(value, datetime.datetime | datetime.date | datetime.time):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        row[str(model_field.verbose_name)] = value
    return row


def _person_relations(person: Person):
    """(relation, queryset) for everything else in the database that points at the person,
    found by introspection, apart from the registered sources (handled as they declare)."""
    registered = {source.model for source in _sources}
    for relation in Person._meta.related_objects:
        if relation.related_model in registered:
            continue
        if relation.many_to_many:
            yield relation, getattr(person, relation.get_accessor_name()).all()
        elif relation.one_to_many or relation.one_to_one:
            yield (
                relation,
                relation.related_model._default_manager.filter(**{relation.field.name: person}),
            )


def export_person_data(*, person: Person) -> dict:
    """Everything held about one person (right of access, portability), as a JSON-ready dict."""
    data = {
        "exporté le": timezone.now().isoformat(),
        "responsable du traitement": SiteIdentity.load().name,
        "personne": row(person),
    }
    for source in _sources:
        export_row = source.export_row or row
        data[source.label] = [export_row(record) for record in source.records(person)]
    records = {Person: [person.pk]}
    for source in _sources:
        records.setdefault(source.model, []).extend(
            source.records(person).values_list("pk", flat=True)
        )
    for relation, queryset in _person_relations(person):
        data[str(relation.related_model._meta.verbose_name_plural)] = [
            row(instance) for instance in queryset
        ]
        if not relation.many_to_many:
            records.setdefault(relation.related_model, []).extend(
                queryset.values_list("pk", flat=True)
            )
    # The changes to all of these, and those the person made through their accounts.
    data["journal d'audit"] = trail.export_about(records=records, accounts=accounts_of(person))
    return data


@dataclass
class ErasurePlan:
    """What `erase_person` will do, for the confirmation page."""

    person: Person
    anonymise: bool
    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)


def plan_person_erasure(*, person: Person) -> ErasurePlan:
    deleted, kept, scrubbed = {}, {}, {}
    for source in _sources:
        if count := source.records(person).count():
            if source.kept_by_law:
                kept[source.label] = count
            else:
                (scrubbed if source.forget else deleted)[source.label] = count
    for relation, queryset in _person_relations(person):
        label = str(relation.related_model._meta.verbose_name_plural)
        count = queryset.count()
        if not count:
            continue
        if relation.related_model in _kept_for_figures:
            kept[label] = count
        else:
            deleted[label] = count
    return ErasurePlan(
        person=person, anonymise=bool(kept), deleted=deleted, kept=kept, scrubbed=scrubbed
    )


def erase_person(*, person: Person) -> ErasurePlan:
    """Right to erasure. What the yearly figures need is kept but anonymised: the memberships
    (year, fee, status) stay, attached to a person without name nor contact details. The rest
    goes: what the registered sources hold (join requests and their mails, other mails
    addressed to the person or naming them, their name and address in the groups' contact
    lines…), group participations, leads, talks, and their name and address wherever the
    admin's history holds them, whatever the object (« ajouté : personne Zoé SECRETNOM » on a
    structure, « Adhésion 2025 — … »)."""
    plan = plan_person_erasure(person=person)
    mentions = [*_name_forms(person), person.email]
    with transaction.atomic():
        for source in _sources:
            if not source.kept_by_law:
                source.forget_for(person)
        for relation, queryset in _person_relations(person):
            if relation.related_model in _kept_for_figures:
                continue
            if relation.many_to_many:
                getattr(person, relation.get_accessor_name()).clear()
            else:
                forget_records(queryset)
        if plan.anonymise:
            _anonymise_person(person)
            replacement = str(person)
            scrub_admin_history(model=Person, pks=[person.pk], label=replacement)
            scrub_admin_mentions(mentions=mentions, replacement=replacement)
        else:
            replacement = "Personne effacée"
            scrub_admin_history(model=Person, pks=[person.pk])
            scrub_admin_mentions(mentions=mentions, replacement=replacement)
            pk = person.pk
            person.delete()
            person.pk = pk
        # The audit trail: the person's past versions (and the change the erasure itself just
        # recorded) keep that they changed, not what; their name goes wherever it appears.
        trail.scrub_records(model=Person, pks=[person.pk], label=replacement)
        scrub_trail_mentions(mentions=mentions, replacement=replacement)
    return plan


def scrub_trail_mentions(*, mentions: list[str], replacement: str) -> int:
    """A name or an address wherever the audit trail holds it: another record's name (a
    membership's), a value in its changes, a visitor or an account as the author. The database
    finds the candidates by each word (as typed and without accents); `Mentions` replaces them
    however they are spelled."""
    found = Mentions([m for m in mentions if m and len(m) >= 3])
    if not found:
        return 0
    words = {word for mention in mentions if mention for word in mention.split() if len(word) >= 3}
    # The whole names too: one of short words only (« An Vu ») gives no word to look for.
    words |= {mention for mention in mentions if mention and len(mention) >= 3}
    terms = _case_variants(sorted(words | {fold(word) for word in words}))
    return trail.scrub_mentions(terms=terms, replace=lambda text: found.replace(text, replacement))


def _mails_can_be_about(model: type[models.Model]) -> bool:
    """A mail is about a record by its number: a model keyed otherwise (a task's UUID) has none."""
    return isinstance(model._meta.pk, models.IntegerField)


def forget_records(records: models.QuerySet) -> int:
    """Delete records, the mails queued about them (a sign-in link's, a lead's account's), and
    their names from the admin's history; how many were deleted."""
    pks = list(records.values_list("pk", flat=True))
    if not pks:
        return 0
    scrub_admin_history(model=records.model, pks=pks)
    if _mails_can_be_about(records.model):
        OutgoingMail.objects.filter(
            content_type=ContentType.objects.get_for_model(records.model), object_id__in=pks
        ).delete()
    records.model._default_manager.filter(pk__in=pks).delete()
    # After the delete: its own entry (every field of the record) is scrubbed too.
    trail.scrub_records(model=records.model, pks=pks)
    return len(pks)


def _anonymise_person(person: Person) -> None:
    person.first_name = "Personne anonymisée"
    person.last_name = f"n°\u00a0{person.pk}"
    person.anonymised_at = timezone.now()
    person.email = ""
    person.phone = ""
    person.title = ""
    person.structure = None
    person.team_role = ""
    person.team_since = None
    person.show_contact_publicly = False
    person.save()


def scrub_admin_history(*, model, pks: list, label: str = "Données effacées") -> None:
    """The admin's history keeps each object's name: replace it once the object is erased."""
    if not pks:
        return
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr=label, change_message="")


def scrub_admin_mentions(*, mentions: list[str], replacement: str) -> int:
    """Replace a name or an address wherever the admin's history holds it, whatever the object
    and however it is spelled there (« Zoe SECRETNOM » for « Zoé Secretnom »): the name of a
    membership (« Adhésion 2025 — Zoé SECRETNOM »), the change message of a structure
    (« ajouté : personne Zoé SECRETNOM »). Returns how many entries changed.

    A database compares accents as they are, so every entry is read here: erasure is rare and
    the history of a small association short (`fold` first, the slow replacement only on a
    match)."""
    found = Mentions([m for m in mentions if m and len(m) >= 3])
    if not found:
        return 0
    changed = 0
    entries = LogEntry.objects.only("pk", "object_repr", "change_message").order_by("pk")
    for entry in entries.iterator(chunk_size=2000):
        object_repr = found.replace(entry.object_repr, replacement)[:200]
        change_message = _scrub_change_message(entry.change_message, found, replacement)
        if (object_repr, change_message) != (entry.object_repr, entry.change_message):
            entry.object_repr, entry.change_message = object_repr, change_message
            entry.save(update_fields=["object_repr", "change_message"])
            changed += 1
    return changed


def _scrub_change_message(message: str, found: Mentions, replacement: str) -> str:
    # The admin stores its change messages as JSON (names escaped as \\u…): replace inside
    # the values, then write it back as the admin does.
    try:
        parsed = json.loads(message)
    except ValueError:
        return found.replace(message, replacement)
    if not found.found_in(json.dumps(parsed, ensure_ascii=False)):
        return message

    def scrub(value):
        if isinstance(value, str):
            return found.replace(value, replacement)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    return json.dumps(scrub(parsed))


def _name_forms(person: Person) -> list[str]:
    """How the person's name is written in the file, the mails and the admin's history."""
    first, last = person.first_name.strip(), person.last_name.strip()
    if not first or not last:
        return [name for name in (person.full_name,) if name]
    return list(dict.fromkeys([person.full_name, f"{first} {last}", f"{last} {first}"]))


def _case_variants(texts: list[str]) -> list[str]:
    """Spellings a database compares as they are: SQLite's LIKE ignores the case of ASCII
    letters only, and the admin's history stores JSON with \\u escapes."""
    variants = []
    for text in texts:
        for variant in (text, text.lower(), text.upper(), text.title()):
            variants += [variant, json.dumps(variant)[1:-1]]
    return list(dict.fromkeys(variants))


def other_mails_of(person: Person) -> models.QuerySet:
    """Mails of the site addressed to the person, or answering to them, or naming them, apart
    from those about another source's records (a join request exports and deletes its own)."""
    condition = Q()
    if person.email:
        condition |= Q(recipient__iexact=person.email) | Q(reply_to__iexact=person.email)
    for name in _case_variants(_name_forms(person)):
        condition |= Q(subject__icontains=name) | Q(body_text__icontains=name)
    if not condition:
        return OutgoingMail.objects.none()
    mails = OutgoingMail.objects.filter(condition)
    for source in _sources:
        if source.model is not OutgoingMail and _mails_can_be_about(source.model):
            mails = mails.exclude(
                content_type=ContentType.objects.get_for_model(source.model),
                object_id__in=source.records(person).values("pk"),
            )
    return mails


OTHER_MAILS = PersonalDataSource(
    model=OutgoingMail, records=other_mails_of, name="autres e-mails du site la concernant"
)


def accounts_of(person: Person) -> models.QuerySet:
    """The back-office accounts of the person: with their e-mail as address or name (as a
    lead's account is made), or linked to them by a record that points at both (a lead)."""
    User = get_user_model()
    condition = Q(pk__in=[])
    if person.email:
        condition |= Q(email__iexact=person.email) | Q(username__iexact=person.email)
    for relation in Person._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        for model_field in relation.related_model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is User:
                linked = relation.related_model._default_manager.filter(
                    **{relation.field.name: person, f"{model_field.name}__isnull": False}
                )
                condition |= Q(pk__in=list(linked.values_list(model_field.attname, flat=True)))
    return User.objects.filter(condition)


def forget_accounts(person: Person, accounts: models.QuerySet) -> None:
    """An account is disabled and anonymised, never deleted: the admin's history points at
    it. Its rights, one-time code devices and login records go."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for account in list(accounts):
        usernames = {account.username, account.email} - {""}
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=usernames).delete()
        TOTPDevice.objects.filter(user=account).delete()
        account.username = f"compte-efface-{account.pk}"
        account.email = account.first_name = account.last_name = ""
        account.is_active = account.is_staff = account.is_superuser = False
        account.set_unusable_password()
        account.save()
        account.groups.clear()
        account.user_permissions.clear()
        scrub_admin_history(model=type(account), pks=[account.pk], label=account.username)
        # The account's past versions, and its holder's name as the author of changes.
        trail.scrub_records(model=type(account), pks=[account.pk], label=account.username)
        trail.scrub_actor(accounts=[account], label=account.username)


ACCOUNTS = PersonalDataSource(
    model=get_user_model(),
    records=accounts_of,
    export_row=lambda account: {
        "identifiant": account.username,
        "créé le": account.date_joined.isoformat(),
        "dernière connexion": account.last_login.isoformat() if account.last_login else None,
    },
    forget=forget_accounts,
    name="comptes du back-office",
)
# First: a lead's record, which links the person to their account, is deleted by its source.
register_personal_data(ACCOUNTS)
register_personal_data(OTHER_MAILS)
