"""A page is extracted, tagged and related by a real Celery worker over Redis and PostgreSQL."""

import datetime as dt

import pytest

from articles import services as article_services
from articles.models import Article, RawDocument
from entities import services
from entities.models import Alias, ArticleTagging, Entity, Mention, RetagJob
from tests.conftest import REPO_ROOT, wait_for
from tests.entities.conftest import SEED, SEED_PEOPLE
from tests.factories import EntityFactory

pytestmark = pytest.mark.services


@pytest.fixture
def known_entities(transactional_db):
    services.knowledge_load()
    return {name: EntityFactory(name=name, type="person") for name in SEED_PEOPLE}


def _tagged_article(raw_id):
    article = Article.objects.filter(raw_document_id=raw_id).first()
    if (
        article is None
        or not ArticleTagging.objects.filter(article=article, tagged_at__isnull=False).exists()
    ):
        return None
    return article


def test_a_new_article_is_tagged_in_the_same_background_flow_as_its_extraction(
    known_entities, celery_worker_process
):
    content = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes()

    result = article_services.raw_document_ingest(
        content=content, source="seed/page.txt", reference_date=dt.date(2015, 9, 28), publish=True
    )

    article = wait_for(lambda: _tagged_article(result.raw_document.pk), timeout=120)
    raw = RawDocument.objects.get(pk=result.raw_document.pk)
    assert article is not None, f"{raw.status}: {raw.error}\n" + celery_worker_process.log_path.read_text()
    mentions = {m.entity.name: m for m in Mention.objects.filter(article=article).select_related("entity")}
    minimum = SEED["entities_minimum"]
    for kind in ("person", "organization"):
        for name in minimum[kind]:
            # One entity each, whatever alias the story used.
            assert Entity.objects.filter(name=name, type=kind).count() == 1
            assert name in mentions, f"{name} was not tagged"
    assert mentions["Vladimir Putin"].count >= 5
    assert mentions["Francois Hollande"].count == 2
    assert {"Paris", "France", "Syria", "Russia", "Iraq", "Iran", "Baghdad"} <= set(mentions)
    assert ArticleTagging.objects.get(article=article).error == ""
    # Extraction flagged the seed, so it waits for an editor, who publishes it.
    assert article.status == Article.Status.NEEDS_REVIEW
    article_services.article_publish(article=article, by=None)

    # Extraction, then tagging, then the related refresh, in that order, all on the worker.
    def refreshed():
        log = celery_worker_process.log_path.read_text(errors="replace")
        return "articles.tasks.article_related_refresh_task[" in log and log

    log = wait_for(refreshed, timeout=60)
    assert log, celery_worker_process.log_path.read_text()
    extract = log.index("Task articles.tasks.article_extract_task[")
    tag = log.index("Task entities.tasks.article_tag_task[")
    relate = log.index("Task articles.tasks.article_related_refresh_task[")
    assert extract < tag < relate


def test_alias_changes_reach_old_articles_through_a_retag_job_on_the_worker(
    known_entities, celery_worker_process
):
    content = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes()
    result = article_services.raw_document_ingest(content=content, source="seed/page.txt", publish=True)
    article = wait_for(lambda: _tagged_article(result.raw_document.pk), timeout=120)
    assert article is not None, celery_worker_process.log_path.read_text()
    cbs = Entity.objects.get(name="CBS")
    islamic_state = Entity.objects.get(name="Islamic State")
    before = Mention.objects.get(article=article, entity=islamic_state).count
    assert Mention.objects.filter(article=article, entity=cbs).exists()
    services.entity_block(entity=cbs, by=None)
    Alias.objects.create(entity=islamic_state, text="jihadists")

    job = services.articles_retag(by=None)

    finished = wait_for(lambda: RetagJob.objects.filter(pk=job.pk, status="done").first(), timeout=120)
    assert finished is not None, celery_worker_process.log_path.read_text()
    assert (finished.done, finished.total) == (1, 1)
    # The worker rebuilt its matcher: the new alias is found and the blocked entity is not.
    assert Mention.objects.get(article=article, entity=islamic_state).count == before + 1
    assert not Mention.objects.filter(entity=cbs).exists()
    assert Mention.objects.filter(article=article, entity=known_entities["Vladimir Putin"]).exists()
