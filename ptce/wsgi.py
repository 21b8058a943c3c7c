"""WSGI entry point, served by gunicorn in production (`gunicorn ptce.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")

application = get_wsgi_application()
