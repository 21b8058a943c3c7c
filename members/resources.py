"""Import and export of the member file (django-import-export), in French spreadsheets' ways:
French column names, choice labels rather than codes, « 12,50 » and « 25/09/2025 », and a CSV
that French Excel opens as it is (association/spreadsheets.py)."""

import datetime
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.tmp_storages import CacheStorage

from association.spreadsheets import FrenchExcelCSV, defuse_formulas, restore_formulas
from members.models import Membership, Person, Structure
from members.services.names import normalize_name

# --- Formats -----------------------------------------------------------------------------------

# import-export's own XLSX and ODS, not subclasses: it gives them native numbers and dates only
# when the format's class is its own. Formulas are defused by the resource, for every format.
EXPORT_FORMATS = [FrenchExcelCSV, base_formats.XLSX, base_formats.ODS]
IMPORT_FORMATS = [FrenchExcelCSV, base_formats.XLSX]
# What the forms call them (import-export says « csv », « xlsx », « ods »).
FORMAT_LABELS = {
    FrenchExcelCSV: "CSV pour Excel (séparateur « ; »)",
    base_formats.XLSX: "Classeur Excel (.xlsx)",
    base_formats.ODS: "Classeur LibreOffice (.ods)",
}
# The export's format unless one is chosen: Excel's. French offices work in Excel first, and
# LibreOffice opens an .xlsx as it is, whereas Excel opens an .ods only with a warning and some
# formatting lost; the CSV loses the native numbers and dates.
DEFAULT_EXPORT_FORMAT = base_formats.XLSX


class ImportPreviewStorage(CacheStorage):
    """Where an uploaded file waits between the preview and its confirmation
    (IMPORT_EXPORT_TMP_STORAGE_CLASS): in the shared cache for an hour at most, never in the
    temporary folder, where import-export's default left every abandoned file, e-mail addresses
    and all. Removed as soon as it is imported, or when its preview shows errors."""

    CACHE_LIFETIME = 60 * 60
    CACHE_PREFIX = "import-preview-"


# --- Widgets -----------------------------------------------------------------------------------


class ChoiceLabelWidget(widgets.Widget):
    """Exports a choice's French label; imports the label (any case, accents optional) or
    the code."""

    def __init__(self, choices, *, required: bool, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(f"Valeur obligatoire\u00a0: {self._expected()}.")
            return ""
        wanted = normalize_name(text)
        for code, label in self.choices.choices:
            if wanted in (normalize_name(code), normalize_name(str(label))):
                return code
        raise ValueError(
            f"«\u00a0{text}\u00a0» n'est pas une valeur possible\u00a0: {self._expected()}."
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))

    def _expected(self) -> str:
        return ", ".join(str(label) for label in self.choices.labels)


class StructureNameWidget(widgets.ForeignKeyWidget):
    """A structure by its name or acronym, compared without case, accents nor punctuation."""

    def __init__(self, **kwargs):
        super().__init__(Structure, field="name", **kwargs)
        self._by_name = None

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if self._by_name is None:
            self._by_name = {}
            for structure in Structure.objects.all():
                for key in {normalize_name(structure.name), normalize_name(structure.acronym)}:
                    if key:
                        self._by_name.setdefault(key, []).append(structure)
        found = self._by_name.get(normalize_name(text), [])
        if not found:
            raise ValueError(
                f"Structure inconnue\u00a0: «\u00a0{text}\u00a0». "
                f"Créez-la d'abord dans «\u00a0Structures\u00a0»."
            )
        if len(found) > 1:
            raise ValueError(f"Plusieurs structures correspondent à «\u00a0{text}\u00a0».")
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class PersonEmailWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Person, field="email", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        person = Person.objects.filter(email__iexact=text).first()
        if person is None:
            raise ValueError(
                f"Aucune personne avec l'e-mail «\u00a0{text}\u00a0». "
                f"Créez-la d'abord dans «\u00a0Personnes\u00a0»."
            )
        return person

    def render(self, value, obj=None, **kwargs):
        return value.email if value is not None else ""


class FrenchDecimalWidget(widgets.DecimalWidget):
    """« 1 234,50 € », « 1234.5 » or a spreadsheet number."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal):
            return _in_cents(Decimal(str(value)))
        text = re.sub(r"[\s\u00a0\u202f€]", "", str(value or ""))
        if not text:
            return None
        try:
            return _in_cents(Decimal(text.replace(",", ".")))
        except InvalidOperation:
            raise ValueError(
                f"«\u00a0{value}\u00a0» n'est pas un montant (exemple\u00a0: 30,00)."
            ) from None


def _in_cents(amount: Decimal) -> Decimal:
    """« 30 » is 30,00 as stored, so the preview does not show « ,00 » struck out as if it
    changed. More decimals are left for the model to refuse, never rounded silently."""
    if amount.is_finite() and amount.as_tuple().exponent > -2:
        return amount.quantize(Decimal("0.01"))
    return amount


class FrenchDateWidget(widgets.DateWidget):
    """« 25/09/2025 » (also 2025-09-25, or a spreadsheet date)."""

    INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")

    def __init__(self, **kwargs):
        super().__init__(format=self.INPUT_FORMATS[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        day = text.split(" ")[0]  # « 25/09/2025 00:00:00 »: a date a spreadsheet wrote as text
        for date_format in self.INPUT_FORMATS:
            try:
                # A calendar day: no time, so no time zone to attach.
                return datetime.datetime.strptime(day, date_format).date()  # noqa: DTZ007
            except ValueError:
                continue
        raise ValueError(f"«\u00a0{value}\u00a0» n'est pas une date (exemple\u00a0: 25/09/2025).")


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, InvalidOperation, TypeError):
            raise ValueError(
                f"«\u00a0{value}\u00a0» n'est pas une année (exemple\u00a0: 2025)."
            ) from None


def _labels(choices) -> str:
    return ", ".join(f"«\u00a0{label}\u00a0»" for label in choices.labels)


# --- Resources ---------------------------------------------------------------------------------


_XOR_MESSAGE = next(
    constraint.violation_error_message
    for constraint in Membership._meta.constraints
    if constraint.name == "membership_structure_xor_person"
)


class MembershipResource(resources.ModelResource):
    """One line per yearly membership. Import identifies the member by the structure's name or
    the person's e-mail (both must already exist), and updates that year's membership if there
    is one. A single wrong line and nothing is imported."""

    year = Field(attribute="year", column_name="Année", widget=YearWidget())
    structure = Field(attribute="structure", column_name="Structure", widget=StructureNameWidget())
    person = Field(
        attribute="person", column_name="E-mail de la personne", widget=PersonEmailWidget()
    )
    person_name = Field(column_name="Personne", readonly=True)
    status = Field(
        attribute="status",
        column_name="Statut",
        widget=ChoiceLabelWidget(Membership.Status, required=True),
    )
    fee = Field(attribute="fee", column_name="Cotisation (€)", widget=FrenchDecimalWidget())
    paid_on = Field(attribute="paid_on", column_name="Payée le", widget=FrenchDateWidget())
    payment_method = Field(
        attribute="payment_method",
        column_name="Moyen de paiement",
        widget=ChoiceLabelWidget(Membership.PaymentMethod, required=False),
    )
    notes = Field(attribute="notes", column_name="Notes", widget=widgets.CharWidget())

    class Meta:
        model = Membership
        name = "Adhésions"
        fields = (
            "year",
            "structure",
            "person",
            "person_name",
            "status",
            "fee",
            "paid_on",
            "payment_method",
            "notes",
        )
        export_order = fields
        import_id_fields = ("year", "structure", "person")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def export(self, *args, **kwargs) -> tablib.Dataset:
        # Every format gets the defused cells: the quote is in the data, not in one writer.
        return defuse_formulas(super().export(*args, **kwargs))

    def before_import(self, dataset, **kwargs):
        limit = settings.MEMBERSHIP_IMPORT_MAX_ROWS
        if len(dataset) > limit:
            # import-export goes on with the rows after this error: leave it none.
            del dataset[:]
            raise ValueError(
                f"Le fichier a plus de {limit}\u00a0lignes\u00a0: découpez-le en plusieurs "
                "fichiers."
            )
        # The quote the export added goes, whatever the file's format.
        restored = restore_formulas(dataset)
        del dataset[:]
        dataset.extend(restored)
        # A list of structures only may have no « E-mail de la personne » column (a list of
        # people no « Structure »): the missing one is empty. Without the year, nothing can be
        # matched: say so in French rather than import-export's English.
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        year = self.fields["year"].column_name
        if year not in headers:
            raise ValueError(
                f"Le fichier n'a pas de colonne «\u00a0{year}\u00a0»\u00a0: sa première ligne "
                "doit donner le nom des colonnes (voir la liste ci-dessus)."
            )
        for name in ("structure", "person"):
            column = self.fields[name].column_name
            if column not in headers:
                dataset.append_col([""] * len(dataset), header=column)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown member or year: the field itself reports it below, beside the other
            # mistakes of the same line, rather than hiding them.
            return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The preview names each wrong cell by its column (« Cotisation (€) »), not by the
        # model's field (« fee »): the coordinator reads the spreadsheet's headers.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = dict(error.error_dict)
            line_errors = errors.pop(NON_FIELD_ERRORS, [])
            if {"structure", "person"} & errors.keys():
                # An unknown structure or e-mail is reported in its cell: the model's « choose a
                # structure or a person » would only add a second, misleading message.
                line_errors = [e for e in line_errors if e.code != "member_choice"]
            elif any(e.code == "member_choice" for e in line_errors):
                # The database constraint says the same thing less well (« pas les deux »
                # for a line naming no member at all).
                line_errors = [e for e in line_errors if e.message != _XOR_MESSAGE]
            if line_errors:
                errors[NON_FIELD_ERRORS] = line_errors
            columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in errors.items()}
            ) from None

    def get_user_visible_fields(self):
        # The columns the import reads: « Personne » is only written, for the reader.
        return [field for field in super().get_user_visible_fields() if not field.readonly]

    def describe_import_columns(self) -> list[tuple[str, str]]:
        """(column, what to write in it) for the import page."""
        help_texts = {
            "year": "obligatoire, par exemple 2025.",
            "structure": "nom ou sigle d'une structure déjà enregistrée (majuscules, accents et "
            "ponctuation indifférents)\u00a0;",
            "person": "ou bien l'e-mail d'une personne déjà enregistrée\u00a0: une ligne "
            "concerne soit une structure, soit une personne.",
            "status": f"obligatoire\u00a0: {_labels(Membership.Status)}.",
            "fee": "facultatif, par exemple 30,00 ou 1 200,50\u00a0€.",
            "paid_on": "facultatif, par exemple 25/09/2025.",
            "payment_method": f"facultatif\u00a0: {_labels(Membership.PaymentMethod)}.",
            "notes": "facultatif, texte libre.",
        }
        names = {field: name for name, field in self.fields.items()}
        return [
            (field.column_name, help_texts.get(names[field], ""))
            for field in self.get_user_visible_fields()
        ]

    def dehydrate_person_name(self, membership: Membership) -> str:
        return membership.person.full_name if membership.person_id else ""

    def get_queryset(self):
        return super().get_queryset().select_related("structure", "person")
