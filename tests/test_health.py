"""Liveness, readiness, the system's health and the Prometheus metrics: what each reports, and to whom."""

import datetime as dt
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from articles.models import RawDocument
from newsroom.celery import app
from tests.conftest import wait_for
from tests.factories import ArticleFactory, RawDocumentFactory, UserFactory

TOKEN = "monitoring-token-for-tests-0123456789"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def monitoring(settings):
    settings.MONITORING_TOKEN = TOKEN
    return settings


def checks(response) -> dict:
    assert response["Content-Type"] == "application/json", response.content
    return response.json()["checks"]


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one sample in a Prometheus text exposition."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if not match or match[1] != name:
            continue
        found = ",".join(sorted(part for part in re.findall(r'\w+="[^"]*"', match[2] or "")))
        if found == wanted:
            return float(match[3])
    return None


# --- Liveness and readiness ----------------------------------------------------------------------------


def test_liveness_answers_ok_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db(transaction=True)
def test_readiness_tells_anonymous_callers_the_status_alone(client, monitoring):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain" and response.content == b"ok"
    assert response["Cache-Control"].startswith("max-age=0")
    # A wrong token, or a signed-in reader who is not staff, learns no more.
    assert client.get("/readyz", HTTP_AUTHORIZATION="Bearer wrong").content == b"ok"
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/readyz").content == b"ok"


@pytest.mark.django_db(transaction=True)
def test_readiness_details_go_to_the_token_and_to_staff(client, monitoring):
    with_token = client.get("/readyz", **AUTH)
    client.force_login(UserFactory(is_staff=True))
    as_staff = client.get("/readyz")

    for response in (with_token, as_staff):
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert checks(response) == {
            "Database": {"ok": True, "detail": "OK", "seconds": pytest.approx(0, abs=5)}
        }


def test_without_a_token_configured_no_bearer_opens_the_details(client, settings, db):
    settings.MONITORING_TOKEN = ""

    assert client.get("/readyz", HTTP_AUTHORIZATION="Bearer ").content == b"ok"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


# --- The system's health ------------------------------------------------------------------------------


@pytest.fixture
def in_process(monitoring):
    """No Redis and no workers: the checks that need them are left out."""
    monitoring.REDIS_URL = ""
    monitoring.CELERY_TASK_ALWAYS_EAGER = True
    return monitoring


def sent_ago(document, seconds: float) -> None:
    RawDocument.objects.filter(pk=document.pk).update(
        queued_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


@pytest.mark.django_db(transaction=True)
def test_health_fails_on_documents_stuck_pending_or_processing(client, in_process):
    in_process.HEALTH_STUCK_DOCUMENT_SECONDS = 600
    healthy = client.get("/health/", **AUTH)
    assert healthy.status_code == 200 and set(checks(healthy)) == {"Database", "StuckDocuments"}

    stuck = RawDocumentFactory(status=RawDocument.Status.PROCESSING)
    sent_ago(stuck, 3600)
    sent_ago(RawDocumentFactory(status=RawDocument.Status.PENDING), 700)
    sent_ago(RawDocumentFactory(status=RawDocument.Status.PENDING), 60)  # still within its time
    sent_ago(RawDocumentFactory(status=RawDocument.Status.FAILED), 7200)  # ended: not stuck
    # Finished long ago and just sent through extraction again: waiting a moment, not stuck.
    month_ago = timezone.now() - dt.timedelta(days=30)
    rerun = RawDocumentFactory(status=RawDocument.Status.PENDING)
    RawDocument.objects.filter(pk=rerun.pk).update(received_at=month_ago, processed_at=month_ago)

    anonymous = client.get("/health/")
    detailed = client.get("/health/", **AUTH)

    assert anonymous.status_code == 503 and anonymous.content == b"unavailable"
    assert detailed.status_code == 503 and detailed.json()["status"] == "unavailable"
    report = checks(detailed)["StuckDocuments"]
    assert not report["ok"]
    assert re.search(
        r"2 raw document\(s\) pending or processing for over 600 s \(the oldest for 3,6\d\d s\)",
        report["detail"],
    )
    assert checks(detailed)["Database"]["ok"]


# --- Metrics ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_metrics_are_hidden_from_anonymous_callers(client, monitoring):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_metrics_count_requests_tasks_and_stuck_documents(client, in_process):
    from articles.tasks import articles_publish_due_task

    in_process.HEALTH_STUCK_DOCUMENT_SECONDS = 600
    sent_ago(RawDocumentFactory(status=RawDocument.Status.PENDING), 900)
    task = "articles.tasks.articles_publish_due_task"
    before = REGISTRY.get_sample_value("newsroom_celery_tasks_total", {"task": task, "state": "SUCCESS"}) or 0
    client.get("/")
    articles_publish_due_task.delay()

    response = client.get("/metrics", **AUTH)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert (
        sample(
            text,
            "django_http_requests_total_by_view_transport_method_total",
            view="articles:index",
            transport="http",
            method="GET",
        )
        >= 1
    )
    assert sample(text, "newsroom_celery_tasks_total", task=task, state="SUCCESS") == before + 1
    assert sample(text, "newsroom_celery_task_duration_seconds_count", task=task) >= 1
    assert sample(text, "newsroom_raw_documents_stuck") == 1
    assert sample(text, "newsroom_raw_documents_stuck_oldest_seconds") >= 900
    assert sample(text, "newsroom_monitoring_source_up", source="database") == 1


# --- With the real services -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """Start a redis-server of our own on a free port with the given persistence options."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    started = []

    def start(*options):
        import redis

        port = free_port()
        folder = tmp_path / f"redis-{port}"
        folder.mkdir()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        client = redis.Redis(port=port)
        assert wait_for(lambda: _pings(client), timeout=20)
        return client

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _pings(client) -> bool:
    import redis

    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@pytest.mark.services
def test_redis_persistence_is_judged_from_the_server_itself(own_redis):
    from newsroom.redis import persistence_problem

    bare = own_redis("--save", "", "--appendonly", "no")
    aof = own_redis("--save", "", "--appendonly", "yes")
    snapshots = own_redis("--save", "60 1", "--appendonly", "no")

    assert "runs without any persistence" in persistence_problem(bare)
    assert persistence_problem(aof) is None
    # Snapshots lose what came in since the last one: the append-only file is the production setting.
    assert "runs with snapshots only" in persistence_problem(snapshots)


@pytest.fixture
def with_services(monitoring):
    monitoring.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()
    yield monitoring
    app.control.purge()


@pytest.mark.services
def test_health_reports_workers_on_every_queue_redis_and_its_persistence(
    client, with_services, celery_worker_process
):
    from newsroom.redis import persistence_problem

    report = wait_for(
        lambda: (r := checks(client.get("/health/", **AUTH)))["CeleryWorkers"]["ok"] and r, timeout=60
    )

    assert report, checks(client.get("/health/", **AUTH))
    assert report["Database"]["ok"] and report["RedisReachable"]["ok"] and report["QueueDepth"]["ok"]
    assert report["ViewFlushLag"]["ok"] and report["StuckDocuments"]["ok"]
    # The machine's Redis decides this one; the check says what it found.
    problem = persistence_problem()
    assert report["RedisPersistence"]["ok"] is (problem is None)
    if problem:
        assert problem in report["RedisPersistence"]["detail"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_health_fails_without_a_worker_and_names_the_deep_queue(client, with_services):
    with_services.HEALTH_QUEUE_MAX_DEPTH = 1
    for _ in range(2):
        app.send_task("articles.tasks.article_extract_task", args=[0], queue="extraction")

    response = client.get("/health/", **AUTH)
    metrics = client.get("/metrics", **AUTH).content.decode()

    assert response.status_code == 503
    report = checks(response)
    assert report["CeleryWorkers"] == {
        "ok": False,
        "detail": "Unavailable: Celery workers unavailable",
        "seconds": pytest.approx(2, abs=3),
    }
    assert "Queue(s) over 1 waiting tasks: extraction 2" in report["QueueDepth"]["detail"]
    assert sample(metrics, "newsroom_celery_queue_length", queue="extraction") == 2
    # The default queue is read as it stands (periodic work of an earlier test may still land there).
    from newsroom.redis import get_redis

    assert sample(metrics, "newsroom_celery_queue_length", queue="default") == get_redis().llen("default")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_view_flush_lag_grows_while_no_flush_runs_and_ends_with_one(client, monitoring, redis_client):
    from articles import counters
    from articles.counters import keys
    from articles.tasks import view_counts_flush_task
    from newsroom import monitoring as readings

    monitoring.CELERY_TASK_ALWAYS_EAGER = True
    monitoring.HEALTH_VIEW_FLUSH_MAX_LAG = 300
    article = ArticleFactory()
    redis_client.hincrby(counters.PENDING_KEY, keys.pending_field(article.pk, timezone.now().date()), 3)
    redis_client.set(readings.VIEW_FLUSHED_AT_KEY, time.time() - 1000)

    lagging = client.get("/health/", **AUTH)
    text = client.get("/metrics", **AUTH).content.decode()

    assert lagging.status_code == 503
    assert "is celery beat running?" in checks(lagging)["ViewFlushLag"]["detail"]
    assert 1000 <= sample(text, "newsroom_view_flush_lag_seconds") < 1100

    view_counts_flush_task.apply()  # in this process, as a worker runs it

    article.refresh_from_db()
    assert article.total_views >= 3
    text = client.get("/metrics", **AUTH).content.decode()
    assert sample(text, "newsroom_view_flush_lag_seconds") == 0
    assert time.time() - sample(text, "newsroom_view_flush_last_success_timestamp_seconds") < 30
    assert checks(client.get("/health/", **AUTH))["ViewFlushLag"]["ok"]
    redis_client.delete(readings.VIEW_FLUSHED_AT_KEY)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_serves_its_task_metrics_on_its_port(tmp_path, settings):
    from tests.conftest import _celery_worker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    port = free_port()
    worker = _celery_worker(tmp_path, env={"WORKER_METRICS_PORT": str(port)})
    process = next(worker)
    try:
        from articles.tasks import articles_publish_due_task

        articles_publish_due_task.delay()
        task = "articles.tasks.articles_publish_due_task"

        def scraped():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
                    text = response.read().decode()
            except OSError:
                return None
            return text if sample(text, "newsroom_celery_tasks_total", task=task, state="SUCCESS") else None

        text = wait_for(scraped, timeout=90)
        assert text, process.log_path.read_text(errors="replace")
        assert sample(text, "newsroom_celery_tasks_total", task=task, state="SUCCESS") == 1
        assert sample(text, "newsroom_celery_task_duration_seconds_count", task=task) == 1
    finally:
        worker.close()
