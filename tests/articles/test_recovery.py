"""No stranded work: errors sorted transient or permanent, runs claimed, the sweeper, hard stops recorded."""

import datetime as dt
import threading

import pytest
from celery.exceptions import TimeLimitExceeded
from celery.signals import task_prerun
from django.db import DataError, OperationalError, connection, connections
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from articles import pipeline, recovery, services
from articles.models import Article, PendingStep, RawDocument
from articles.services import extract
from articles.tasks import article_extract_task
from newsroom.celery import (
    error_is_transient,
    retry_countdown,
    transient_max_retries,
)
from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory, RawDocumentFactory

pytestmark = pytest.mark.django_db

UNFLAGGED = REPO_ROOT / "fixtures" / "demo" / "stories" / "32-kpc-to-keep-strategic-projects-on-track.html"


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweeper as beat does, with what it sends run in-process once its transaction commits."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return recovery.stranded_work_recover()

    return run


@pytest.fixture
def sent():
    """The tasks that ran (in-process), as (task name, first argument)."""
    ran = []

    def record(sender=None, args=(), **kwargs):
        ran.append((sender.name.rsplit(".", 1)[-1], args[0] if args else None))

    task_prerun.connect(record, weak=False)
    yield ran
    task_prerun.disconnect(record)


def ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


# --- Transient or permanent --------------------------------------------------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs a database server to refuse")
def test_a_database_that_cannot_be_reached_is_transient():
    from django.db.backends.postgresql.base import DatabaseWrapper

    # The same database at an address where nothing listens (port 1).
    unreachable = DatabaseWrapper({**connection.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}, "down")
    with pytest.raises(OperationalError) as caught:
        unreachable.ensure_connection()

    assert error_is_transient(caught.value)


def test_broker_and_connection_errors_are_transient_and_bugs_are_not():
    assert error_is_transient(BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused."))
    assert error_is_transient(ConnectionResetError())
    assert not error_is_transient(ValueError("bad page"))
    assert not error_is_transient(KeyError("headline"))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's own error codes")
def test_postgresql_program_limits_and_data_errors_are_permanent():
    from django.db import transaction

    with pytest.raises(OperationalError) as too_long, transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL refuses a tsvector over 1 MB: SQLSTATE 54000, which Django maps to OperationalError.
        cursor.execute(
            "SELECT to_tsvector('simple', string_agg('w' || g, ' ')) FROM generate_series(1, 200000) g"
        )
    with pytest.raises(DataError) as bad_data, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")

    assert "too long for tsvector" in str(too_long.value)
    assert not error_is_transient(too_long.value)
    assert not error_is_transient(bad_data.value)


def test_retries_last_at_least_the_retry_window_and_no_wait_outlasts_the_visibility_timeout(settings):
    retries = transient_max_retries()
    shortest = sum(min(settings.TASK_RETRY_BACKOFF_MAX, 2.0 ** (n + 1)) / 2 for n in range(retries))
    waits = [retry_countdown(n) for n in range(retries)]

    assert shortest >= settings.TASK_RETRY_FOR >= 300  # several minutes of outage
    assert max(waits) <= settings.TASK_RETRY_BACKOFF_MAX
    # A retry held by a worker until its countdown, behind a running task, then run: acknowledged in time.
    assert (
        settings.TASK_RETRY_BACKOFF_MAX + 2 * settings.CELERY_TASK_TIME_LIMIT
        < settings.CELERY_VISIBILITY_TIMEOUT
    )
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's tsvector limit")
def test_a_page_too_big_for_a_tsvector_is_stored_and_found_by_its_start(django_capture_on_commit_callbacks):
    from articles.filters import article_text_search

    # Its whole text makes a tsvector over PostgreSQL's 1 MB: the index reads the body's start.
    lines = "\n".join(f"Line {n}: item{n} value{n * 7} code{n * 13}" for n in range(60000))
    page = f"Council publishes its complete register\n\n{lines}\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(content=page, source="register.txt").raw_document

    raw.refresh_from_db()
    assert raw.status == RawDocument.Status.DONE, raw.error
    assert list(article_text_search(Article.objects.all(), "item12")) == [
        Article.objects.get(raw_document=raw)
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's tsvector limit")
def test_the_database_refusing_a_text_as_too_long_is_a_permanent_error():
    from django.db import DatabaseError, connection, transaction

    text = " ".join(f"item{n} value{n * 7} code{n * 13}" for n in range(60000))
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', %s)", [text])
    assert "string is too long for tsvector" in str(raised.value)
    assert not error_is_transient(raised.value)  # the same text fails the same way on every try


# --- Claiming a run -------------------------------------------------------------------------------


def test_a_duplicate_message_for_a_finished_document_does_not_run_it_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(content=UNFLAGGED.read_bytes(), source="kpc.html").raw_document
    raw.refresh_from_db()
    assert (raw.status, raw.attempts) == (RawDocument.Status.DONE, 1)

    article_extract_task.apply(args=(raw.pk,))

    raw.refresh_from_db()
    assert (raw.status, raw.attempts) == (RawDocument.Status.DONE, 1)


def test_a_document_another_live_run_holds_is_left_to_it():
    raw = RawDocumentFactory(
        status=RawDocument.Status.PROCESSING, started_at=ago(5), task_id="other", attempts=1
    )

    assert extract.raw_document_claim(raw_document_id=raw.pk, task_id="mine") is None
    raw.refresh_from_db()
    assert (raw.status, raw.task_id, raw.attempts) == (RawDocument.Status.PROCESSING, "other", 1)


def test_a_redelivered_run_takes_its_document_back_and_counts_the_interruption():
    raw = RawDocumentFactory(
        status=RawDocument.Status.PROCESSING, started_at=ago(5), task_id="mine", attempts=1
    )

    claimed = extract.raw_document_claim(raw_document_id=raw.pk, task_id="mine")

    assert claimed is not None
    assert (claimed.attempts, claimed.interrupted) == (2, 1)


def test_a_run_past_its_hard_limit_has_lost_its_worker_and_another_run_takes_over(settings):
    stale = ago(settings.CELERY_TASK_TIME_LIMIT + settings.EXTRACTION_LEASE_MARGIN + 1)
    raw = RawDocumentFactory(status=RawDocument.Status.PROCESSING, started_at=stale, task_id="dead")

    assert extract.raw_document_claim(raw_document_id=raw.pk, task_id="new") is not None
    assert RawDocument.objects.get(pk=raw.pk).task_id == "new"


def test_a_document_whose_runs_keep_dying_is_failed_with_its_reason(settings):
    settings.EXTRACTION_MAX_INTERRUPTIONS = 3
    raw = RawDocumentFactory(status=RawDocument.Status.PENDING)

    for _ in range(3):  # each run starts, then its worker dies (the message comes back with its id)
        assert extract.raw_document_claim(raw_document_id=raw.pk, task_id="poison") is not None
    assert extract.raw_document_claim(raw_document_id=raw.pk, task_id="poison") is None

    raw.refresh_from_db()
    assert raw.status == RawDocument.Status.FAILED
    assert raw.error.startswith("Extraction started 3 times and never finished")
    assert raw.attempts == 3


def test_the_hard_time_limit_fails_the_document_of_the_run_it_killed():
    raw = RawDocumentFactory(status=RawDocument.Status.PENDING)
    extract.raw_document_claim(raw_document_id=raw.pk, task_id="slow")

    # What the worker's main process does once the hard limit killed the child running the task.
    article_extract_task.on_failure(TimeLimitExceeded(90), "slow", (raw.pk,), {}, None)

    raw.refresh_from_db()
    assert raw.status == RawDocument.Status.FAILED
    assert raw.error.startswith("Extraction was stopped at the hard time limit of 90 seconds")


def test_the_hard_time_limit_of_an_older_run_leaves_a_newer_one_alone():
    raw = RawDocumentFactory(status=RawDocument.Status.PROCESSING, started_at=timezone.now(), task_id="newer")

    article_extract_task.on_failure(TimeLimitExceeded(90), "older", (raw.pk,), {}, None)

    assert RawDocument.objects.get(pk=raw.pk).status == RawDocument.Status.PROCESSING


def test_re_extraction_queues_the_document_afresh():
    raw = RawDocumentFactory(status=RawDocument.Status.FAILED, interrupted=3, queued_at=ago(3600))

    services.raw_document_reextract(raw_document=raw)

    raw.refresh_from_db()
    assert raw.interrupted == 0
    assert raw.queued_at > ago(60)


# --- Steps owed ---------------------------------------------------------------------------------------


def test_steps_are_owed_from_the_change_that_calls_for_them_until_they_ran(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pipeline.article_extracted(article_id=article.pk)

    owed = set(PendingStep.objects.values_list("step", "object_id"))
    assert {("cluster", article.pk), ("relate", article.pk)} <= owed
    for callback in callbacks:
        callback()
    assert not PendingStep.objects.exists()


def test_a_request_made_while_its_step_runs_stays_owed():
    article = ArticleFactory()
    pipeline._owe(pipeline.Step.CLUSTER, article.pk)
    first = PendingStep.objects.get()
    pipeline._owe(pipeline.Step.CLUSTER, article.pk)  # a second edit while the first run works

    PendingStep.objects.filter(version=first.version).delete()  # what the first run deletes

    assert PendingStep.objects.get().version != first.version


def test_a_broker_that_refuses_the_message_fails_nothing_and_the_step_stays_owed(monkeypatch):
    article = ArticleFactory()
    task = pipeline.step_task(pipeline.Step.CLUSTER)

    def refused(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task, "delay", refused)
    pipeline.article_edited(article_id=article.pk, published=True, text=False, body=True)

    assert PendingStep.objects.filter(step="cluster", object_id=article.pk).exists()


# --- The sweeper --------------------------------------------------------------------------------------


def test_the_sweeper_sends_a_document_left_pending_and_it_is_extracted(settings, sent, sweep):
    raw = RawDocumentFactory(
        content=UNFLAGGED.read_bytes(), content_type="text/html", queued_at=ago(settings.STRANDED_AFTER + 1)
    )
    fresh = RawDocumentFactory(queued_at=timezone.now())

    outcome = sweep()

    assert outcome.documents_resent == 1
    assert ("article_extract_task", raw.pk) in sent
    assert ("article_extract_task", fresh.pk) not in sent
    assert RawDocument.objects.get(pk=raw.pk).status == RawDocument.Status.DONE
    assert RawDocument.objects.get(pk=fresh.pk).status == RawDocument.Status.PENDING


def test_the_sweeper_sends_a_document_left_processing_past_its_lease(settings, sent, sweep):
    past = ago(settings.CELERY_TASK_TIME_LIMIT + settings.EXTRACTION_LEASE_MARGIN + 5)
    raw = RawDocumentFactory(
        content=UNFLAGGED.read_bytes(),
        content_type="text/html",
        status=RawDocument.Status.PROCESSING,
        started_at=past,
        queued_at=past,
        task_id="killed",
        attempts=1,
    )
    running = RawDocumentFactory(status=RawDocument.Status.PROCESSING, started_at=ago(5), queued_at=past)

    assert sweep().documents_resent == 1

    raw.refresh_from_db()
    assert (raw.status, raw.attempts, raw.interrupted) == (RawDocument.Status.DONE, 2, 1)
    assert RawDocument.objects.get(pk=running.pk).status == RawDocument.Status.PROCESSING
    assert ("article_extract_task", running.pk) not in sent


def test_the_sweeper_fails_a_document_whose_runs_were_cut_short_too_often(settings, sent, sweep):
    past = ago(settings.CELERY_TASK_TIME_LIMIT + settings.EXTRACTION_LEASE_MARGIN + 5)
    raw = RawDocumentFactory(
        status=RawDocument.Status.PROCESSING,
        started_at=past,
        queued_at=past,
        interrupted=settings.EXTRACTION_MAX_INTERRUPTIONS - 1,
    )

    assert sweep().documents_failed == 1

    raw.refresh_from_db()
    assert raw.status == RawDocument.Status.FAILED
    assert "never finished" in raw.error
    assert sent == []


def test_the_sweeper_sends_a_step_owed_too_long_and_drops_one_sent_too_often(settings, sent, sweep):
    body = "The council met on Monday to agree the budget for the coming year and the new road plans."
    article, hopeless = ArticleFactory(body_text=body), ArticleFactory()
    old = ago(settings.STRANDED_AFTER + 1)
    PendingStep.objects.create(step="cluster", object_id=article.pk, version=1, requested_at=old, sent_at=old)
    PendingStep.objects.create(
        step="cluster",
        object_id=hopeless.pk,
        version=2,
        requested_at=old,
        sent_at=old,
        sends=settings.PIPELINE_STEP_MAX_SENDS,
    )

    outcome = sweep()

    assert (outcome.steps_resent, outcome.steps_dropped) == (1, 1)
    assert sent == [("article_cluster_task", article.pk)]
    assert not PendingStep.objects.exists()  # one ran (in-process) and was done, one dropped
    assert hasattr(Article.objects.get(pk=article.pk), "fingerprint")


def test_a_second_sweep_right_after_the_first_sends_nothing(settings, monkeypatch, sweep):
    RawDocumentFactory(queued_at=ago(settings.STRANDED_AFTER + 1))
    sends = []
    monkeypatch.setattr(pipeline.step_task(pipeline.Step.EXTRACT), "delay", lambda pk: sends.append(pk))

    assert sweep().documents_resent == 1
    assert sweep().documents_resent == 0
    assert len(sends) == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_stranded_document_once(settings, monkeypatch):
    old = ago(settings.STRANDED_AFTER + 1)
    raws = [RawDocumentFactory(queued_at=old) for _ in range(200)]
    sends = []
    monkeypatch.setattr(pipeline.step_task(pipeline.Step.EXTRACT), "delay", lambda pk: sends.append(pk))
    outcomes, start = [], threading.Barrier(2)

    def sweep_in_thread():
        start.wait()
        try:
            outcomes.append(recovery.stranded_work_recover())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sends) == sorted(raw.pk for raw in raws)
    assert sum(outcome.documents_resent for outcome in outcomes) == 200


def test_beat_runs_the_sweeper_and_the_worker_knows_its_task(settings):
    from newsroom.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["recover-stranded-work"]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == settings.STRANDED_SWEEP_INTERVAL
