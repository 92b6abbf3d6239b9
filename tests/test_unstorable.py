"""Input no database column can hold (a NUL character) is a 400 wherever it comes in, never a 500."""

import base64
import json

import pytest
from rest_framework.test import APIClient

from articles.models import RawDocument
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, user_with_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender():
    client = APIClient()
    client.force_authenticate(user_with_permissions("articles.add_rawdocument", "articles.view_rawdocument"))
    return client


@pytest.fixture
def world():
    AgencyFactory(slug="kuna")
    ArticleFactory()
    EntityFactory(name="Kuwait")


def assert_json_400(response, words: str):
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert words in json.dumps(response.json())


@pytest.mark.parametrize(
    "path",
    [
        "/api/agencies/a%00b/",
        "/api/entities/a%00b/",
        "/api/entities/a%00b/articles/",
        "/api/articles/1%00/",
        "/api/agencies/%00/",
    ],
)
def test_a_nul_in_a_slug_or_lookup_is_a_json_400(world, path):
    assert_json_400(APIClient().get(path), "NUL")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/articles/", "agency=ku%00na"),
        ("/api/articles/", "q=oil%00asylum"),
        ("/api/articles/", "cursor=%00"),
        ("/api/articles/", "status%00=draft"),
        ("/api/entities/", "name=ku%00"),
        ("/api/articles/most-read/", "agency=%00"),
        ("/api/articles/1/related/", "limit=1%00"),
    ],
)
def test_a_nul_in_a_query_parameter_or_filter_value_is_a_json_400(world, path, query):
    assert_json_400(APIClient().get(f"{path}?{query}"), "query parameter")


def test_pages_outside_the_api_answer_400_in_plain_text(world):
    for url in ("/agencies/ku%00na/", "/?q=oil%00", "/entities/a%00/"):
        response = APIClient().get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"edit\x00or:secret").decode(),
        "Basic " + base64.b64encode(b"editor:sec\x00ret").decode(),
        "Bearer nr_\x00abc",
        "Token \x00",
    ],
)
def test_a_nul_in_the_authorization_header_is_a_json_400(world, header):
    assert_json_400(APIClient().get("/api/agencies/", HTTP_AUTHORIZATION=header), "NUL")


@pytest.mark.parametrize(
    "body",
    [
        {"content": "Headline\x00\n\nBody.", "source": "nul"},
        {"content": "Headline\n\nBody.", "source": "nul\x00"},
        {"content": "Headline\n\nBody.", "source": "nul", "agency": "K\x00UNA"},
        {"content": "Headline\n\nBody.", "source": "nul", "extra": {"deep": ["\x00"]}},
        {"content": "Headline\n\nBody.", "source": "nul", "\x00": 1},
    ],
)
def test_a_nul_anywhere_in_a_json_body_is_a_json_400_and_nothing_is_stored(sender, body):
    response = sender.post("/api/raw-documents/", json.dumps(body), content_type="application/json")

    assert_json_400(response, "NUL")
    assert not RawDocument.objects.exists()


def test_a_nul_in_a_form_field_is_a_400(sender):
    response = sender.post("/api/raw-documents/", {"content": "Headline\n\nBody.", "source": "a\x00b"})

    assert response.status_code == 400
    assert not RawDocument.objects.exists()


def test_the_escaped_text_of_a_nul_is_ordinary_text(sender):
    # A backslash then "u0000" in the text is six ordinary characters, stored as sent.
    body = json.dumps({"content": "Headline\n\nThe escape \\u0000 explained.", "source": "escape"})

    response = sender.post("/api/raw-documents/", body, content_type="application/json")

    assert response.status_code == 201
    assert b"\\u0000" in RawDocument.objects.get().content
