"""The Celery application, configured from Django settings, and what every task does with a failure."""

import logging
import os
import random
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache

from celery import Celery, Task, signals
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

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


logger = logging.getLogger(__name__)

# SQLSTATE classes PostgreSQL answers for a problem of the moment, not of the input: connection
# exceptions (08), transaction rollbacks such as serialization failures and deadlocks (40),
# insufficient resources (53), operator intervention such as a shutdown (57), system errors (58),
# and a lock not available (55P03). Everything else the server answers (data exceptions 22,
# integrity 23, program limits 54 such as "string is too long for tsvector", ...) comes back
# the same on every try: it is permanent.
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
TRANSIENT_SQLSTATES = frozenset({"55P03"})


def error_is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` may go away by itself (a database or broker that is down), so trying later can help."""
    from django.db import DatabaseError, InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    if isinstance(
        exc, InterfaceError | BrokerError | RedisConnectionError | RedisTimeoutError | ConnectionError
    ):
        return True
    if isinstance(exc, DatabaseError):
        sqlstate = getattr(exc.__cause__, "sqlstate", None)
        if sqlstate is None:
            # No answer from a server: the connection failed or was lost (or SQLite was busy).
            return isinstance(exc, OperationalError)
        return sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES or sqlstate in TRANSIENT_SQLSTATES
    return False


def retry_countdown(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: 2, 4, 8, ... up to ``TASK_RETRY_BACKOFF_MAX``.

    Half of each wait is random ("equal jitter"), so the tasks an outage failed together do not
    all come back in the same second, while the total is still known in advance.
    """
    from django.conf import settings

    wait = min(settings.TASK_RETRY_BACKOFF_MAX, 2.0 ** (retries + 1))
    return wait / 2 + random.uniform(0, wait / 2)


@cache
def _transient_max_retries(retry_for: float, backoff_max: float) -> int:
    # The fewest retries whose shortest possible waits (half of each) add up to ``retry_for``.
    retries, waited = 0, 0.0
    while waited < retry_for:
        waited += min(backoff_max, 2.0 ** (retries + 1)) / 2
        retries += 1
    return retries


def transient_max_retries() -> int:
    """How many retries keep a task trying for at least ``TASK_RETRY_FOR`` seconds."""
    from django.conf import settings

    return _transient_max_retries(float(settings.TASK_RETRY_FOR), float(settings.TASK_RETRY_BACKOFF_MAX))


class RecoveringTask(Task):
    """A task that outlasts outages and leaves a readable outcome when it cannot finish.

    A transient error (``error_is_transient``) is retried with backoff for at least
    ``TASK_RETRY_FOR`` seconds; any other error is the task's to record (``failure_recorded``).
    When the hard time limit kills the process running it, the worker's main process calls
    ``hard_stop_record(*args, task_id=..., limit=...)`` where a task sets one, so the row it
    worked for says so instead of staying "processing". What none of this reaches (a worker
    killed outright, retries spent) the sweeper finds: ``articles.recovery``.
    """

    #: Called with the task's arguments, ``task_id`` and ``limit`` (seconds) when the hard limit stopped it.
    hard_stop_record: Callable[..., None] | None = None
    # Celery's own limit (3) would end the retries early; ``transient_max_retries`` decides.
    max_retries = None

    def __call__(self, *args, **kwargs):
        try:
            return self.call_once(*args, **kwargs)
        except Exception as exc:
            if not error_is_transient(exc):
                raise
            retries = self.request.retries
            if retries >= transient_max_retries():
                logger.error("%s%r: still failing after %s retries: %r", self.name, args, retries, exc)
                raise
            logger.warning("%s%r: %r; retry %s in a moment", self.name, args, exc, retries + 1)
            raise self.retry(exc=exc, countdown=retry_countdown(retries), max_retries=None) from exc

    def call_once(self, *args, **kwargs):
        """One try of the task; what a transient error in it fails is tried again."""
        return super().__call__(*args, **kwargs)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # A hard time limit is reported here in the worker's main process, after the child was killed.
        if isinstance(exc, TimeLimitExceeded) and self.hard_stop_record is not None:
            from django.db import connections

            limit = exc.args[0] if exc.args else self.time_limit or app.conf.task_time_limit
            try:
                self.hard_stop_record(*args, task_id=task_id, limit=limit)
            except Exception:
                logger.exception(
                    "%s%r: could not record the hard time limit; the sweeper will", self.name, args
                )
            finally:
                # The main process holds no database connection between tasks.
                for opened in connections.all(initialized_only=True):
                    if not opened.in_atomic_block:
                        opened.close()


# What a task that is no pipeline step is made with (``@shared_task(**RETRY_TRANSIENT)``); steps use
# ``articles.pipeline.STEP_TASK``, which adds what they owe.
RETRY_TRANSIENT = {"base": RecoveringTask}


@contextmanager
def failure_recorded(fail: Callable[[str], None], *, timed_out: str, crashed: str):
    """Around a task's service call: a failure of the input is recorded through ``fail``, never raised.

    Transient errors propagate, so the task retries them (``RecoveringTask``); running out of
    time records ``timed_out``; a permanent database error records what the database said; anything
    else is logged with its traceback and recorded as ``crashed`` followed by the error.
    """
    from django.db import DatabaseError

    try:
        yield
    except SoftTimeLimitExceeded:
        fail(timed_out)
    except Exception as exc:
        if error_is_transient(exc):
            raise
        logger.exception(crashed)
        if isinstance(exc, DatabaseError):
            said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            fail(f"{crashed}: the database refused it: {said}")
        else:
            fail(f"{crashed}: {exc!r}")
