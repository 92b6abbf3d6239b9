"""What happens after ingest, an edit, a publish or a re-tag: the one place that decides which step follows which.

Services say what happened (``raw_document_stored``, ``article_extracted``, ``article_edited``,
``article_published``, ...) and this module turns it into Celery work once the transaction
commits::

    raw document stored ─► extract
    extracted           ─► cluster  ∥  tag ─► relate   (a story on the desk: its own list only)
    headline/body edited ─► tag ─► relate; cluster when the body changed
    published, or other fields of a published story edited ─► relate
    related lists left short ─► refill each one
    names ruled on (entities) ─► tag the articles they came from
    re-tag job started ─► plan ─► its next chunks, then the planner again while articles remain

Each step is a thin Celery task that registers itself here under its step name
(``@pipeline.step(Step.CLUSTER)``), so services queue work without importing the task modules
that call them. ``Step.TAG`` and the re-tag steps are registered by the app that tags
articles (``entities``): articles names the slot and never imports that app. A step that no
app registered is skipped.

Nothing sent is lost with a message. Extraction is owed while its document is ``pending`` or
``processing``; every other step is owed while its ``PendingStep`` row exists: written in the
transaction of the change that calls for it, deleted by the task that ran it (``StepTask``).
A broker that refuses the message, a worker killed with it, a Redis restart: the row stays, and
``articles.recovery`` sends the step again.
"""

from __future__ import annotations

import enum
import logging
import secrets
from collections.abc import Iterable

from celery import chain
from django.db import transaction
from django.utils import timezone

from articles.models import PendingStep
from newsroom.celery import RecoveringTask, error_is_transient

logger = logging.getLogger(__name__)


class Step(enum.StrEnum):
    EXTRACT = "extract"
    CLUSTER = "cluster"
    TAG = "tag"
    RELATE = "relate"
    REFILL = "refill"
    RETAG_PLAN = "retag-plan"
    RETAG_CHUNK = "retag-chunk"


_steps: dict[Step, object] = {}


def step(name: Step):
    """Register the decorated Celery task as the one that runs step ``name``."""

    def register(task):
        _steps[Step(name)] = task
        return task

    return register


def step_task(name: Step):
    """The task registered for ``name``, or None when no installed app provides it."""
    return _steps.get(Step(name))


def _step_named(task_name: str) -> Step | None:
    return next((name for name, task in _steps.items() if task.name == task_name), None)


class StepTask(RecoveringTask):
    """The task of a pipeline step on one object (its first argument): what it was sent for is
    owed until it returns, then its ``PendingStep`` row goes (unless a newer request replaced it)."""

    def call_once(self, *args, **kwargs):
        name = _step_named(self.name)
        owed = None
        if name is not None and args:
            owed = (
                PendingStep.objects.filter(step=name, object_id=args[0])
                .values_list("version", flat=True)
                .first()
            )
        result = super().call_once(*args, **kwargs)
        if owed is not None:
            # Deleted only if no request came in since the run began: that one is still owed.
            PendingStep.objects.filter(step=name, object_id=args[0], version=owed).delete()
        return result


# What every step's task is made with (``@shared_task(**pipeline.STEP_TASK)``).
STEP_TASK = {"base": StepTask}


# --- What happened ----------------------------------------------------------------------------


def raw_document_stored(*, raw_document_id: int) -> None:
    """A page was stored (or sent back for extraction): extract it."""
    _on_commit(lambda: _send(Step.EXTRACT, raw_document_id))


def article_extracted(*, article_id: int) -> None:
    """Extraction wrote the article's text: cluster it, tag it, then relate it (published or not)."""
    article_edited(article_id=article_id, published=False, text=True, body=True)


def article_edited(*, article_id: int, published: bool, text: bool, body: bool) -> None:
    """The article was saved; ``text``: its headline or body changed, ``body``: its body did."""
    if body:
        _owe(Step.CLUSTER, article_id)
    if text:
        _owe(Step.TAG, article_id)
        _owe(Step.RELATE, article_id)
    elif published:
        _owe(Step.RELATE, article_id)

    def send():
        if body:
            _send(Step.CLUSTER, article_id)
        if text:
            # Even before it is public: editors pin and block on the list the story will have.
            _tag(article_id, relate=True)
        elif published:
            _send(Step.RELATE, article_id)

    _on_commit(send)


def article_published(*, article_id: int) -> None:
    """The article went public: its related list and its place in its neighbours' lists."""
    _owe(Step.RELATE, article_id)
    _on_commit(lambda: _send(Step.RELATE, article_id))


def related_lists_short(*, article_ids: Iterable[int]) -> None:
    """These lists lost items (a story left them, an editor changed them): refill each one alone."""
    article_ids = sorted(article_ids)
    _owe(Step.REFILL, *article_ids)
    _on_commit(lambda: [_send(Step.REFILL, article_id) for article_id in article_ids])


def articles_retag(*, article_ids: Iterable[int]) -> None:
    """What tagging knows changed for these articles (a name approved, an alias added): tag them again."""
    article_ids = sorted(article_ids)
    _owe(Step.TAG, *article_ids)
    _on_commit(lambda: [_tag(article_id, relate=False) for article_id in article_ids])


def retag_job_started(*, job_id: int) -> None:
    """A re-tag job was created: its planner cuts the first chunks."""
    _owe(Step.RETAG_PLAN, job_id)
    _on_commit(lambda: _send(Step.RETAG_PLAN, job_id))


def retag_job_planned(*, job_id: int, chunk_ids: Iterable[int], more: bool) -> None:
    """A re-tag job's next chunks were cut: each is tagged by a task of its own, and while articles
    remain the planner runs again, queued behind them so the broker never holds a whole archive."""
    chunk_ids = list(chunk_ids)
    _owe(Step.RETAG_CHUNK, *chunk_ids)
    if more:
        _owe(Step.RETAG_PLAN, job_id)

    def send():
        for chunk_id in chunk_ids:
            _send(Step.RETAG_CHUNK, chunk_id)
        if more:
            _send(Step.RETAG_PLAN, job_id)

    _on_commit(send)


# --- What is sent ---------------------------------------------------------------------------------


def _on_commit(send) -> None:
    # Workers read what the transaction wrote: nothing is sent before it commits, nothing if it
    # rolls back. Outside a transaction it goes at once.
    transaction.on_commit(send)


def _owe(name: Step, *object_ids: int) -> None:
    """Record that step ``name`` is owed to each of ``object_ids``, in the transaction that calls for it."""
    if step_task(name) is None or not object_ids:
        return
    now = timezone.now()
    PendingStep.objects.bulk_create(
        [
            PendingStep(
                step=name, object_id=object_id, version=secrets.randbits(62), requested_at=now, sent_at=now
            )
            for object_id in object_ids
        ],
        update_conflicts=True,
        unique_fields=["step", "object_id"],
        update_fields=["version", "requested_at", "sent_at", "sends"],
    )


def _publish(message, what: str) -> None:
    # A broker that is down does not fail the change that was just committed: the work is owed
    # in the database (a pending document, a PendingStep row) and the sweeper sends it later.
    try:
        message()
    except Exception as exc:
        if not error_is_transient(exc):
            raise
        logger.warning("could not send %s (%r); the sweeper will send it again", what, exc)


def _send(name: Step, object_id: int) -> None:
    task = step_task(name)
    if task is not None:
        _publish(lambda: task.delay(object_id), f"{name} {object_id}")


def _tag(article_id: int, *, relate: bool) -> None:
    tag, refresh = step_task(Step.TAG), step_task(Step.RELATE)
    if tag is None:
        if relate:
            _send(Step.RELATE, article_id)
    elif relate and refresh is not None:
        # The related refresh reads the article's entities: it follows the tags, in one chain.
        _publish(
            lambda: chain(tag.si(article_id), refresh.si(article_id)).delay(), f"tag+relate {article_id}"
        )
    else:
        _send(Step.TAG, article_id)


# --- What was owed and never done ----------------------------------------------------------------


def step_resend(*, name: Step, object_id: int) -> None:
    """Send step ``name`` for ``object_id`` again (the sweeper found it owed too long); tag and relate go as a chain."""
    if name == Step.TAG and PendingStep.objects.filter(step=Step.RELATE, object_id=object_id).exists():
        _tag(object_id, relate=True)
    else:
        _send(name, object_id)
