"""Celery tasks for followed sources: the beat's check for due sources, and one poll per source."""

from __future__ import annotations

from celery import shared_task

from newsroom.celery import RETRY_TRANSIENT, failure_recorded
from sources import services
from sources.models import Source


# Like the other beat tasks: the next check comes within SOURCE_POLL_CHECK_INTERVAL, so no retry.
@shared_task
def sources_poll_due_task() -> int:
    """Send one poll for each source whose time has come; how many were sent."""
    due = services.sources_claim_due()
    for source_id in due:
        source_poll_task.delay(source_id)
    return len(due)


# A poll waits for hosts' turns and fetches up to SOURCE_ITEMS_PER_POLL pages: longer limits than
# the default, still well inside the poll's lease (services.POLL_LEASE).
@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def source_poll_task(source_id: int) -> dict | None:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    with failure_recorded(
        lambda reason: services.source_poll_fail(source=source, reason=reason),
        timed_out="The poll took longer than the time limit.",
        crashed="Internal error while polling",
    ):
        outcome = services.source_poll(source_id=source_id)
        return outcome.__dict__ if outcome is not None else None
    return None
