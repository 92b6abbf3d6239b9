"""WSGI entry point: ``gunicorn newsroom.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Said once per web process at start: gunicorn runs no system checks.
from newsroom.redis import persistence_warn  # noqa: E402 - needs the application set up

persistence_warn()
