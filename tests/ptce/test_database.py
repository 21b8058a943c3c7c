import os

from django.db import connection


def test_runs_on_the_database_named_by_database_url(db):
    """CI's second pass sets DATABASE_URL to PostgreSQL: make sure the suite really ran there,
    rather than falling back to SQLite without a word."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected
