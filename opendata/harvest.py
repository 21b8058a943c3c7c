"""Reading other portals' data packages into the national picture.

For each active `RemotePortal`: its datapackage.json (opendata/fetch.py's rules: https,
public addresses, timeouts, sizes), checked against what this portal publishes (the
resources read, each column with the same type), then each resource's CSV, row by row
against the same columns. A row that does not fit is left out and counted; a resource that
does not fit is left out, the portal's previous rows of it kept; a package that cannot be read
or has no licence refuses the whole portal, its previous rows kept. Each portal is read apart:
one that fails in any way never stops the others. The report says, in French, what was read
and what was refused and why."""

import csv
import datetime
import io
import json
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from association.content import bump_content_version
from association.spreadsheets import restore_formula
from opendata.datasets import BY_NAME
from opendata.fetch import Refused, fetch
from opendata.models import HarvestedRecord, RemotePortal
from opendata.tables import Column, Dataset

logger = logging.getLogger(__name__)

WANTED = tuple(HarvestedRecord.Dataset.values)
# Reasons named in the report for a resource's refused rows; the others are counted.
REASONS_SHOWN = 3


@dataclass
class PortalReport:
    portal: RemotePortal
    outcome: str = RemotePortal.Outcome.READ
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@task()
def read_portal(portal_id: int) -> str:
    """Read one portal in the task worker: the coordinator's « Lire maintenant » does not wait
    for it (a slow portal's five files, each allowed OPEN_DATA_HARVEST_TIMEOUT, would outlast
    the web server's timeout and lose the report)."""
    portal = RemotePortal.objects.filter(pk=portal_id).first()
    return harvest_portal(portal).outcome if portal else ""


def harvest_all() -> list[PortalReport]:
    return [harvest_portal(portal) for portal in RemotePortal.objects.filter(is_active=True)]


def harvest_portal(portal: RemotePortal) -> PortalReport:
    """Read one portal; never raises for anything the portal sent."""
    report = PortalReport(portal)
    try:
        _harvest(portal, report)
    except Refused as reason:
        report.outcome = RemotePortal.Outcome.REFUSED
        report.lines.insert(0, f"Paquet refusé : {reason}.")
    except Exception:  # our own bug: logged, the other portals still read
        logger.exception("Reading %s failed", portal.package_url)
        report.outcome = RemotePortal.Outcome.REFUSED
        report.lines.insert(0, "Paquet refusé : erreur inattendue du portail qui lit (journal).")
    portal.last_read_at = timezone.now()
    portal.last_outcome = report.outcome
    portal.last_report = report.text
    portal.save()
    return report


def _harvest(portal: RemotePortal, report: PortalReport) -> None:
    package = _package(fetch(portal.package_url, max_bytes=settings.OPEN_DATA_PACKAGE_MAX_BYTES))
    licence = package["licenses"][0]
    resources = {
        r["name"]: r
        for r in package["resources"]
        if isinstance(r, dict) and isinstance(r.get("name"), str)
    }
    read = {}
    for name in WANTED:
        dataset = BY_NAME[name]
        resource = resources.get(name)
        if resource is None:
            report.lines.append(f"« {name} » : absent du paquet, rien lu.")
            continue
        try:
            check_schema(resource, dataset)
            path = urljoin(portal.package_url, resource["path"])
            rows, refusals = parse_rows(fetch(path), dataset)
        except Refused as reason:
            report.lines.append(f"« {name} » refusé : {reason}. Les lignes lues avant restent.")
            continue
        read[name] = (path, rows)
        line = f"« {name} » : {len(rows)} ligne{'s' if len(rows) > 1 else ''} lue(s)"
        if refusals:
            shown = "; ".join(refusals[:REASONS_SHOWN])
            line += f", {len(refusals)} refusée(s) ({shown}{' ; …' if len(refusals) > 3 else ''})"
        report.lines.append(line + ".")
    if not read:
        raise Refused("aucun de ses fichiers ne correspond à ce que ce portail publie")
    if len(read) < len(WANTED):
        report.outcome = RemotePortal.Outcome.PARTLY
    _store(portal, package, licence, read)


def _package(raw: bytes) -> dict:
    try:
        package = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused("ce n'est pas du JSON") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise Refused("ce n'est pas un paquet de données (pas de liste « resources »)")
    licences = package.get("licenses")
    if not licences or not isinstance(licences, list) or not isinstance(licences[0], dict):
        raise Refused("aucune licence : ses données ne sont pas réutilisables")
    if not any(isinstance(licences[0].get(key), str) for key in ("name", "path")):
        raise Refused("sa licence n'a ni nom ni adresse")
    return package


def check_schema(resource: dict, dataset: Dataset) -> None:
    """The resource's Table Schema has each of our columns, with the same type."""
    if not isinstance(resource.get("path"), str):
        raise Refused("pas d'adresse de fichier (« path »)")
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        raise Refused("pas de schéma de table")
    types = {
        f["name"]: f.get("type", "string")
        for f in fields
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    }
    for column in dataset.columns:
        if column.name not in types:
            raise Refused(f"le schéma n'a pas la colonne « {column.name} »")
        if types[column.name] != column.type:
            raise Refused(
                f"la colonne « {column.name} » est de type « {types[column.name]} » au lieu "
                f"de « {column.type} »"
            )


def parse_rows(body: bytes, dataset: Dataset) -> tuple[list[dict], list[str]]:
    """The rows that fit the columns (as text, the formula quote of our CSV taken off), and a
    reason for each row that does not; Refused beyond OPEN_DATA_HARVEST_MAX_ROWS rows (the
    national page lists them all)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("le fichier n'est pas en UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c.name for c in dataset.columns if c.name not in (reader.fieldnames or [])]
    if missing:
        raise Refused(f"l'en-tête du fichier n'a pas la colonne « {missing[0]} »")
    rows, refusals, seen = [], [], set()
    try:
        for number, raw in enumerate(reader, start=2):
            row = {c.name: (raw.get(c.name) or "") for c in dataset.columns}
            reason = _row_problem(row, dataset.columns)
            if reason is None and row[dataset.primary_key] in seen:
                reason = f"identifiant « {row[dataset.primary_key]} » en double"
            if reason is not None:
                refusals.append(f"ligne {number} : {reason}")
                continue
            seen.add(row[dataset.primary_key])
            rows.append(row)
            if len(rows) > settings.OPEN_DATA_HARVEST_MAX_ROWS:
                raise Refused(f"plus de {settings.OPEN_DATA_HARVEST_MAX_ROWS} lignes")
    except csv.Error as error:
        raise Refused(f"CSV illisible ({error})") from None
    return rows, refusals


def _row_problem(row: dict, columns: tuple[Column, ...]) -> str | None:
    for column in columns:
        value = row[column.name]
        if not value:
            if column.required:
                return f"« {column.name} » vide"
            continue
        if len(value) > 10_000:
            return f"« {column.name} » trop long"
        if column.format == "uri" and not value.startswith(("https://", "http://")):
            return f"« {column.name} » n'est pas une adresse web : « {value[:40]} »"
        if column.enum and value not in column.enum:
            return f"« {column.name} » vaut « {value[:40]} », hors des valeurs permises"
        if not _fits(value, column.type):
            return f"« {column.name} » n'est pas de type {column.type_label} : « {value[:40]} »"
    return None


def _fits(value: str, kind: str) -> bool:
    readers = {
        "integer": int,
        "number": float,
        "date": datetime.date.fromisoformat,
        "time": datetime.time.fromisoformat,
        "boolean": {"true": True, "false": False}.__getitem__,
    }
    try:
        readers.get(kind, str)(value)
    except (ValueError, KeyError):
        return False
    return True


def _undefused(value: str) -> str:
    """Our CSV puts a quote before a text a spreadsheet would run (and doubles one already
    there); the page shows the text as it was typed."""
    return restore_formula(value)


def _web_address(value) -> str:
    """An address the public page may link to: http(s) only (never « javascript: »)."""
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value[:500]
    return ""


def _store(portal: RemotePortal, package: dict, licence: dict, read: dict) -> None:
    now = timezone.now()
    licence_name = next(
        (licence[key] for key in ("name", "title", "path") if isinstance(licence.get(key), str)),
        "",
    )[:100]
    publisher = next(
        (
            c.get("title")
            for c in package.get("contributors") or []
            if isinstance(c, dict) and c.get("role") == "publisher"
        ),
        "",
    )
    with transaction.atomic():
        for name, (path, rows) in read.items():
            HarvestedRecord.objects.filter(portal=portal, dataset=name).delete()
            HarvestedRecord.objects.bulk_create(
                HarvestedRecord(
                    portal=portal,
                    dataset=name,
                    identifier=row[BY_NAME[name].primary_key][:200],
                    data={key: _undefused(value) for key, value in row.items()},
                    source_url=path[:500],
                    licence=licence_name,
                    date=datetime.date.fromisoformat(row["date"]) if row.get("date") else None,
                    read_at=now,
                )
                for row in rows
            )
        # Named once from its package; then the coordinator's name stays: a portal renaming
        # itself would otherwise write what it likes on the national page.
        if isinstance(publisher, str) and publisher and not portal.name:
            portal.name = publisher[:200]
        portal.homepage = _web_address(package.get("homepage"))
        portal.licence_name = licence_name
        portal.licence_url = _web_address(licence.get("path"))
        modified = package.get("lastModified") or package.get("created") or ""
        portal.data_modified_at = str(modified)[:40]
        portal.save()
        # Bulk writes send no signal: the national page's cached copies follow the version.
        bump_content_version()
