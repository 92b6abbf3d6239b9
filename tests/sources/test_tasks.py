"""Celery beat's check: due sources only, one poll each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sources import services
from sources.models import Source
from sources.tasks import source_poll_task, sources_poll_due_task
from tests.conftest import wait_for
from tests.factories import SourceFactory

from .feeds import rss, story


@pytest.fixture
def wire(local_web, trusted_loopback, settings):
    settings.SOURCE_HOST_INTERVAL = 0.01
    return local_web


@pytest.mark.django_db
def test_the_beat_check_polls_due_sources_only(wire):
    now = timezone.now()
    for name in ("due", "never", "later", "off", "busy"):
        wire.publish(f"/{name}.xml", rss())
    SourceFactory(url=wire.url("/due.xml"), next_poll_at=now - dt.timedelta(seconds=5))
    SourceFactory(url=wire.url("/never.xml"), next_poll_at=None)
    SourceFactory(url=wire.url("/later.xml"), next_poll_at=now + dt.timedelta(minutes=5))
    SourceFactory(url=wire.url("/off.xml"), next_poll_at=now - dt.timedelta(seconds=5), enabled=False)
    SourceFactory(
        url=wire.url("/busy.xml"),
        next_poll_at=now - dt.timedelta(seconds=5),
        polling_until=now + dt.timedelta(minutes=5),
    )

    sent = sources_poll_due_task.delay().get()

    assert sent == 2
    assert sorted(seen.path for seen in wire.seen) == ["/due.xml", "/never.xml"]
    assert Source.objects.filter(last_success_at__isnull=False).count() == 2
    # A second check straight after finds nothing due.
    assert sources_poll_due_task.delay().get() == 0


@pytest.mark.django_db
def test_two_checks_at_once_claim_each_due_source_once():
    SourceFactory(next_poll_at=timezone.now() - dt.timedelta(seconds=1))
    now = timezone.now()

    assert len(services.sources_claim_due(now=now)) == 1
    assert services.sources_claim_due(now=now) == []


@pytest.mark.django_db
def test_a_poll_that_crashes_is_recorded_on_the_source(wire, monkeypatch):
    wire.publish("/feed.xml", rss())
    source = SourceFactory(url=wire.url("/feed.xml"))

    def broken(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr("sources.listings.listing_parse", broken)
    source_poll_task.delay(source.pk).get()

    source.refresh_from_db()
    assert source.failures == 1
    assert source.last_error.startswith("Internal error while polling: RuntimeError('parser exploded')")
    assert source.polling_until is None


@pytest.fixture
def worker_with_beat_trusting_loopback(transactional_db, tmp_path):
    """A real worker with beat in it checking for due sources every second, allowed to fetch from 127.0.0.1."""
    from tests.conftest import _celery_worker

    yield from _celery_worker(
        tmp_path,
        beat=True,
        env={
            "FETCH_TRUSTED_SOURCES": "127.0.0.1",
            "SOURCE_HOST_INTERVAL": "0.01",
            "SOURCE_POLL_CHECK_INTERVAL": "1",
            "SCHEDULE_CHECK_INTERVAL": "3600",
            "VIEW_FLUSH_INTERVAL": "3600",
            "SITE_FURNITURE_LEARN_INTERVAL": "3600",
            "STRANDED_SWEEP_INTERVAL": "3600",
        },
    )


@pytest.mark.services
def test_beat_and_a_real_worker_poll_a_due_feed_and_ingest_its_stories_once(
    worker_with_beat_trusting_loopback, local_web
):
    local_web.publish("/story/a", story("a"))
    local_web.publish(
        "/feed.xml", rss((local_web.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT")), etag='"1"'
    )
    source = SourceFactory(url=local_web.url("/feed.xml"), poll_interval=60)
    SourceFactory(url=local_web.url("/later.xml"), next_poll_at=timezone.now() + dt.timedelta(hours=1))

    assert wait_for(lambda: Source.objects.get(pk=source.pk).last_success_at is not None, timeout=60)
    source.refresh_from_db()
    assert (source.items_seen, source.failures, source.etag) == (1, 0, '"1"')
    assert source.items.get().raw_document.source == local_web.url("/story/a")
    assert local_web.asked("/later.xml") == []
    # Made due again, the next check polls it, with the validators, and gets 304.
    services.source_mark_due(source=source)
    assert wait_for(lambda: len(local_web.asked("/feed.xml")) == 2, timeout=30)
    assert local_web.asked("/feed.xml")[1].headers["If-None-Match"] == '"1"'
    assert local_web.asked("/story/a") == local_web.asked("/story/a")[:1]
