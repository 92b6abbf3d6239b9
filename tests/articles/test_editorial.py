"""Editors' actions: each checks the acting user's permission and writes the change log, whoever calls it."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article, RawDocument, RelatedLink
from tests.factories import ArticleFactory, ExtractionReportFactory, RawDocumentFactory, user_with_permissions

pytestmark = pytest.mark.django_db


def log_of(obj) -> list[tuple[str, int, str]]:
    return [
        (entry.user.username, entry.action_flag, entry.get_change_message())
        for entry in LogEntry.objects.filter(object_id=str(obj.pk)).order_by("pk")
    ]


def test_publishing_needs_the_publish_permission_and_changes_nothing_without_it():
    article = ArticleFactory(status=Article.Status.DRAFT)
    reader = user_with_permissions("articles.change_article", username="reporter")

    with pytest.raises(PermissionDenied, match=r"articles\.publish_article"):
        services.article_publish(article=article, by=reader)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert log_of(article) == []


def test_publish_and_unpublish_are_logged_with_the_editor():
    article = ArticleFactory(status=Article.Status.DRAFT)
    editor = user_with_permissions("articles.publish_article", username="desk")

    services.article_publish(article=article, by=editor)
    services.article_unpublish(article=article, by=editor)

    assert log_of(article) == [("desk", CHANGE, "Published."), ("desk", CHANGE, "Unpublished.")]


def test_the_system_publishes_without_a_permission_check_or_a_log_entry():
    article = ArticleFactory(status=Article.Status.DRAFT)

    services.article_publish(article=article, by=None)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert LogEntry.objects.count() == 0


def test_an_edit_is_logged_with_the_fields_the_editor_changed():
    article = ArticleFactory(headline="Old", body_text="Oil prices rose.")
    editor = user_with_permissions("articles.change_article", "articles.publish_article", username="desk")
    article.headline = "Pipeline ruptures"

    services.article_save(article=article, by=editor, fields=["headline"])

    article.refresh_from_db()
    assert article.headline == "Pipeline ruptures"
    assert "pipeline" in article.keywords  # the related index reads the new text
    assert log_of(article) == [("desk", CHANGE, "Changed Headline.")]


def test_a_new_article_needs_the_add_permission():
    editor = user_with_permissions("articles.change_article")

    with pytest.raises(PermissionDenied, match=r"articles\.add_article"):
        services.article_save(article=Article(headline="Fresh", slug="fresh"), by=editor, created=True)

    assert not Article.objects.filter(slug="fresh").exists()


def test_a_new_article_is_logged_as_added():
    editor = user_with_permissions("articles.add_article", username="desk")

    article = services.article_save(article=Article(headline="Fresh", slug="fresh"), by=editor, created=True)

    assert log_of(article) == [("desk", ADDITION, "Added.")]


def test_a_pin_is_saved_its_target_leaves_the_computed_list_and_the_change_is_logged():
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    target, gone = ArticleFactory(status=Article.Status.PUBLISHED), ArticleFactory()
    RelatedLink.objects.create(from_article=article, to_article=target, kind=RelatedLink.Kind.COMPUTED)
    unwanted = RelatedLink.objects.create(from_article=article, to_article=gone, kind=RelatedLink.Kind.PINNED)
    editor = user_with_permissions("articles.change_article", "articles.publish_article", username="desk")

    pin = RelatedLink(to_article=target, kind=RelatedLink.Kind.PINNED)
    services.article_related_links_save(article=article, by=editor, links=[pin], removed=[unwanted])

    links = set(RelatedLink.objects.filter(from_article=article).values_list("to_article_id", "kind"))
    assert links == {(target.pk, RelatedLink.Kind.PINNED)}
    assert log_of(article) == [("desk", CHANGE, "Changed the related links.")]


def test_related_links_need_the_change_permission():
    article = ArticleFactory()
    pin = RelatedLink(to_article=ArticleFactory(), kind=RelatedLink.Kind.PINNED)

    with pytest.raises(PermissionDenied):
        services.article_related_links_save(
            article=article, by=user_with_permissions("articles.view_article"), links=[pin]
        )

    assert not RelatedLink.objects.filter(from_article=article).exists()


def test_re_extraction_needs_the_raw_document_permission_and_is_logged():
    raw = RawDocumentFactory(status=RawDocument.Status.FAILED, error="broken")
    with pytest.raises(PermissionDenied):
        services.raw_documents_reextract(
            raw_documents=[raw], by=user_with_permissions("articles.change_article")
        )
    editor = user_with_permissions("articles.change_rawdocument", username="desk")

    assert services.raw_documents_reextract(raw_documents=[raw], by=editor) == 1

    raw.refresh_from_db()
    assert (raw.status, raw.error) != (RawDocument.Status.FAILED, "broken")
    assert log_of(raw) == [("desk", CHANGE, "Sent back to extraction.")]


def test_readers_see_the_body_the_editor_saved_escaped(client):
    article = ArticleFactory(
        status=Article.Status.PUBLISHED,
        body_text="Old first paragraph.",
        body_html="<p>Old first paragraph.</p>",
    )
    article.body_text = "Iraq announced new talks.\n\nOfficials said <b>nothing</b> more."

    services.article_save(article=article, by=None, fields=["body_text"])

    page = client.get(article.get_absolute_url()).text
    assert "<p>Iraq announced new talks.</p>" in page
    assert "<p>Officials said &lt;b&gt;nothing&lt;/b&gt; more.</p>" in page
    assert "Old first paragraph" not in page


def test_a_body_typed_in_a_browser_keeps_its_paragraphs():
    article = ArticleFactory(body_text="One.")
    article.body_text = "First paragraph.\r\n\r\nSecond paragraph."

    services.article_save(article=article, by=None, fields=["body_text"])

    article.refresh_from_db()
    assert article.paragraphs == ["First paragraph.", "Second paragraph."]


def test_a_one_click_fix_changes_the_body_as_a_revision_and_settles_the_flag():
    article = ArticleFactory(body_text="Oil rose.\n\nThe Iraqiannounced talks.")
    glued = {
        "kind": "glued_word",
        "text": "Iraqiannounced",
        "detail": {"paragraph": 2, "parts": ["Iraqi", "announced"]},
    }
    ExtractionReportFactory(article=article, flagged=[glued])
    desk = user_with_permissions("articles.change_article", "articles.publish_article", username="desk")

    services.article_flag_fix(article=article, by=desk, index=0)

    article.refresh_from_db()
    assert article.paragraphs == ["Oil rose.", "The Iraqi announced talks."]
    assert article.report.flagged == []
    assert article.edited_fields == ["body_html", "body_text"]
    with pytest.raises(services.FixRefused):
        services.article_flag_fix(article=article, by=desk, index=0)
