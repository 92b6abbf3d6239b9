"""The Celery application, configured from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
# Every CELERY_* Django setting configures the app; see newsroom/settings.py for
# why each one is set the way it is.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
