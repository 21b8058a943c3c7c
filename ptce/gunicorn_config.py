"""gunicorn's settings for every way the portal is started (scripts/entrypoint web: the
container, the Procfile, CI, `make bench`). Each can be overridden from the environment."""

import os

# Platforms (Procfile-based) give the port in PORT; behind nginx, bind to loopback.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
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
