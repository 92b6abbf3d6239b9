"""Hostile requests to the API and the public pages: oversized and deeply nested bodies, absurd page numbers.

Each gets a clear answer in the API's own format (JSON 413, JSON 400, 404), never a 500 or
Django's HTML error page, and nothing is stored.
"""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from articles.models import RawDocument
from newsroom.api_urls import router
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, UserFactory, user_with_permissions

pytestmark = [pytest.mark.django_db]

PAGE = "A headline\n\nPARIS, Sept 27, (Agencies): The body of the story."
ABSURD = "99999999999999999999"


@pytest.fixture
def ingest_api():
    client = APIClient()
    client.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.view_rawdocument"))
    return client


def post_json(client, url, body: str):
    return client.generic("POST", url, body, content_type="application/json")


def assert_json_error(response, status: int, *words: str):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    for word in words:
        assert word in detail
    return detail


# --- Sizes ----------------------------------------------------------------------------------------


def test_the_ingest_endpoint_takes_json_bodies_up_to_the_documented_20_mb(ingest_api, settings):
    assert settings.INGEST_MAX_BYTES == 20 * 1024 * 1024
    # Past Django's 2.5 MB for request bodies, which used to answer its HTML 400.
    page = PAGE + "\n" + "word " * 600_000

    response = post_json(ingest_api, "/api/raw-documents/", json.dumps({"content": page, "source": "big"}))

    assert response.status_code == 201, response.content[:300]
    assert RawDocument.objects.get(source="big").size == len(page.encode())


def test_a_json_body_over_the_limit_is_a_json_413_and_nothing_is_stored(ingest_api, settings):
    settings.INGEST_MAX_BYTES = 100_000
    body = json.dumps({"content": "x" * 130_000, "source": "too big"})  # the body limit is 125,000

    detail = assert_json_error(post_json(ingest_api, "/api/raw-documents/", body), 413, "125,000-byte limit")

    assert "request body" in detail
    assert not RawDocument.objects.exists()


def test_a_page_over_the_ingest_limit_inside_a_body_under_it_is_a_json_413(ingest_api, settings):
    settings.INGEST_MAX_BYTES = 100_000
    body = json.dumps({"content": "x" * 110_000, "source": "page too big"})

    assert_json_error(post_json(ingest_api, "/api/raw-documents/", body), 413, "over the 100,000-byte limit")
    assert not RawDocument.objects.exists()


def test_a_file_upload_declared_over_the_limit_is_refused_before_it_is_read(ingest_api, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.INGEST_MAX_BYTES = 100_000
    upload = SimpleUploadedFile("big.html", b"<p>x</p>" * 20_000, content_type="text/html")

    response = ingest_api.post("/api/raw-documents/", {"file": upload}, format="multipart")

    assert_json_error(response, 413, "125,000-byte limit")
    assert not RawDocument.objects.exists()


def test_other_endpoints_keep_djangos_body_limit_and_answer_it_in_json(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    article = ArticleFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    url = f"/api/articles/{article.pk}/moves/correct/"

    as_json = post_json(client, url, json.dumps({"kind": "correction", "text": "x" * 20_000}))
    as_form = client.post(url, {"kind": "correction", "text": "x" * 20_000})

    assert_json_error(as_json, 413, "10,000-byte limit")
    assert_json_error(as_form, 413, "10,000-byte limit")


# --- Nesting and malformed JSON ------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1025, 100_000])
def test_deeply_nested_json_is_a_json_400(ingest_api, depth):
    body = "[" * depth + "]" * depth

    assert_json_error(
        post_json(ingest_api, "/api/raw-documents/", body), 400, "nested deeper than 1024 levels"
    )
    assert not RawDocument.objects.exists()


def test_nesting_within_the_limit_is_parsed_and_judged_by_the_serializer(ingest_api):
    body = json.dumps({"content": PAGE, "source": [[[[["deep but fine"]]]]]})

    response = post_json(ingest_api, "/api/raw-documents/", body)

    assert response.status_code == 400 and "source" in response.json()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"content": ', ("JSON parse error",)),
        ('{"content": NaN}', ("JSON parse error",)),
        (b'{"content": "\xff\xfe"}', ("JSON parse error",)),
    ],
    ids=["truncated", "nan", "not-utf-8"],
)
def test_malformed_json_is_a_json_400(ingest_api, body, words):
    response = ingest_api.generic("POST", "/api/raw-documents/", body, content_type="application/json")

    assert_json_error(response, 400, *words)


# --- Page numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [ABSURD, "107374183", "0", "-1", "1e400", "two"])
def test_absurd_page_numbers_on_public_pages_are_404(client, page):
    agency = AgencyFactory(slug="reuters")
    ArticleFactory(agency=agency)
    entity = EntityFactory()

    for path in ("/", "/search/?q=story", f"/agencies/{agency.slug}/", f"/entities/{entity.slug}/"):
        response = client.get(path, {"page": page})
        assert response.status_code == 404, (path, page, response.status_code)


BAD_CURSORS = [ABSURD, "two", "eyJyIjowLCJ2IjpbXX0", "eyJyIjogMCwgInYiOiBbMSwgMiwgMywgNF19", "%%%", "e30"]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_absurd_cursors_on_every_api_list_are_a_json_404(cursor):
    ArticleFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    lists = [reverse(f"{basename}-list") for _, _, basename in router.registry]
    assert len(lists) >= 4

    for url in lists:
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 404, (url, cursor, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("size", ["0", "-1", "101", "9.4e-224", "two", ABSURD, "１０"])
def test_page_sizes_outside_1_to_100_are_a_json_400(size):
    ArticleFactory()
    for url in ("/api/articles/", "/api/agencies/", "/api/entities/"):
        response = APIClient().get(url, {"page_size": size})
        assert response.status_code == 400, (url, size, response.status_code)
        assert "page_size" in response.json()


def test_a_page_number_is_ignored_by_the_cursor_lists():
    ArticleFactory()
    assert len(APIClient().get("/api/articles/", {"page": ABSURD}).json()["results"]) == 1
