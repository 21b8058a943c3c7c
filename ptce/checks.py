"""System checks of the project, run by `manage.py check --deploy`."""

from django.core import checks
from django.db import DatabaseError

from ptce.database_caches import database_caches


@checks.register(checks.Tags.caches, deploy=True)
def check_cache_table(app_configs, **kwargs):
    """The database cache's table exists, or the join form cannot count its submissions.

    A deployment check only: `migrate` runs the ordinary checks before it creates anything.
    A database never migrated is left alone (`migrate` will create the table), and so is one
    that cannot be reached (nothing here could tell)."""
    errors = []
    for cache in database_caches():
        try:
            with cache.connection.cursor() as cursor:
                tables = cache.connection.introspection.table_names(cursor)
        except DatabaseError:
            continue
        if "django_migrations" in tables and cache.table not in tables:
            errors.append(
                checks.Error(
                    f"La table du cache «\u00a0{cache.table}\u00a0» (cache "
                    f"«\u00a0{cache.alias}\u00a0») n'existe pas dans la base "
                    f"«\u00a0{cache.database}\u00a0»\u00a0: le formulaire "
                    "d'adhésion ne peut pas limiter les envois.",
                    hint="Lancez «\u00a0python manage.py migrate\u00a0», qui la crée (ou "
                    "«\u00a0python manage.py createcachetable\u00a0»).",
                    id="ptce.E001",
                )
            )
    return errors


@checks.register(deploy=True)
def check_site_url(app_configs, **kwargs):
    """SITE_URL is the address of every link in mails and calendar entries (the reminders, sent
    by cron, included): unset or local, those links lead nowhere, and nothing else would say
    so."""
    from urllib.parse import urlsplit

    from django.conf import settings

    if settings.DEBUG:
        return []
    address = urlsplit(settings.SITE_URL)
    local = address.hostname in {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}
    if address.scheme == "https" and not local:
        return _check_site_url_is_served(settings.SITE_URL, address.netloc)
    return [
        checks.Error(
            f"SITE_URL vaut «\u00a0{settings.SITE_URL}\u00a0»\u00a0: les liens des e-mails "
            "(invitations, rappels envoyés par cron…) et des agendas mèneraient nulle part.",
            hint="Donnez l'adresse publique du portail dans .env, par exemple "
            "SITE_URL=https://portail.example.org",
            id="ptce.E002",
        )
    ]


def _check_site_url_is_served(site_url: str, netloc: str) -> list:
    """The reminders' links open pages only if their host is one ALLOWED_HOSTS serves: a
    « www. » too many, or a blank pasted after the address, and every link gets a 400."""
    from django.conf import settings
    from django.http.request import split_domain_port, validate_host

    domain, _port = split_domain_port(netloc)
    if domain and validate_host(domain, settings.ALLOWED_HOSTS):
        return []
    return [
        checks.Error(
            f"SITE_URL vaut «\u00a0{site_url}\u00a0», dont le nom n'est pas dans ALLOWED_HOSTS "
            f"({', '.join(settings.ALLOWED_HOSTS)})\u00a0: les liens des rappels de réunion "
            "mèneraient à une page «\u00a0Bad Request\u00a0».",
            hint="Donnez dans SITE_URL l'adresse publique exacte du portail (sans espace après), "
            "et ce même nom dans ALLOWED_HOSTS.",
            id="ptce.E004",
        )
    ]


@checks.register(deploy=True)
def check_env_file_permissions(app_configs, **kwargs):
    """The .env holds the secret key and the passwords: created with the default umask it is
    readable by every account of the server (docs/deploy.md creates it 0600)."""
    from pathlib import Path

    from django.conf import settings

    env_file = Path(settings.ENV_FILE)
    if not env_file.is_file() or not env_file.stat().st_mode & 0o077:
        return []
    return [
        checks.Warning(
            f"{env_file} est lisible par d'autres comptes du serveur que celui du portail, "
            "alors qu'il contient la clé secrète et les mots de passe.",
            hint=f"chmod 600 {env_file}",
            id="ptce.W003",
        )
    ]
