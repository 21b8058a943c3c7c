"""What a dataset is: its columns (name, Table Schema type, meaning), its rows (a queryset read
in chunks, and a function from a record to a row), the API's filters that apply to it, and the
Table Schema drawn from its columns. The datasets themselves are in opendata/datasets.py."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from association.identity import site_url

# Rows read from the database at a time by the streamed exports: memory stays flat whatever
# the size of the table. 100 rather than Django's 2 000: a structure's row holds its groups
# (prefetched per chunk), and `make bench` (scripts/bench_exports.py) measured the peak at 100x
# within a fifth of 10x's with 100, where 500 still let it grow with the table.
CHUNK_SIZE = 100


TYPE_LABELS = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre (point décimal)",
    "boolean": "true ou false",
    "date": "date AAAA-MM-JJ",
    "time": "heure HH:MM:SS",
}


@dataclass(frozen=True)
class Column:
    """A column: its name in the files and the API, its Table Schema type, and what it means."""

    name: str
    type: str  # Table Schema: string, integer, number, boolean, date, time
    title: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    format: str = ""  # Table Schema's format for strings: uri

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]


@dataclass(frozen=True)
class Filters:
    """The API's filters, checked: a group's slug, a period (« 2025 » or « 2025-09 ») and a
    kind. A dataset ignores those that do not apply to it (see `Dataset.filters`)."""

    group: str = ""
    year: int | None = None
    month: int | None = None
    kind: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    queryset: Callable[[Filters], QuerySet | list]
    row: Callable[[object], dict]
    filters: tuple[str, ...] = ()  # the API's filters that apply: groupe, periode, type
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, dataset, its column)
    # How an identifier finds its record: « <prefix><pk> » or a slug; None for a list.
    id_prefix: str | None = None

    def find(self, identifier: str) -> dict | None:
        """The row whose identifier is `identifier`, None if there is none."""
        found = self.queryset(Filters())
        if not isinstance(found, QuerySet):
            return next(
                (r for r in map(self.row, found) if r[self.primary_key] == identifier), None
            )
        if self.id_prefix is None:
            found = found.filter(slug=identifier)
        else:
            number = identifier.removeprefix(self.id_prefix)
            if not (
                identifier.startswith(self.id_prefix) and number.isascii() and number.isdigit()
            ):
                return None
            found = found.filter(pk=int(number))
        item = found.first()
        return None if item is None else self.row(item)

    def rows(self, filters: Filters | None = None) -> Iterator[dict]:
        """Every row, read `CHUNK_SIZE` at a time."""
        found = self.queryset(filters or Filters())
        items = found.iterator(chunk_size=CHUNK_SIZE) if isinstance(found, QuerySet) else found
        for item in items:
            yield self.row(item)

    def table_schema(self) -> dict:
        schema = {
            "fields": [_field_schema(column) for column in self.columns],
            "primaryKey": [self.primary_key],
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [own], "reference": {"resource": other, "fields": [theirs]}}
                for own, other, theirs in self.foreign_keys
            ]
        return schema


def _field_schema(column: Column) -> dict:
    described = {
        "name": column.name,
        "type": column.type,
        "title": column.title,
        "description": column.description,
    }
    if column.format:
        described["format"] = column.format
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        described["constraints"] = constraints
    return described


def absolute(path: str) -> str:
    return site_url() + path
