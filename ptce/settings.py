"""Settings of the PTCE portal.

Every value that differs between a laptop and production comes from the environment
(or a `.env` file beside manage.py), read with django-environ; `.env.example` lists them all
with a safe development value. DEBUG is off unless the environment turns it on (`make run` and
the tests do), so a forgotten variable never shows debug pages; with DEBUG on and nothing else
the portal runs on its embedded defaults: SQLite file in the project folder, database cache, mail
printed on the console.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ptce.environment import documents_storage, mailer_from_url, refuse_comments_after_values

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE names another file (or /dev/null for none): a test of the defaults must not read a
# developer's .env. gunicorn's configuration reads the same file (ptce/gunicorn_config.py).
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
refuse_comments_after_values(ENV_FILE)
environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Core --------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment or in .env "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-never-used-in-production"
# Rotating the key: put the new one in SECRET_KEY and the old one here (comma-separated) for a
# while, so sessions and links already mailed keep working until they expire.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Our apps are floors, each importing only those listed before it: listed in the order of the
# import contract's layers (pyproject.toml, where the floors are written; a test holds this list
# to it); they come before Django's so that their admin templates take precedence.
INSTALLED_APPS = [
    "association",
    "outbox",
    # django-auditlog before the trail: its admin registers the entry model first, and
    # audit/admin.py replaces it with ours.
    "auditlog",
    "audit",
    "members",
    "groups",
    "events",
    "scic",
    "joining",
    "report",
    "space",
    "opendata",
    "news",
    "ptce",
    "ptce.demo",
    "ptce.apps.PortalAdminConfig",  # django.contrib.admin, with ptce's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in the address or the query string: a 400 before any view looks it up.
    "association.http.RefuseNulCharactersMiddleware",
    # ETag on every GET response, and 304 to If-None-Match / If-Modified-Since: calendar
    # applications and feed readers poll often. Outside the middleware that change the response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Each write of the request carries its origin and author into the audit trail.
    "audit.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost: it stores what the view returned, and every middleware above still adds its
    # headers (a fresh CSP, X-Frame-Options…) to a page served from the cache.
    "ptce.cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "ptce.urls"
WSGI_APPLICATION = "ptce.wsgi.application"
AUTH_USER_MODEL = "association.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        # No "loaders": Django then wraps them in its cached loader, in every mode (templates
        # are parsed once per process; `runserver` reloads them when they change).
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ptce.context_processors.site_identity",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE transactions take
    # the write lock up front, so two processes wait for each other instead of failing with
    # "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }


# --- Cache, tasks, mail ------------------------------------------------------------------------

# The database cache is shared by every process (web workers, task worker) with no extra
# server; production may point CACHE_URL at Redis.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://ptce_cache"),
    # Rendered public pages (ptce/cache.py), keyed by the content version, so a process's own
    # memory is correct: the version read from the database on each request decides. Point
    # PAGE_CACHE_URL at Redis to share the renders between processes.
    "pages": env.cache("PAGE_CACHE_URL", default="locmemcache://ptce-pages"),
}
CACHES["pages"].setdefault("TIMEOUT", 60 * 60 * 24)
# A bound on the entries kept in a process's memory or in the cache table; Redis has its own
# (maxmemory), and its client would take MAX_ENTRIES for a connection option and fail.
if CACHES["pages"]["BACKEND"] in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.db.DatabaseCache",
):
    CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# The public forms' rate limits (association/ratelimit.py), where nothing else can push them out:
# neither page churn (Redis evicting the least used keys) nor a full cache table (Django culls a
# third of the rows past MAX_ENTRIES). By default a table of their own, never culled (the
# expired rows go with `clear_expired_cache`, daily); LIMITS_CACHE_URL may point at a Redis
# instance of their own, with `maxmemory-policy noeviction` (docs/deploy.md).
CACHES["limits"] = env.cache("LIMITS_CACHE_URL", default="dbcache://ptce_limits")
if CACHES["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["limits"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 10**9
# On for `make bench` only: serves /__bench__/bare/, a constant through the same middleware.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


MAILERS = {
    "default": mailer_from_url(
        env.str("EMAIL_URL", default="consolemail://"), env.int("EMAIL_TIMEOUT", default=10)
    )
}
# The demo's notification address (join requests are announced there): a reserved example
# address (RFC 2606) unless the operator gives theirs, so a demo never mails a real person.
DEMO_NOTIFICATION_EMAIL = env.str("DEMO_NOTIFICATION_EMAIL", default="coordination@example.org")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PTCE <ne-pas-repondre@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Without Sentry, the errors' reports (a 500, a failed job) are mailed to these addresses
# (comma-separated), by ptce.error_reports.AdminMailHandler: the traceback, without personal data.
ADMINS = env.list("ADMINS", default=[])

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "fr"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
# Our corrections of Django's French where it comes out wrong around our models' names
# (« l'objet réunion »): locale/fr/LC_MESSAGES/django.po, compiled to the .mo beside it.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and media files --------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are served by the portal itself (association/uploads.py, in every mode) with
# headers that keep them inert; a proxy that serves MEDIA_ROOT itself must send the same (README).
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The logo: PNG, JPEG or WebP only, at most LOGO_MAX_BYTES and LOGO_MAX_PIXELS on each side.
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=2 * 1024 * 1024)
LOGO_MAX_PIXELS = env.int("LOGO_MAX_PIXELS", default=4000)
# The groups' documents (agendas, minutes, presentations): never under MEDIA_ROOT nor any public
# URL, only sent by a view that checks the right (space/views/documents.py). A local folder by
# default; a private S3-compatible bucket when DOCUMENTS_S3_BUCKET is set (django-storages).
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private" / "documents")
# The largest document accepted (10 Mo by default); the proxy's body limit must allow it.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Behind nginx, the file is sent by the proxy itself once the portal said yes: the internal
# location of DOCUMENTS_ROOT (e.g. /protected-documents/); empty, the portal sends it.
DOCUMENTS_ACCEL_REDIRECT = env.str("DOCUMENTS_ACCEL_REDIRECT", default="")
# Uploaded files and their folders readable by the portal's user and its group only (nginx's
# user joins the group when it serves the documents itself), not by every account (0644).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": documents_storage(env, DOCUMENTS_ROOT),
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- Security ----------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
# The link a lead's new account is mailed, to choose a password (Django's password reset), works
# this long and once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

# --- Back-office login: lockout, path, two-factor ----------------------------------------------

# django-axes counts failed logins: AXES_FAILURE_LIMIT failures for one account (from anywhere) or
# from one address (whatever the account) lock that account or address out for
# AXES_COOLOFF_MINUTES. `manage.py axes_reset` (or the admin's « Tentatives d'accès ») unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful login forgets the failures against that account only (ptce/login_security.py):
# axes' own AXES_RESET_ON_SUCCESS would forget the address's too, other accounts' included.
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "ptce.login_security.OwnFailuresResetHandler"
AXES_LOCKOUT_CALLABLE = "ptce.login_security.lockout_response"
# The visitor's address under the same rule as the join form: TRUSTED_PROXY_COUNT proxies in
# front of the portal, each appending to X-Forwarded-For; 0 means REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "association.http.client_address"
# The back-office's path: another one than admin/ spares it most robots' guessing.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# On: staff log in with a one-time code of a TOTP application too (django-otp). Register each
# staff member's device first (admin, « TOTP devices »), or they can no longer log in.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Portail PTCE")

# --- Logging and error reports -------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Operators' logs name no person: addresses, phone numbers and tokens are scrubbed from every
    # message and traceback written to the console (ptce/error_reports.py).
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "scrub": {"()": "ptce.error_reports.ScrubLogRecords"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"]},
        # Replaces Django's own, whose report carries the form's fields and the frames' values.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "ptce.error_reports.AdminMailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django_tasks_db": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.utils.autoreload": {"level": "WARNING"},
        # « AXES: BEGIN … » at every start of every cron job says nothing.
        "axes.apps": {"level": "WARNING"},
    },
}
# Errors are on the console with their traceback (django.request propagates to the root); one
# line per request comes from gunicorn (ptce/gunicorn_config.py). With SENTRY_DSN, errors are
# also reported to Sentry or GlitchTip, without personal data (ptce/error_reports.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ptce.error_reports import start as start_error_reports

    start_error_reports(SENTRY_DSN, env.str("SENTRY_ENVIRONMENT", default="production"))

# --- Join-us form, outgoing mail, personal data (members app) ----------------------------------

# Anti-spam of the join-us form: at most JOIN_RATE_LIMIT submissions per client address in
# JOIN_RATE_WINDOW seconds (counted in CACHES["limits"], shared by every process); a form sent
# less than JOIN_MIN_FILL_SECONDS after it was displayed is a robot's; a form token older than
# JOIN_FORM_MAX_AGE seconds has expired.
JOIN_RATE_LIMIT = env.int("JOIN_RATE_LIMIT", default=5)
# The other public forms (a guest's answer to a meeting, an event registration): at most
# PUBLIC_FORM_RATE_LIMIT per client address in PUBLIC_FORM_RATE_WINDOW seconds.
PUBLIC_FORM_RATE_LIMIT = env.int("PUBLIC_FORM_RATE_LIMIT", default=10)
PUBLIC_FORM_RATE_WINDOW = env.int("PUBLIC_FORM_RATE_WINDOW", default=60 * 60)
JOIN_RATE_WINDOW = env.int("JOIN_RATE_WINDOW", default=60 * 60)
JOIN_MIN_FILL_SECONDS = env.int("JOIN_MIN_FILL_SECONDS", default=3)
JOIN_FORM_MAX_AGE = env.int("JOIN_FORM_MAX_AGE", default=60 * 60 * 24)
# At most JOIN_ACKNOWLEDGEMENT_LIMIT acknowledgements to one e-mail address in
# JOIN_ACKNOWLEDGEMENT_WINDOW seconds: the form accepts any address typed. Past it the request
# is still saved and the coordinator notified; only the acknowledgement is skipped.
JOIN_ACKNOWLEDGEMENT_LIMIT = env.int("JOIN_ACKNOWLEDGEMENT_LIMIT", default=3)
JOIN_ACKNOWLEDGEMENT_WINDOW = env.int("JOIN_ACKNOWLEDGEMENT_WINDOW", default=60 * 60 * 24)
# Behind reverse proxies every request comes from the last one: TRUSTED_PROXY_COUNT is how many
# stand in front of Django, each appending the address it saw to X-Forwarded-For; the visitor's
# is then the N-th from the right (the hops on its left are the visitor's to forge). 0 (no
# proxy): REMOTE_ADDR, the header is ignored. Read by the join form's rate limit and the admin
# login's lockout.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The scheme the visitor used, as the proxy says in X-Forwarded-Proto (the HTTPS redirect and
# the secure cookies depend on it). Without a proxy the header is the visitor's to forge.
if not DEBUG and TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A mail that fails is retried after OUTGOING_MAIL_RETRY_DELAY seconds, then 4, 16… times longer,
# and marked failed after OUTGOING_MAIL_MAX_ATTEMPTS attempts.
OUTGOING_MAIL_MAX_ATTEMPTS = env.int("OUTGOING_MAIL_MAX_ATTEMPTS", default=6)
OUTGOING_MAIL_RETRY_DELAY = env.int("OUTGOING_MAIL_RETRY_DELAY", default=60)
# A mail a worker started sending more than OUTGOING_MAIL_CLAIM_TIMEOUT seconds ago without an
# outcome was left by a worker that stopped: `manage.py requeue_stale_mails` (cron) sends it
# again. It must exceed the longest send, EMAIL_TIMEOUT for each of the dozen exchanges with
# the mail server (connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA…), or a slow send would be
# taken over and the mail sent twice.
OUTGOING_MAIL_CLAIM_TIMEOUT = env.int("OUTGOING_MAIL_CLAIM_TIMEOUT", default=5 * 60)
_longest_send = 12 * (MAILERS["default"].get("OPTIONS", {}).get("timeout") or 0)
if _longest_send >= OUTGOING_MAIL_CLAIM_TIMEOUT:
    raise ImproperlyConfigured(
        f"OUTGOING_MAIL_CLAIM_TIMEOUT ({OUTGOING_MAIL_CLAIM_TIMEOUT} s) must exceed "
        f"12 times EMAIL_TIMEOUT = {_longest_send} s, the longest a send can take: raise it."
    )
# Retention periods, applied daily by `manage.py apply_retention` and stated on the privacy page.
RETENTION_DECLINED_MONTHS = env.int("RETENTION_DECLINED_MONTHS", default=6)
RETENTION_UNHANDLED_MONTHS = env.int("RETENTION_UNHANDLED_MONTHS", default=12)
RETENTION_FORMER_MEMBER_YEARS = env.int("RETENTION_FORMER_MEMBER_YEARS", default=3)

# --- The audit trail (audit app, django-auditlog) ----------------------------------------------

AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# django-auditlog's migrations create its own entry table even when the model is swapped for
# ours: an empty table whose key on the content types stops PostgreSQL's flush (TRUNCATE).
MIGRATION_MODULES = {"auditlog": None}
# No address of the author: the account (or the visitor's name) says who; an IP is one more
# personal datum to scrub, and behind the proxy not even the right one.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Entries older than this are deleted by `manage.py purge_audit_trail` (daily): 6 years cover
# the 5 years during which a change to the register or the figures can be contested (Code
# civil, art. 2224), plus the year of the report it fed.
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=6)

# --- The SCIC's general assembly (scic app) ------------------------------------------------------

# Convocations to a general assembly leave at least this many days before it (the statutes'
# notice period): the portal refuses to send them later.
SCIC_CONVOCATION_NOTICE_DAYS = env.int("SCIC_CONVOCATION_NOTICE_DAYS", default=15)

# --- Uploads and the membership import (members app) ---------------------------------------------

# Request bodies and uploads held in memory (Django's defaults, stated): a bigger upload goes to a
# temporary file that Django deletes at the end of the request. The proxy caps the whole request
# above the largest upload, a group's document (nginx: client_max_body_size 11m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The membership import refuses a file over MEMBERSHIP_IMPORT_MAX_BYTES or with more than
# MEMBERSHIP_IMPORT_MAX_ROWS lines; between preview and confirmation the file waits in the cache
# (an hour at most), never in the temporary folder.
MEMBERSHIP_IMPORT_MAX_BYTES = 2 * 1024 * 1024
MEMBERSHIP_IMPORT_MAX_ROWS = 5000
IMPORT_EXPORT_TMP_STORAGE_CLASS = "members.resources.ImportPreviewStorage"


# --- Calendar feeds ----------------------------------------------------------------------------

# Domain of the calendar entries' UIDs (meeting-12@portail.example.org). A UID must never change,
# whatever address the site is reached at: empty, the host name of the website in the site
# identity is used, else the request's host.
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="")

# --- Meetings ----------------------------------------------------------------------------------

# The site's address, e.g. https://portail.example.org: the base of every link in mails (from a
# page, the admin or cron alike) and in calendar entries, given by association.identity.site_url(),
# never read from a request. Required in production: `check --deploy` fails without it, or with a
# local address (ptce/checks.py), since those links would point nowhere.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# --- Partners' space (space app) ---------------------------------------------------------------

# The sign-in link mailed to a partner works SPACE_LINK_MINUTES minutes, once; a session then
# lasts SPACE_SESSION_DAYS days (or until « Se déconnecter »). At most SPACE_LINK_LIMIT links to
# one address, and SPACE_CLIENT_LIMIT requests from one client address, per SPACE_RATE_WINDOW
# seconds (counted in the cache, failing open like the join form's).
SPACE_LINK_MINUTES = env.int("SPACE_LINK_MINUTES", default=15)
SPACE_SESSION_DAYS = env.int("SPACE_SESSION_DAYS", default=30)
SPACE_LINK_LIMIT = env.int("SPACE_LINK_LIMIT", default=3)
SPACE_CLIENT_LIMIT = env.int("SPACE_CLIENT_LIMIT", default=10)
SPACE_RATE_WINDOW = env.int("SPACE_RATE_WINDOW", default=60 * 60)

# --- Open data (opendata app) ------------------------------------------------------------------

# The licence of the published datasets: etalab-2.0 (Licence Ouverte 2.0, the French public
# sector's), odbl-1.0 or cc-by-4.0 (opendata/exports.py LICENCES).
OPEN_DATA_LICENCE = env.str("OPEN_DATA_LICENCE", default="etalab-2.0")
# The files and the API: at most OPEN_DATA_RATE_LIMIT requests per client address in
# OPEN_DATA_RATE_WINDOW seconds (counted in the cache, failing open like the forms').
OPEN_DATA_RATE_LIMIT = env.int("OPEN_DATA_RATE_LIMIT", default=300)
OPEN_DATA_RATE_WINDOW = env.int("OPEN_DATA_RATE_WINDOW", default=60)
# The national picture (opendata/harvest.py) reads other portals' packages: at most
# OPEN_DATA_PACKAGE_MAX_BYTES for a datapackage.json and OPEN_DATA_HARVEST_MAX_BYTES for a CSV,
# each within OPEN_DATA_HARVEST_TIMEOUT seconds, only https:// to public addresses.
OPEN_DATA_PACKAGE_MAX_BYTES = env.int("OPEN_DATA_PACKAGE_MAX_BYTES", default=1024 * 1024)
OPEN_DATA_HARVEST_MAX_BYTES = env.int("OPEN_DATA_HARVEST_MAX_BYTES", default=20 * 1024 * 1024)
OPEN_DATA_HARVEST_TIMEOUT = env.int("OPEN_DATA_HARVEST_TIMEOUT", default=15)
# At most this many rows of a resource (a PTCE has a few hundred structures): the national
# page lists them all.
OPEN_DATA_HARVEST_MAX_ROWS = env.int("OPEN_DATA_HARVEST_MAX_ROWS", default=5000)
# Never from the environment: the tests alone turn it on, to read live instances of the portal
# on loopback over http (opendata/fetch.py). Private and link-local addresses stay refused.
OPEN_DATA_HARVEST_ALLOW_LOOPBACK = False
# The newsletter (news/): a confirmation left unopened is forgotten after
# NEWSLETTER_UNCONFIRMED_DAYS (`apply_retention`); the sender sends at most
# NEWSLETTER_MAILS_PER_MINUTE mails a minute (0: no limit), since small providers refuse bursts,
# and an imported list's confirmation requests go at that pace too;
# the consent's wording is recorded with each subscription by its version.
NEWSLETTER_UNCONFIRMED_DAYS = env.int("NEWSLETTER_UNCONFIRMED_DAYS", default=30)
NEWSLETTER_MAILS_PER_MINUTE = env.int("NEWSLETTER_MAILS_PER_MINUTE", default=120)
NEWSLETTER_CONSENT_VERSION = "2026-12"
