"""The Celery application, configured from Django settings."""

import os

from celery import Celery
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
# Every CELERY_* Django setting configures the app; see newsroom/settings.py for
# why each one is set the way it is.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one retry policy of the project's tasks. Transient failures (the database restarting, a
# dropped connection) are retried with backoff, up to about ten minutes in all; everything
# about the input itself is recorded on its row by the task and never retried.
TRANSIENT_ERRORS = (OperationalError, ConnectionError)
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}
