"""Stranded work found and sent again: the sweeper beat runs every ``STRANDED_SWEEP_INTERVAL`` seconds.

Retries outlast an outage of ``TASK_RETRY_FOR`` seconds; what they cannot reach, this does: a
message lost with a Redis restart, a broker that refused it, retries spent during a longer outage,
a worker killed with the message. It looks only at the database, where the work is owed:

- a document ``pending`` since longer than ``STRANDED_AFTER`` is sent to extraction again;
- a document ``processing`` past its lease (the hard time limit and a margin: no live run holds it)
  is sent again, or failed with its reason once its runs were cut short
  ``EXTRACTION_MAX_INTERRUPTIONS`` times;
- a ``PendingStep`` (cluster, tag, relate, ...) sent longer than ``STRANDED_AFTER`` ago is sent
  again, up to ``PIPELINE_STEP_MAX_SENDS`` times, then dropped with an error in the log.

Each re-send is a conditional update of the row's timestamp (the value read must still be there),
so two sweeps at once send each item once, and a duplicate message that still reaches a worker is
harmless: extraction runs only on a document it can claim, and every step is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from articles import pipeline
from articles.models import PendingStep, RawDocument
from articles.services import extract

logger = logging.getLogger(__name__)

# Rows handled per sweep; the next sweep takes the rest.
BATCH = 1000


@dataclass(frozen=True)
class Recovered:
    documents_resent: int = 0
    documents_failed: int = 0
    steps_resent: int = 0
    steps_dropped: int = 0


def stranded_work_recover(*, now: dt.datetime | None = None) -> Recovered:
    """Send again what was owed too long, fail what cannot finish; what was done, counted."""
    now = now or timezone.now()
    resent, failed = _documents_recover(now)
    steps_resent, dropped = _steps_recover(now)
    outcome = Recovered(resent, failed, steps_resent, dropped)
    if outcome != Recovered():
        logger.warning("stranded work recovered: %s", outcome)
    return outcome


def _documents_recover(now: dt.datetime) -> tuple[int, int]:
    stale = now - dt.timedelta(seconds=settings.STRANDED_AFTER)
    lease_ended = now - extract.extraction_lease()
    pending = RawDocument.objects.filter(status=RawDocument.Status.PENDING, queued_at__lt=stale)
    # Processing past its lease, and not sent again within the lease (its re-sent run may be queued).
    abandoned = RawDocument.objects.filter(
        status=RawDocument.Status.PROCESSING, started_at__lt=lease_ended, queued_at__lt=lease_ended
    )
    resent = failed = 0
    for raw in [*pending.order_by("queued_at")[:BATCH], *abandoned.order_by("started_at")[:BATCH]]:
        same = RawDocument.objects.filter(pk=raw.pk, status=raw.status, queued_at=raw.queued_at)
        if (
            raw.status == RawDocument.Status.PROCESSING
            and raw.interrupted + 1 >= settings.EXTRACTION_MAX_INTERRUPTIONS
        ):
            failed += same.update(
                status=RawDocument.Status.FAILED,
                error=extract.interrupted_reason(raw.interrupted + 1),
                interrupted=raw.interrupted + 1,
                processed_at=now,
            )
        elif same.update(queued_at=now):
            pipeline.raw_document_stored(raw_document_id=raw.pk)
            resent += 1
    return resent, failed


def _steps_recover(now: dt.datetime) -> tuple[int, int]:
    stale = now - dt.timedelta(seconds=settings.STRANDED_AFTER)
    resent = dropped = 0
    for owed in PendingStep.objects.filter(sent_at__lt=stale).order_by("sent_at")[:BATCH]:
        same = PendingStep.objects.filter(pk=owed.pk, sent_at=owed.sent_at)
        if owed.sends >= settings.PIPELINE_STEP_MAX_SENDS:
            if same.delete()[0]:
                dropped += 1
                logger.error(
                    "%s for %s was sent %s times and never finished; dropped",
                    owed.step,
                    owed.object_id,
                    owed.sends,
                )
        elif same.update(sent_at=now, sends=F("sends") + 1):
            pipeline.step_resend(name=pipeline.Step(owed.step), object_id=owed.object_id)
            resent += 1
    return resent, dropped
