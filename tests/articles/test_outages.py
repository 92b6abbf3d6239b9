"""Outages leave nothing stranded: PostgreSQL stopped mid-batch, a worker SIGKILLed, a page past the hard limit.

Each test runs a real Celery worker process on the suite's Redis. The database outage happens on
a PostgreSQL cluster of the test's own (initdb and pg_ctl on a free port, as the ``postgres``
user), never on the machine's. The figures each test measured are printed (``pytest -s``).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import IN_CI, REPO_ROOT, _celery_worker, wait_for

pytestmark = pytest.mark.services

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
STORIES = sorted((REPO_ROOT / "fixtures" / "demo" / "stories").glob("*.html"))
SEED = REPO_ROOT / "fixtures" / "seed" / "page.txt"
FINAL = ("done", "failed", "no_article")
# Short enough for a test, with the same relations as production's defaults (docs/operations.md).
QUICK_RECOVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "20",
    "STRANDED_SWEEP_INTERVAL": "5",
    "STRANDED_AFTER": "45",
    "CELERY_TASK_TIME_LIMIT": "20",
    "CELERY_TASK_SOFT_TIME_LIMIT": "15",
    "EXTRACTION_LEASE_MARGIN": "5",
    "TASK_RETRY_BACKOFF_MAX": "8",
    # Only the sweeper in this test's beat; the others would only add noise to the log.
    "VIEW_FLUSH_INTERVAL": "3600",
    "SCHEDULE_CHECK_INTERVAL": "3600",
    "SITE_FURNITURE_LEARN_INTERVAL": "3600",
}


def pages(count: int, directory: Path) -> Path:
    """``count`` distinct pages: the demo stories and the seed page, each copy marked so its bytes differ."""
    sources = [*STORIES, SEED]
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        source = sources[n % len(sources)]
        mark = f"\n<!-- copy {n} -->\n" if source.suffix == ".html" else "\n" * (n + 1)
        (directory / f"{n:03d}-{source.name}").write_bytes(source.read_bytes() + mark.encode())
    return directory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A PostgreSQL cluster of the test's own, in a temporary directory, that it may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.root / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"
        if os.geteuid() == 0:
            # initdb refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(self.root, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        else:
            self.as_owner = []

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()
        self.run(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "newsroom"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def query(self, sql: str):
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=newsroom") as db:
            return db.execute(sql).fetchall()

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def own_postgres():
    if not (PG_BIN / "initdb").exists():
        message = f"no PostgreSQL server binaries in {PG_BIN} (set PG_BIN)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    cluster = OwnPostgres()
    try:
        cluster.create()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPO_ROOT,
            env={**os.environ, "DEBUG": "1", "DATABASE_URL": cluster.url},
            check=True,
            capture_output=True,
            timeout=600,
        )
        yield cluster
    finally:
        cluster.destroy()


def worker_ready(worker) -> bool:
    return " ready." in worker.log_path.read_text(errors="replace")


def start_worker(tmp_path, name: str, **env):
    """A worker with beat (and so the sweeper) in it; stopped and reaped by the caller's ``close()``."""
    directory = tmp_path / name
    directory.mkdir()
    generator = _celery_worker(directory, beat=True, env={**QUICK_RECOVERY, **env})
    worker = next(generator)
    worker.stop = generator.close
    assert wait_for(lambda: worker_ready(worker), timeout=120), worker.log_path.read_text()
    return worker


STATUS_SQL = "SELECT status, count(*) FROM articles_rawdocument GROUP BY status"
# What a document's processing owes beyond its status: steps not yet done, articles never tagged.
OWED_SQL = """
    SELECT (SELECT count(*) FROM articles_pendingstep),
           (SELECT count(*) FROM articles_article a
             WHERE NOT EXISTS (SELECT 1 FROM entities_articletagging t
                                WHERE t.article_id = a.id AND (t.tagged_at IS NOT NULL OR t.error <> '')))
"""
UNEXPLAINED_SQL = "SELECT count(*) FROM articles_rawdocument WHERE status = 'failed' AND error = ''"


def accounted(query, total: int) -> bool:
    statuses = dict(query(STATUS_SQL))
    steps_owed, untagged = query(OWED_SQL)[0]
    return sum(statuses.get(status, 0) for status in FINAL) == total and steps_owed == 0 and untagged == 0


def django_query(sql: str):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_postgresql_stopped_for_30_seconds_mid_batch_leaves_every_document_processed(own_postgres, tmp_path):
    directory = pages(100, tmp_path / "pages")
    worker = start_worker(tmp_path, "worker", DATABASE_URL=own_postgres.url)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "ingest", str(directory), "--reference-date", "2015-09-28"],
            cwd=REPO_ROOT,
            env={**os.environ, "DEBUG": "1", "DATABASE_URL": own_postgres.url},
            check=True,
            capture_output=True,
            timeout=300,
        )
        assert wait_for(lambda: dict(own_postgres.query(STATUS_SQL)).get("done", 0) >= 10, timeout=300)

        own_postgres.stop()
        time.sleep(30)
        own_postgres.start()
        back = time.monotonic()
        unfinished_at_restart = 100 - sum(
            count for status, count in own_postgres.query(STATUS_SQL) if status in FINAL
        )

        finished = wait_for(lambda: accounted(own_postgres.query, 100), timeout=420, interval=1)
        recovered_in = time.monotonic() - back
        statuses = dict(own_postgres.query(STATUS_SQL))
        print(
            f"\nPostgreSQL down 30 s: {unfinished_at_restart} documents unfinished when it came back; "
            f"all 100 accounted for {recovered_in:.0f} s later: {statuses}; steps owed, untagged: "
            f"{own_postgres.query(OWED_SQL)[0]}"
        )
        log = worker.log_path.read_text(errors="replace")
        sweeps = [
            line.split("recovered: ", 1)[1] for line in log.splitlines() if "stranded work recovered" in line
        ]
        print(f"sweeper: {sweeps or 'found nothing stranded'}")
        assert finished, (statuses, own_postgres.query(OWED_SQL))
        assert unfinished_at_restart > 0  # the outage did hit the batch
        # Every pipeline task the outage failed was retried until the database was back; none gave up
        # (the periodic ones, the sweeper and the feed poller, just fail while the database is
        # down, and beat runs them again).
        periodic = ("stranded_work_recover", "sources_poll_due")
        gave_up = [
            line
            for line in log.splitlines()
            if "raised unexpected" in line and not any(name in line for name in periodic)
        ]
        assert gave_up == []
        assert statuses.get("done", 0) >= 90
        assert own_postgres.query(UNEXPLAINED_SQL)[0][0] == 0
    finally:
        worker.stop()


def test_a_worker_killed_mid_batch_has_its_work_redelivered_within_minutes(
    transactional_db, tmp_path, django_capture_on_commit_callbacks
):
    from articles import services

    # The sweeper leaves documents left processing alone for two minutes: redelivery must do it.
    patient = {"EXTRACTION_LEASE_MARGIN": "120"}
    first = start_worker(tmp_path, "first", **patient)
    killed = False
    try:
        for path in sorted(pages(60, tmp_path / "pages").iterdir()):
            services.raw_document_ingest(content=path.read_bytes(), source=path.name)
        assert wait_for(
            lambda: (
                dict(django_query(STATUS_SQL)).get("done", 0) >= 10
                and dict(django_query(STATUS_SQL)).get("processing", 0) >= 1
            ),
            timeout=300,
            interval=0.05,
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        held = django_query("SELECT id, task_id FROM articles_rawdocument WHERE status = 'processing'")
    finally:
        first.stop()
    assert killed

    second = start_worker(tmp_path, "second", **patient)
    try:
        finished = wait_for(lambda: accounted(django_query, 60), timeout=300, interval=1)
        recovered_in = time.monotonic() - killed
        statuses = dict(django_query(STATUS_SQL))
        print(
            f"\nworker SIGKILLed with documents {[raw_id for raw_id, _ in held]} processing: all 60 "
            f"accounted for {recovered_in:.0f} s after the kill: {statuses}"
        )
        assert finished, (statuses, django_query(OWED_SQL))
        assert recovered_in < 180
        assert django_query(UNEXPLAINED_SQL)[0][0] == 0
        log = second.log_path.read_text(errors="replace")
        for raw_id, task_id in held:
            assert f"[{task_id}] received" in log  # the killed run's own message, redelivered
            status, interrupted = django_query(
                f"SELECT status, interrupted FROM articles_rawdocument WHERE id = {raw_id}"
            )[0]
            assert status in FINAL and interrupted == 1
    finally:
        second.stop()


def test_a_page_past_the_hard_time_limit_ends_failed_with_the_reason(transactional_db, tmp_path):
    from articles.models import RawDocument

    # Distinct paragraphs, each compared with the others for repeats: seconds of work on any machine.
    paragraphs = b"".join(
        b"<p>Paragraph %d of the long report, %d words on %d matters enough to count as prose.</p>\n"
        % (n, n * 7919 % 10007, n * 104729 % 20011)
        for n in range(20000)
    )
    page = tmp_path / "long.html"
    page.write_bytes(b"<html><body><article><h1>Long report</h1>" + paragraphs + b"</article></body></html>")
    # A prefork pool, where the hard limit is enforced: its child is killed after 3 s (no soft limit
    # first). Time limits travel in the message, set by the sender: the ingest command has them too.
    limits = {"CELERY_TASK_TIME_LIMIT": "3", "CELERY_TASK_SOFT_TIME_LIMIT": "0", "ENTITIES_NER_MODEL": ""}
    directory = tmp_path / "worker"
    directory.mkdir()
    generator = _celery_worker(directory, env=limits, pool="prefork")
    worker = next(generator)
    try:
        assert wait_for(lambda: worker_ready(worker), timeout=120)
        database_url = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            + "/"
            + django_query("SELECT current_database()")[0][0]
        )
        subprocess.run(
            [sys.executable, "manage.py", "ingest", str(page)],
            cwd=REPO_ROOT,
            env={**os.environ, "DEBUG": "1", "DATABASE_URL": database_url, **limits},
            check=True,
            capture_output=True,
            timeout=300,
        )
        raw = RawDocument.objects.get(source__endswith="long.html")
        assert wait_for(
            lambda: RawDocument.objects.get(pk=raw.pk).status == RawDocument.Status.FAILED, timeout=120
        ), worker.log_path.read_text()
        raw.refresh_from_db()
        assert raw.error.startswith("Extraction was stopped at the hard time limit of 3 seconds")
        assert raw.attempts == 1
    finally:
        generator.close()
