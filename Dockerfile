# The portal in a container: gunicorn serving Django, static files from whitenoise.
# Docker is not used on the project's own machines: CI runs the same scripts/entrypoint, and
# tests/ptce/test_containers.py reads this file, compose.yaml and .dockerignore.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/ptce

# pg_dump, pg_restore and gpg for scripts/backup, run inside the container (docs/deploy.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client gnupg \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, from the lock file, so a code change does not reinstall them.
COPY requirements.lock ./
# sentry-sdk is among them: error reports start when SENTRY_DSN is set.
RUN pip install -r requirements.lock

COPY . .
# Static files hashed and compressed at build time (whitenoise); no secret is needed for that.
# The folders the volumes are mounted on belong to the portal's user: a new named volume takes
# its owner from them, so the first upload of a logo or a document can be written.
RUN DEBUG=on python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --uid 10001 --home-dir /srv/ptce ptce \
 && mkdir -p /srv/ptce/media /srv/ptce/private/documents /srv/ptce/backups \
 && chown ptce:ptce /srv/ptce/media /srv/ptce/private /srv/ptce/private/documents /srv/ptce/backups
USER ptce

# Inside the container gunicorn listens on every interface: compose publishes the port on the
# host's loopback only (127.0.0.1:8000), for the proxy in front.
ENV PORT=8000 GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["scripts/entrypoint", "healthcheck"]
ENTRYPOINT ["scripts/entrypoint"]
CMD ["web"]
