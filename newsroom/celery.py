"""The Celery application, configured from Django settings, and what every task does with a failure."""

import logging
import os
from collections.abc import Callable
from contextlib import contextmanager

from celery import Celery, signals
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
# Every CELERY_* Django setting configures the app; see newsroom/settings.py for
# why each one is set the way it is.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def _redis_persistence_warn(**kwargs):
    # The worker flushes the view counts that wait in Redis: it says so when they are at risk.
    from newsroom.redis import persistence_warn

    persistence_warn()


# The one retry policy of the project's tasks. Transient failures (the database restarting, a
# dropped connection) are retried five times with exponential backoff (Celery's full jitter,
# capped at 300 s a wait); everything about the input itself is recorded on its row by the
# task and never retried.
TRANSIENT_ERRORS = (OperationalError, ConnectionError)
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}

logger = logging.getLogger(__name__)


@contextmanager
def failure_recorded(fail: Callable[[str], None], *, timed_out: str, crashed: str):
    """Around a task's service call: a failure of the input is recorded through ``fail``, never raised.

    Transient errors propagate, so Celery retries them (``RETRY_TRANSIENT``); running out of
    time records ``timed_out``; anything else is logged with its traceback and recorded as
    ``crashed`` followed by the error.
    """
    try:
        yield
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        fail(timed_out)
    except Exception as exc:
        logger.exception(crashed)
        fail(f"{crashed}: {exc!r}")
