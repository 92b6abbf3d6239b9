"""The API: article lists and filters, related lists, the view beacon, raw-document ingest, schema."""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from articles.models import Agency, Article, RawDocument, RelatedLink
from tests.factories import (
    CHROME,
    AgencyFactory,
    ArticleFactory,
    EntityFactory,
    ExtractionReportFactory,
    RawDocumentFactory,
    RelatedLinkFactory,
    UserFactory,
    user_with_permissions,
)

pytestmark = [pytest.mark.django_db]

DRAFT = Article.Status.DRAFT


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor_api():
    client = APIClient()
    client.force_authenticate(user_with_permissions("articles.view_article"))
    return client


def result_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Articles: who sees what ------------------------------------------------------------


def test_anonymous_list_shows_only_published_articles(api):
    published = ArticleFactory()
    ArticleFactory(status=DRAFT)

    assert result_ids(api.get("/api/articles/")) == [published.pk]


def test_anonymous_cannot_read_a_draft_or_its_related_list(api):
    draft = ArticleFactory(status=DRAFT)

    assert api.get(f"/api/articles/{draft.pk}/").status_code == 404
    assert api.get(f"/api/articles/{draft.pk}/related/").status_code == 404


def test_logged_in_user_without_permission_does_not_see_drafts(api):
    draft = ArticleFactory(status=DRAFT)
    api.force_authenticate(UserFactory(is_staff=True))

    assert result_ids(api.get("/api/articles/")) == []
    assert api.get(f"/api/articles/{draft.pk}/").status_code == 404


def test_editor_with_view_permission_sees_drafts(editor_api):
    draft = ArticleFactory(status=DRAFT)

    assert result_ids(editor_api.get("/api/articles/")) == [draft.pk]
    response = editor_api.get(f"/api/articles/{draft.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_articles_cannot_be_deleted_or_replaced_whole_through_the_api(api):
    # Writes go through POST (a new story), PATCH and the moves: tests/articles/test_api_writes.py.
    article = ArticleFactory()
    api.force_authenticate(UserFactory(is_superuser=True))

    assert api.put(f"/api/articles/{article.pk}/", {"headline": "x"}).status_code == 405
    assert api.delete(f"/api/articles/{article.pk}/").status_code == 405
    assert Article.objects.filter(pk=article.pk).exists()


# --- Articles: representations -------------------------------------------------------------


def test_list_item_carries_links_agency_and_view_totals(api):
    agency = AgencyFactory(name="Reuters", slug="reuters")
    article = ArticleFactory(
        agency=agency, slug="a-story", dateline_text="PARIS, Sept 27, (Agencies):", dateline_place="Paris",
        legacy_view_count=7484, view_count=16,
    )  # fmt: skip

    row = api.get("/api/articles/").json()["results"][0]

    assert row["id"] == article.pk
    assert row["url"] == "http://testserver/articles/a-story/"
    assert row["api_url"] == f"http://testserver/api/articles/{article.pk}/"
    assert row["agency"] == {"name": "Reuters", "slug": "reuters"}
    assert row["dateline_text"] == "PARIS, Sept 27, (Agencies):"
    assert row["dateline_place"] == "Paris"
    assert (row["legacy_view_count"], row["view_count"], row["total_views"]) == (7484, 16, 7500)
    assert "body_text" not in row


def test_detail_adds_body_paragraphs_and_extraction_report(api):
    article = ArticleFactory(
        body_text="One.\n\nTwo.",
        body_html='<p>One.</p><p onclick="x()">Two.<script>alert(1)</script></p>',
    )
    ExtractionReportFactory(article=article)

    data = api.get(f"/api/articles/{article.pk}/").json()

    assert data["paragraphs"] == ["One.", "Two."]
    assert data["body_text"] == "One.\n\nTwo."
    assert data["body_html"] == "<p>One.</p><p>Two.</p>"
    assert data["report"] == {
        "removed": ["This news has been read 12 times!", "Back to top button"],
        "flagged": [
            {"kind": "repeated_sentence", "text": "A sentence said twice.", "detail": {"paragraph": 2}}
        ],
        "warnings": ["No date found."],
    }


def test_detail_of_an_article_without_report_has_null_report(api):
    article = ArticleFactory()

    assert api.get(f"/api/articles/{article.pk}/").json()["report"] is None


# --- Articles: filters and pages -----------------------------------------------------------


def test_filter_by_agency_status_dates_and_text(editor_api):
    reuters = AgencyFactory(slug="reuters")
    march = ArticleFactory(
        agency=reuters, headline="Parliament votes", published_at=dt.datetime(2024, 3, 10, tzinfo=dt.UTC)
    )
    april = ArticleFactory(agency=reuters, published_at=dt.datetime(2024, 4, 10, tzinfo=dt.UTC))
    draft = ArticleFactory(status=DRAFT, published_at=dt.datetime(2024, 3, 11, tzinfo=dt.UTC))

    assert result_ids(editor_api.get("/api/articles/", {"agency": "reuters"})) == [april.pk, march.pk]
    assert result_ids(editor_api.get("/api/articles/", {"status": "draft"})) == [draft.pk]
    window = {"published_after": "2024-03-01", "published_before": "2024-03-31"}
    assert result_ids(editor_api.get("/api/articles/", window)) == [draft.pk, march.pk]
    assert result_ids(editor_api.get("/api/articles/", {"q": "parliament"})) == [march.pk]


def test_invalid_filter_values_are_a_400(api):
    assert api.get("/api/articles/", {"published_after": "yesterday"}).status_code == 400
    assert api.get("/api/articles/", {"status": "deleted"}).status_code == 400


def test_pages_are_in_a_stable_unique_order(api):
    same_time = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    articles = [ArticleFactory(published_at=same_time) for _ in range(25)]

    first = api.get("/api/articles/", {"page_size": 10})
    seen = result_ids(first) + result_ids(api.get("/api/articles/", {"page_size": 10, "page": 2}))
    seen += result_ids(api.get("/api/articles/", {"page_size": 10, "page": 3}))

    assert first.json()["count"] == 25
    assert seen == sorted((a.pk for a in articles), reverse=True)


# --- Related -----------------------------------------------------------------------------------


def test_related_endpoint_orders_limits_and_hides_unpublished(api):
    article = ArticleFactory()
    computed = [RelatedLinkFactory(from_article=article, position=n).to_article for n in range(3)]
    pinned = RelatedLinkFactory(from_article=article, kind=RelatedLink.Kind.PINNED).to_article
    RelatedLinkFactory(
        from_article=article, kind=RelatedLink.Kind.PINNED, to_article=ArticleFactory(status=DRAFT)
    )

    default = api.get(f"/api/articles/{article.pk}/related/")
    limited = api.get(f"/api/articles/{article.pk}/related/", {"limit": 2})

    assert default.status_code == 200
    assert [item["article_id"] for item in default.json()] == [pinned.pk, *(a.pk for a in computed)]
    assert [item["article_id"] for item in limited.json()] == [pinned.pk, computed[0].pk]
    first = default.json()[0]
    assert first["url"] == f"http://testserver{pinned.get_absolute_url()}"
    assert first["kind"] == "editor"
    assert first["headline"] == pinned.headline


def test_related_limit_must_be_between_1_and_20(api):
    article = ArticleFactory()

    assert api.get(f"/api/articles/{article.pk}/related/", {"limit": 0}).status_code == 400
    assert api.get(f"/api/articles/{article.pk}/related/", {"limit": 21}).status_code == 400
    assert api.get(f"/api/articles/{article.pk}/related/", {"limit": 20}).status_code == 200


# --- View beacon --------------------------------------------------------------------------------


def test_beacon_counts_one_view_and_returns_204(settings, api):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory(view_count=4)

    responses = [api.post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME) for _ in range(3)]

    assert [r.status_code for r in responses] == [204, 204, 204]
    article.refresh_from_db()
    assert article.view_count == 7


def test_beacon_through_the_router_counts_as_on_its_own_path(settings, api):
    # The beacon's own path is served ahead of the router; the router's action answers the rest.
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    assert api.post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME).status_code == 204
    assert api.post(f"/api/articles/{article.pk}/views.json", HTTP_USER_AGENT=CHROME).status_code == 204
    assert api.get(f"/api/articles/{article.pk}/views/").status_code == 405
    assert Article.objects.get(pk=article.pk).view_count == 2


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/{article}.json",
        "/api/articles/{article}/related.json",
        "/api/articles/{article}/views/daily.json",
        "/api/articles/most-read.json",
        "/api/entities/{entity}/articles.json",
    ],
)
def test_every_read_route_answers_with_a_format_suffix(api, path):
    entity = EntityFactory()
    article = ArticleFactory()

    response = api.get(path.format(article=article.pk, entity=entity.slug))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_beacon_needs_no_session_or_csrf_token(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(UserFactory())

    assert browser.post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME).status_code == 204
    assert Article.objects.get(pk=article.pk).view_count == 1


def test_beacon_for_a_draft_or_missing_article_is_404_and_counts_nothing(settings, api):
    settings.VIEW_COUNTER_BACKEND = "database"
    draft = ArticleFactory(status=DRAFT)

    assert api.post(f"/api/articles/{draft.pk}/views/").status_code == 404
    assert api.post(f"/api/articles/{draft.pk + 1000}/views/").status_code == 404
    assert Article.objects.get(pk=draft.pk).view_count == 0


@pytest.mark.services
def test_beacon_with_redis_counts_in_redis_until_the_flush(settings, api, redis_client):
    from articles import counters

    settings.VIEW_COUNTER_BACKEND = "redis"
    # Five hits from one visitor would count once; this test is about where counts wait.
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()

    for _ in range(5):
        assert api.post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME).status_code == 204

    assert counters.article_pending_views(article_id=article.pk) == 5
    assert Article.objects.get(pk=article.pk).view_count == 0
    assert counters.view_counts_flush() == 5
    assert Article.objects.get(pk=article.pk).view_count == 5


# --- Agencies ----------------------------------------------------------------------------------


def test_agencies_are_listed_and_found_by_slug(api):
    AgencyFactory(name="Agencies", slug="agencies", is_generic=True, aliases=["Wires"])

    listed = api.get("/api/agencies/")
    detail = api.get("/api/agencies/agencies/")

    assert [row["slug"] for row in listed.json()["results"]] == ["agencies"]
    assert detail.status_code == 200
    assert detail.json()["is_generic"] is True
    assert detail.json()["aliases"] == ["Wires"]
    assert detail.json()["url"] == "http://testserver/agencies/agencies/"


# --- Raw documents -----------------------------------------------------------------------------


PAGE = "A headline\n\nPARIS, Sept 27, (Agencies): The body of the story."


def test_anonymous_cannot_send_or_read_raw_documents(api):
    RawDocumentFactory()

    assert api.post("/api/raw-documents/", {"content": PAGE}, format="json").status_code in (401, 403)
    assert api.get("/api/raw-documents/").status_code in (401, 403)
    assert RawDocument.objects.count() == 1


def test_user_without_add_permission_gets_403(api):
    api.force_authenticate(UserFactory())

    assert api.post("/api/raw-documents/", {"content": PAGE}, format="json").status_code == 403
    assert not RawDocument.objects.exists()


def test_ingest_stores_the_page_then_reports_the_same_bytes_as_duplicate(
    api, django_capture_on_commit_callbacks
):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))
    AgencyFactory(name="Agencies")
    body = {
        "content": PAGE,
        "source": "https://news.test/a",
        "reference_date": "2015-09-28",
        "agency": "Agencies",
    }

    with django_capture_on_commit_callbacks() as queued:
        first = api.post("/api/raw-documents/", body, format="json")
    with django_capture_on_commit_callbacks() as queued_again:
        again = api.post("/api/raw-documents/", body, format="json")

    assert first.status_code == 201, first.content
    raw = RawDocument.objects.get()
    assert bytes(raw.content) == PAGE.encode()
    assert first.json()["id"] == raw.pk
    assert first.json()["sha256"] == hashlib.sha256(PAGE.encode()).hexdigest()
    assert first.json()["status"] == "pending"
    assert first.json()["duplicate"] is False
    assert (raw.source, raw.source_kind, raw.reference_date) == (
        "https://news.test/a",
        "api",
        dt.date(2015, 9, 28),
    )
    assert raw.agency_hint.name == "Agencies"
    assert len(queued) == 1  # extraction was queued once
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["id"] == raw.pk
    assert len(queued_again) == 0
    assert RawDocument.objects.count() == 1


REPO = Path(__file__).resolve().parents[2]


def test_an_unflagged_page_sent_with_publish_becomes_a_public_article(
    api, django_capture_on_commit_callbacks
):
    page = (
        REPO / "fixtures" / "demo" / "stories" / "32-kpc-to-keep-strategic-projects-on-track.html"
    ).read_text(encoding="utf-8")
    api.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.publish_article"))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/raw-documents/",
            {"content": page, "content_type": "text/html", "publish": True},
            format="json",
        )

    assert response.status_code == 201
    raw = RawDocument.objects.get(pk=response.json()["id"])
    assert raw.status == RawDocument.Status.DONE, raw.error
    article = raw.article
    assert article.status == Article.Status.PUBLISHED
    listed = APIClient().get("/api/articles/").json()["results"]
    assert [row["id"] for row in listed] == [article.pk]


def test_a_flagged_page_sent_with_publish_waits_for_an_editor(api, django_capture_on_commit_callbacks):
    seed = (REPO / "fixtures" / "seed" / "page.txt").read_text(encoding="utf-8")
    api.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.publish_article"))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/raw-documents/",
            {"content": seed, "publish": True, "reference_date": "2015-09-28"},
            format="json",
        )

    raw = RawDocument.objects.get(pk=response.json()["id"])
    assert raw.status == RawDocument.Status.DONE, raw.error
    assert (raw.article.status, raw.article.legacy_view_count) == (Article.Status.NEEDS_REVIEW, 7484)
    assert APIClient().get("/api/articles/").json()["results"] == []


def test_publishing_at_ingest_needs_the_publish_permission(api):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))

    response = api.post(
        "/api/raw-documents/", {"content": "Oil output rose.", "publish": True}, format="json"
    )

    assert response.status_code == 403
    assert "articles.publish_article" in response.json()["detail"]
    assert not RawDocument.objects.exists()


def test_naming_an_unknown_agency_at_ingest_needs_the_permission_to_add_agencies(api):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))

    response = api.post(
        "/api/raw-documents/", {"content": "Oil output rose.", "agency": "Brand New Wire"}, format="json"
    )

    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "Brand New Wire" in detail and "articles.add_agency" in detail
    assert not RawDocument.objects.exists()
    assert not Agency.objects.exists()


def test_an_agency_is_found_by_its_alias_at_ingest_without_the_permission_to_add_one(api):
    kuna = AgencyFactory(name="Kuwait News Agency", slug="kuna", aliases=["KUNA"])
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))

    response = api.post(
        "/api/raw-documents/", {"content": "Oil output rose.", "agency": "kuna"}, format="json"
    )

    assert response.status_code == 201
    assert RawDocument.objects.get().agency_hint == kuna
    assert list(Agency.objects.all()) == [kuna]


def test_an_agency_added_at_ingest_is_logged_with_its_sender(api):
    sender = user_with_permissions("articles.add_rawdocument", "articles.add_agency")
    api.force_authenticate(sender)

    response = api.post(
        "/api/raw-documents/", {"content": "Oil output rose.", "agency": "Brand New Wire"}, format="json"
    )

    assert response.status_code == 201
    agency = Agency.objects.get(name="Brand New Wire")
    assert RawDocument.objects.get().agency_hint == agency
    entry = LogEntry.objects.get(object_id=str(agency.pk))
    assert (entry.user, entry.action_flag) == (sender, ADDITION)


def test_a_refused_publish_adds_no_agency(api):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.add_agency"))

    response = api.post(
        "/api/raw-documents/",
        {"content": "Oil output rose.", "agency": "Brand New Wire", "publish": True},
        format="json",
    )

    assert response.status_code == 403
    assert not Agency.objects.exists()
    assert not RawDocument.objects.exists()


def test_ingest_accepts_a_multipart_file_upload(api):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.publish_article"))
    content = b"<html><body><h1>Title</h1><p>Body</p></body></html>"
    upload = SimpleUploadedFile("story.html", content, content_type="text/html")

    response = api.post("/api/raw-documents/", {"file": upload, "publish": "true"}, format="multipart")

    assert response.status_code == 201, response.content
    raw = RawDocument.objects.get(pk=response.json()["id"])
    assert bytes(raw.content) == content
    assert (raw.source, raw.content_type, raw.size, raw.publish_on_extract) == (
        "story.html",
        "text/html",
        len(content),
        True,
    )


def test_ingest_refuses_a_page_over_the_size_limit_with_413(settings, api):
    settings.INGEST_MAX_BYTES = 10
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))

    as_text = api.post("/api/raw-documents/", {"content": "x" * 11}, format="json")
    as_file = api.post(
        "/api/raw-documents/", {"file": SimpleUploadedFile("big.txt", b"y" * 11)}, format="multipart"
    )

    assert as_text.status_code == 413
    assert "limit" in as_text.json()["detail"]
    assert as_file.status_code == 413
    assert not RawDocument.objects.exists()


def test_ingest_needs_exactly_one_of_file_or_content(api):
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))

    neither = api.post("/api/raw-documents/", {"source": "x"}, format="json")
    both = api.post(
        "/api/raw-documents/",
        {"content": "text", "file": SimpleUploadedFile("a.txt", b"bytes")},
        format="multipart",
    )
    bad_date = api.post("/api/raw-documents/", {"content": "text", "reference_date": "27/09"}, format="json")

    assert (neither.status_code, both.status_code, bad_date.status_code) == (400, 400, 400)
    assert not RawDocument.objects.exists()


def test_reading_raw_documents_needs_view_permission_and_never_returns_the_bytes(api):
    raw = RawDocumentFactory(content=b"secret page bytes")
    api.force_authenticate(user_with_permissions("articles.add_rawdocument"))
    assert api.get("/api/raw-documents/").status_code == 403

    api.force_authenticate(user_with_permissions("articles.view_rawdocument"))
    listed = api.get("/api/raw-documents/")
    detail = api.get(f"/api/raw-documents/{raw.pk}/")

    assert [row["id"] for row in listed.json()["results"]] == [raw.pk]
    assert detail.json()["sha256"] == raw.sha256
    assert detail.json()["size"] == raw.size
    assert "content" not in detail.json()
    assert b"secret page bytes" not in detail.content


# --- Schema ----------------------------------------------------------------------------------


def test_schema_endpoint_serves_the_openapi_document(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/articles/{id}/related/" in paths
    assert "/api/articles/{id}/views/" in paths
    assert "/api/raw-documents/" in paths


def test_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())
