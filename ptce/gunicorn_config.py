"""gunicorn's settings for every way the portal is started (scripts/entrypoint web: systemd, the
container, the Procfile, CI, `make bench`). Each can be overridden from the environment or from
the same `.env` file as the portal's settings (ENV_FILE, else `.env` beside manage.py)."""

import os
import re
from pathlib import Path

import environ
from gunicorn.glogging import Logger

# The variables below read the .env too, as the portal's settings do (the environment first).
environ.Env.read_env(
    os.environ.get("ENV_FILE", str(Path(__file__).resolve().parent.parent / ".env")),
    overwrite=False,
)

# Loopback unless told otherwise: behind nginx (TRUSTED_PROXY_COUNT=1) a request straight to
# gunicorn could forge X-Forwarded-For and X-Forwarded-Proto. The container and the platforms
# that route to $PORT listen on every interface by saying so (Dockerfile, Procfile).
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Synchronous workers: 2 or 3 per core is enough for a portal whose pages come from the cache.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Renew workers now and then, so a slow leak in a dependency never grows without bound; the
# application is loaded once, before the workers fork, so a renewed worker starts at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
preload_app = True
# One line per request on the console, with its status and time; errors with their
# traceback come from Django's logging (ptce/settings.py, LOGGING).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# Connections kept open by the proxy between requests.
keepalive = 5
# gunicorn's control socket (a file in the home folder, shared by every instance of the user):
# not used, and two instances on one machine (CI, the benchmark) would fight over it.
control_socket_disable = True

# The personal links' tokens (a guest's answer, an opt-out, a partner's sign-in, a general
# assembly's answer, an event's registration, a lead's password link, the newsletter's
# confirmation and unsubscribe links, a reserved issue's reading link): whoever reads the log
# could use them. A new address with a token must be added here (tests/ptce/test_gunicorn.py
# checks every route of the URLconf that takes one).
ONE_TIME_LINK = re.compile(
    r"/(reponse|desinscription|desabonnement|confirmer|connexion|mot-de-passe|mon-inscription"
    r"|lire)"
    r"/(?!enregistre/)"
    r"[^/?\s\"]+(/[^/?\s\"]+)?"
)


def mask_one_time_tokens(text: str) -> str:
    return ONE_TIME_LINK.sub(r"/\1/[masqué]", text)


class MaskingLogger(Logger):
    """The access log without the one-time links' tokens, in the path and in the Referer."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_one_time_tokens(atoms[key])
        return atoms


logger_class = MaskingLogger
