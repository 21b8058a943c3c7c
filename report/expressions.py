"""Date arithmetic in the database, the same on SQLite and PostgreSQL: how many days of a
period fall within a year, so that a period across the new year is split by its days."""

import datetime

from django.db.models import Expression, F, FloatField, Func, Value
from django.db.models.functions import Coalesce, Greatest, Least


class DaysBetween(Func):
    """`end - start` in days, as a float (dates only)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            sql = f"(julianday({end_sql}) - julianday({start_sql}))"
        else:
            sql = f"CAST(({end_sql} - {start_sql}) AS double precision)"
        return sql, (*end_params, *start_params)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def days_in_year(year: int) -> int:
    start, end = year_bounds(year)
    return (end - start).days + 1


def days_within(year: int, start: str, end: str) -> Expression:
    """Days of the period [start, end] (field names; an empty end goes on) within `year`.
    Use only on rows whose period overlaps the year: otherwise the result is negative."""
    first, last = year_bounds(year)
    return DaysBetween(
        Least(Coalesce(F(end), Value(last)), Value(last)), Greatest(F(start), Value(first))
    ) + Value(1.0)


def share_within(year: int, start: str, end: str) -> Expression:
    """The share (0 to 1) of the period [start, end]'s days that fall within `year`."""
    return days_within(year, start, end) / (DaysBetween(F(end), F(start)) + Value(1.0))
