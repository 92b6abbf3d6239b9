"""Re-tagging articles in the background: a RetagJob cut into chunks, whose progress reaches its total."""

import pytest

from entities import services
from entities.models import ArticleTagging, Mention, RetagChunk, RetagJob
from entities.services import mentions, retag
from entities.tasks import retag_chunk_task, retag_job_run_task
from tests.factories import AliasFactory, ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def islamic_state(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return EntityFactory(name="Islamic State", type="organization")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(retag, "RETAG_CHUNK_SIZE", 2)


def daesh_articles(n):
    return [
        ArticleFactory(headline=f"Strikes {i}", body_text="Jets struck Daesh positions overnight.")
        for i in range(n)
    ]


def test_retagging_all_articles_runs_in_the_background_until_done_reaches_total(
    islamic_state, small_chunks, django_capture_on_commit_callbacks
):
    articles = daesh_articles(5)
    with django_capture_on_commit_callbacks(execute=True):
        AliasFactory(entity=islamic_state, text="Daesh")

    with django_capture_on_commit_callbacks(execute=True):
        job = services.articles_retag(by=None)
        assert (job.status, job.total, job.done) == ("pending", 5, 0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failed, job.percent) == ("done", 5, 5, 0, 100)
    assert job.planned and job.started_at is not None and job.finished_at is not None
    assert list(job.chunks.values_list("articles", "status")) == [(2, "done"), (2, "done"), (1, "done")]
    assert Mention.objects.filter(entity=islamic_state).count() == 5
    assert ArticleTagging.objects.filter(article__in=articles, error="").count() == 5


def test_progress_grows_chunk_by_chunk_in_whatever_order_workers_take_them(islamic_state, small_chunks):
    daesh_articles(5)
    job = services.articles_retag(by=None)  # not committed in this test, so nothing is queued

    assert services.retag_job_plan(job=job) is False  # every article is in a chunk
    chunks = list(RetagChunk.objects.filter(job=job).order_by("-first_article_id"))
    progress = []
    for chunk in chunks:
        services.retag_chunk_run(chunk=chunk)
        job.refresh_from_db()
        progress.append((job.status, job.done))

    assert progress == [("running", 1), ("running", 3), ("done", 5)]
    assert job.total == 5


def test_a_chunk_run_twice_by_a_redelivered_task_is_counted_once(islamic_state, small_chunks):
    daesh_articles(3)
    job = services.articles_retag(by=None)
    services.retag_job_plan(job=job)
    first = RetagChunk.objects.filter(job=job).order_by("first_article_id").first()
    stale = RetagChunk.objects.get(pk=first.pk)

    services.retag_chunk_run(chunk=first)
    services.retag_chunk_run(chunk=stale)

    job.refresh_from_db()
    assert (job.done, job.status) == (2, "running")


def test_the_planner_queues_a_few_chunks_at_a_time_and_then_itself(
    islamic_state, small_chunks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(retag, "RETAG_CHUNKS_PER_PLAN", 1)
    daesh_articles(5)
    job = services.articles_retag(by=None)
    plans, chunks = [], []
    plan, run_chunk = retag_job_run_task.delay, retag_chunk_task.delay
    monkeypatch.setattr(retag_job_run_task, "delay", lambda job_id: (plans.append(job_id), plan(job_id)))
    monkeypatch.setattr(
        retag_chunk_task, "delay", lambda chunk_id: (chunks.append(chunk_id), run_chunk(chunk_id))
    )

    with django_capture_on_commit_callbacks(execute=True):
        retag_job_run_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 5)
    assert len(chunks) == 3
    assert plans == [job.pk, job.pk]  # three planning runs: the first here, two queued


def test_a_job_on_selected_articles_tags_only_those(islamic_state, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        AliasFactory(entity=islamic_state, text="Daesh")
    chosen, other = daesh_articles(2)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.articles_retag(article_ids=[chosen.pk], by=None)

    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 1, 1)
    assert Mention.objects.filter(article=chosen).exists()
    assert not Mention.objects.filter(article=other).exists()


def test_a_job_over_no_articles_is_done_at_once():
    job = services.articles_retag(by=None)

    assert (job.status, job.total, job.done) == ("done", 0, 0)


def test_articles_deleted_meanwhile_leave_the_total(islamic_state, django_capture_on_commit_callbacks):
    _, deleted = daesh_articles(2)
    job = services.articles_retag(by=None)
    deleted.delete()

    with django_capture_on_commit_callbacks(execute=True):
        retag_job_run_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 1, 1)


def test_an_article_that_crashes_the_tagger_is_recorded_and_the_job_goes_on(
    islamic_state, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = daesh_articles(2)
    original = services.article_findings_save

    def flaky(*, article, findings):
        if article.pk == first.pk:
            raise ValueError("bad text")
        return original(article=article, findings=findings)

    monkeypatch.setattr(mentions, "article_findings_save", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.articles_retag(by=None)

    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 2, 1)
    assert "bad text" in ArticleTagging.objects.get(article=first).error
    assert ArticleTagging.objects.get(article=second).error == ""


def test_a_batch_the_model_chokes_on_is_tagged_article_by_article(
    islamic_state, monkeypatch, django_capture_on_commit_callbacks
):
    articles = daesh_articles(3)
    with django_capture_on_commit_callbacks(execute=True):
        AliasFactory(entity=islamic_state, text="Daesh")
    tagger = services.tagger_get()

    def choke(self, texts):
        raise RuntimeError("batch too big")

    monkeypatch.setattr(type(tagger), "tag_many", choke)

    assert services.articles_tag_batch(articles=articles) == 0
    assert Mention.objects.filter(entity=islamic_state).count() == 3


def test_a_failed_job_skips_the_chunks_still_queued(islamic_state, small_chunks):
    daesh_articles(3)
    job = services.articles_retag(by=None)
    services.retag_job_plan(job=job)
    services.retag_job_fail(job=job, reason="stopped by an operator")

    for chunk in RetagChunk.objects.filter(job=job):
        services.retag_chunk_run(chunk=chunk)

    job.refresh_from_db()
    assert (job.status, job.done, job.error) == ("failed", 0, "stopped by an operator")
    assert not RetagJob.objects.filter(status="done").exists()
