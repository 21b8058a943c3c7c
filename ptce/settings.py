"""Settings of the PTCE portal.

Every value that differs between a laptop and production comes from the environment
(or a `.env` file beside manage.py), read with django-environ; `.env.example` lists them all
with a safe development value. Without any variable the portal runs on its embedded default:
DEBUG on, SQLite file in the project folder, database cache, mail printed on the console.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core --------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment or in .env "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ptce",
    "members",
    "groups",
    "events",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "import_export",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every GET response, and 304 to If-None-Match / If-Modified-Since: calendar
    # applications and feed readers poll often. Outside the middleware that change the response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "ptce.urls"
WSGI_APPLICATION = "ptce.wsgi.application"
AUTH_USER_MODEL = "ptce.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks, mail ------------------------------------------------------------------------

# The database cache is shared by every process (web workers, task worker) with no extra
# server; production may point CACHE_URL at Redis.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://ptce_cache")}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _mailer_from_url(url: str, timeout: int) -> dict:
    """Django 6.1's MAILERS entry from an EMAIL_URL (smtp://user:pass@host:port,
    submission:// for STARTTLS, smtps:// for TLS, consolemail://, filemail:///path…)."""
    config = environ.Env.email_url_config(url)
    backend = config.pop("EMAIL_BACKEND")
    if not backend.endswith("smtp.EmailBackend"):
        options = {"file_path": config["EMAIL_FILE_PATH"]} if config.get("EMAIL_FILE_PATH") else {}
        return {"BACKEND": backend, "OPTIONS": options}
    options = {
        "host": config.get("EMAIL_HOST") or "localhost",
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER") or "",
        "password": config.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(config.get("EMAIL_USE_TLS")),
        "use_ssl": bool(config.get("EMAIL_USE_SSL")),
        "timeout": timeout,
    }
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {
    "default": _mailer_from_url(
        env.str("EMAIL_URL", default="consolemail://"), env.int("EMAIL_TIMEOUT", default=10)
    )
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PTCE <ne-pas-repondre@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "fr"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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

# --- Logging -----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# --- Join-us form, outgoing mail, personal data (members app) ----------------------------------

# Anti-spam of the join-us form: at most JOIN_RATE_LIMIT submissions per client address in
# JOIN_RATE_WINDOW seconds (counted in CACHES["default"], shared by every process); a form sent
# less than JOIN_MIN_FILL_SECONDS after it was displayed is a robot's; a form token older than
# JOIN_FORM_MAX_AGE seconds has expired.
JOIN_RATE_LIMIT = env.int("JOIN_RATE_LIMIT", default=5)
JOIN_RATE_WINDOW = env.int("JOIN_RATE_WINDOW", default=60 * 60)
JOIN_MIN_FILL_SECONDS = env.int("JOIN_MIN_FILL_SECONDS", default=3)
JOIN_FORM_MAX_AGE = env.int("JOIN_FORM_MAX_AGE", default=60 * 60 * 24)
# Behind a reverse proxy every request comes from the proxy: name the header it sets with the
# visitor's address (e.g. HTTP_X_REAL_IP). Empty: REMOTE_ADDR.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
# A mail that fails is retried after OUTGOING_MAIL_RETRY_DELAY seconds, then 4, 16… times longer,
# and marked failed after OUTGOING_MAIL_MAX_ATTEMPTS attempts.
OUTGOING_MAIL_MAX_ATTEMPTS = env.int("OUTGOING_MAIL_MAX_ATTEMPTS", default=6)
OUTGOING_MAIL_RETRY_DELAY = env.int("OUTGOING_MAIL_RETRY_DELAY", default=60)
# Retention periods, applied daily by `manage.py apply_retention` and stated on the privacy page.
RETENTION_DECLINED_MONTHS = env.int("RETENTION_DECLINED_MONTHS", default=6)
RETENTION_UNHANDLED_MONTHS = env.int("RETENTION_UNHANDLED_MONTHS", default=12)
RETENTION_FORMER_MEMBER_YEARS = env.int("RETENTION_FORMER_MEMBER_YEARS", default=3)

# --- Uploads and the membership import (members app) ---------------------------------------------

# Request bodies and uploads held in memory (Django's defaults, stated): a bigger upload goes to a
# temporary file that Django deletes at the end of the request. The proxy caps the whole request
# (nginx: client_max_body_size 3m).
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
