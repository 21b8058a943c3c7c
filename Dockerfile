# The portal in a container: gunicorn serving Django, static files from whitenoise.
# Docker is not used on the project's own machines: CI runs the same scripts/entrypoint.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/ptce

# Dependencies first, from the lock file, so a code change does not reinstall them.
COPY requirements.lock ./
# sentry-sdk is among them: error reports start when SENTRY_DSN is set.
RUN pip install -r requirements.lock

COPY . .
# Static files hashed and compressed at build time (whitenoise); no secret is needed for that.
RUN DEBUG=on python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --uid 10001 --home-dir /srv/ptce ptce \
 && mkdir -p /srv/ptce/media && chown ptce /srv/ptce/media
USER ptce

ENV PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["scripts/entrypoint", "healthcheck"]
ENTRYPOINT ["scripts/entrypoint"]
CMD ["web"]
