"""Revisions: every extraction, edit and move with its author and reason; diffs; revert; re-extraction keeps edits."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from articles import services
from articles.models import Article
from articles.revisions import article_revisions
from tests.conftest import REPO_ROOT
from tests.factories import user_with_permissions

pytestmark = pytest.mark.django_db

SEED = REPO_ROOT / "fixtures" / "seed" / "page.txt"


@pytest.fixture
def seed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.raw_document_ingest(content=SEED.read_bytes(), source="seed.txt").raw_document
    return Article.objects.get(raw_document=raw)


def test_extraction_edits_and_moves_are_revisions_with_their_author_and_reason(seed):
    desk = user_with_permissions("articles.change_article", "articles.publish_article", username="desk")
    seed.headline = "France strikes IS in Syria"
    services.article_save(article=seed, by=desk, fields=["headline"])
    services.article_publish(article=seed, by=desk)

    revisions = article_revisions(seed)

    assert [(r.author, r.reason) for r in revisions] == [
        ("desk", "Published."),
        ("desk", "Edited: headline."),
        ("the extractor or the system", "Extracted."),
    ]
    published, edited, extracted = revisions
    assert [(c.label, c.new) for c in published.changes] == [("Status", "Published")]
    assert [(c.label, c.new) for c in edited.changes] == [("Headline", "France strikes IS in Syria")]
    assert {c.field for c in extracted.changes} >= {"headline", "body_text", "dateline_text", "status"}


def test_a_body_change_shows_as_lines_taken_out_and_put_in_escaped(seed):
    old_first = seed.paragraphs[0]
    seed.body_text = seed.body_text.replace(old_first, "A <new> first paragraph.", 1)
    services.article_save(article=seed, by=None, fields=["body_text"])

    change = next(c for c in article_revisions(seed)[0].changes if c.field == "body_text")
    html = change.diff_html()

    assert f"<del>{escape(old_first)}</del>" in html
    assert "<ins>A &lt;new&gt; first paragraph.</ins>" in html
    assert "<new>" not in html


def test_revert_puts_back_the_text_of_a_revision_as_a_new_revision(seed):
    desk = user_with_permissions("articles.change_article", username="desk")
    extracted = article_revisions(seed)[-1].record
    seed.headline, seed.body_text = "Wrong headline", "Wrong body."
    services.article_save(article=seed, by=desk, fields=["headline", "body_text"])

    services.article_revert(article=seed, record=extracted, by=desk)

    seed.refresh_from_db()
    assert (seed.headline, seed.body_text) == (extracted.headline, extracted.body_text)
    assert seed.body_html == extracted.body_html  # extraction's own HTML, not paragraphs made again
    assert article_revisions(seed)[0].reason.startswith("Reverted to the revision of")


def test_re_extraction_keeps_what_the_desk_changed(seed, django_capture_on_commit_callbacks):
    extracted_body = seed.body_text
    seed.headline = "France strikes IS in Syria"
    services.article_save(article=seed, by=None, fields=["headline"])
    services.article_publish(article=seed, by=None)
    # Extraction's own fields that the desk did not touch are written again.
    Article.objects.filter(pk=seed.pk).update(body_text="Damaged body.")

    with django_capture_on_commit_callbacks(execute=True):
        services.raw_document_reextract(raw_document=seed.raw_document)

    seed.refresh_from_db()
    assert seed.headline == "France strikes IS in Syria"
    assert seed.body_text == extracted_body
    assert seed.status == Article.Status.PUBLISHED
    assert article_revisions(seed)[0].reason == "Extracted again; the desk's headline kept."


def test_re_extraction_keeps_the_desk_s_standfirst_byline_and_picture(
    seed, django_capture_on_commit_callbacks
):
    seed.standfirst, seed.authors = "Paris strikes back.", ["Ann Lee"]
    seed.lead_image_url = "https://img.example.org/paris.jpg"
    services.article_save(article=seed, by=None, fields=["standfirst", "authors", "lead_image_url"])

    with django_capture_on_commit_callbacks(execute=True):
        services.raw_document_reextract(raw_document=seed.raw_document)

    seed.refresh_from_db()
    assert (seed.standfirst, seed.authors) == ("Paris strikes back.", ["Ann Lee"])
    assert seed.lead_image_url == "https://img.example.org/paris.jpg"
    assert seed.edited_fields == ["authors", "lead_image_url", "standfirst"]


def test_re_extraction_can_replace_what_the_desk_changed(
    seed, admin_client, django_capture_on_commit_callbacks
):
    extracted_headline = seed.headline
    seed.headline = "France strikes IS in Syria"
    services.article_save(article=seed, by=None, fields=["headline"])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/articles/article/",
            {"action": "reextract_articles_discarding_edits", "_selected_action": [seed.pk]},
            follow=True,
        )

    assert "replacing the desk&#x27;s edits" in response.content.decode()
    seed.refresh_from_db()
    assert seed.headline == extracted_headline
    assert seed.edited_fields == []
    assert [r.reason for r in article_revisions(seed)[:2]] == ["Extracted again.", "Edited: headline."]


def test_replacing_the_desks_edits_needs_the_permission_to_change_stories(seed):
    only_documents = user_with_permissions("articles.change_rawdocument")
    seed.headline = "France strikes IS in Syria"
    services.article_save(article=seed, by=None, fields=["headline"])

    with pytest.raises(PermissionDenied):
        services.raw_documents_reextract(
            raw_documents=[seed.raw_document], by=only_documents, discard_edits=True
        )

    seed.refresh_from_db()
    assert seed.edited_fields == ["headline"]
