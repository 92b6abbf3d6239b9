"""What follows what: the steps articles.pipeline sends after ingest, an edit, a publish and an unpublish."""

import pytest
from celery.signals import task_prerun
from django.db import transaction

from articles import pipeline, services
from articles.models import Article, RelatedLink
from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory, RelatedLinkFactory

pytestmark = pytest.mark.django_db

SEED = REPO_ROOT / "fixtures" / "seed" / "page.txt"  # extraction flags it
UNFLAGGED = REPO_ROOT / "fixtures" / "demo" / "stories" / "32-kpc-to-keep-strategic-projects-on-track.html"
STEP = {
    "articles.tasks.article_extract_task": "extract",
    "articles.tasks.article_cluster_task": "cluster",
    "entities.tasks.article_tag_task": "tag",
    "articles.tasks.article_related_refresh_task": "relate",
    "articles.tasks.related_list_refill_task": "refill",
}


@pytest.fixture
def ran():
    """The pipeline steps that ran, in order, as (step, id): Celery's own signal, in-process."""
    steps = []

    def record(sender=None, args=(), **kwargs):
        steps.append((STEP.get(sender.name, sender.name), args[0] if args else None))

    task_prerun.connect(record, weak=False)
    yield steps
    task_prerun.disconnect(record)


def test_every_step_has_the_task_that_runs_it():
    assert {name: pipeline.step_task(name).name for name in pipeline.Step} == {
        pipeline.Step.EXTRACT: "articles.tasks.article_extract_task",
        pipeline.Step.CLUSTER: "articles.tasks.article_cluster_task",
        pipeline.Step.TAG: "entities.tasks.article_tag_task",
        pipeline.Step.RELATE: "articles.tasks.article_related_refresh_task",
        pipeline.Step.REFILL: "articles.tasks.related_list_refill_task",
        pipeline.Step.RETAG_PLAN: "entities.tasks.retag_job_run_task",
        pipeline.Step.RETAG_CHUNK: "entities.tasks.retag_chunk_task",
    }


def test_a_page_published_on_ingest_is_extracted_clustered_tagged_then_related(
    ran, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(
            content=UNFLAGGED.read_bytes(), source="kpc.html", content_type="text/html", publish=True
        ).raw_document

    article = Article.objects.get(raw_document=raw)
    assert article.status == Article.Status.PUBLISHED
    assert ran == [("extract", raw.pk), ("cluster", article.pk), ("tag", article.pk), ("relate", article.pk)]


def test_a_flagged_page_sent_with_publish_waits_for_review_with_a_list_of_its_own(
    ran, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(
            content=SEED.read_bytes(), source="seed.txt", publish=True
        ).raw_document

    article = Article.objects.get(raw_document=raw)
    assert article.status == Article.Status.NEEDS_REVIEW
    # Related too (its own list only), so editors can pin and block before it goes live.
    assert ran == [("extract", raw.pk), ("cluster", article.pk), ("tag", article.pk), ("relate", article.pk)]


def test_a_page_not_published_is_extracted_clustered_tagged_and_given_its_own_list(
    ran, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(content=SEED.read_bytes(), source="seed.txt").raw_document

    article = Article.objects.get(raw_document=raw)
    assert ran == [("extract", raw.pk), ("cluster", article.pk), ("tag", article.pk), ("relate", article.pk)]


@pytest.mark.parametrize(
    ("status", "fields", "expected"),
    [
        (Article.Status.PUBLISHED, ["headline"], ["tag", "relate"]),
        (Article.Status.PUBLISHED, ["body_text"], ["cluster", "tag", "relate"]),
        (Article.Status.PUBLISHED, ["dateline_text"], ["relate"]),
        (Article.Status.DRAFT, ["body_text"], ["cluster", "tag", "relate"]),
        (Article.Status.DRAFT, ["dateline_text"], []),
    ],
)
def test_an_edit_sends_only_what_the_changed_fields_call_for(
    ran, django_capture_on_commit_callbacks, status, fields, expected
):
    article = ArticleFactory(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=None, fields=fields)

    assert ran == [(step, article.pk) for step in expected]


def test_publishing_relates_the_story_and_unpublishing_refills_the_lists_it_left(
    ran, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.DRAFT)
    holder = ArticleFactory(status=Article.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, by=None)
    assert ran == [("relate", article.pk)]

    ran.clear()
    RelatedLinkFactory(from_article=holder, to_article=article, kind=RelatedLink.Kind.COMPUTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, by=None)
    assert ran == [("refill", holder.pk)]


def test_nothing_is_sent_when_the_transaction_rolls_back(ran, django_capture_on_commit_callbacks):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.article_save(article=article, by=None, fields=["body_text"])
        raise RuntimeError("the editor's request failed")

    assert callbacks == []
    assert ran == []


def test_a_step_no_app_provides_is_skipped(ran, monkeypatch, django_capture_on_commit_callbacks):
    # Without a tagging app, a published story's related refresh is sent at once instead of after the tags.
    monkeypatch.delitem(pipeline._steps, pipeline.Step.TAG)
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=None, fields=["headline"])

    assert ran == [("relate", article.pk)]
