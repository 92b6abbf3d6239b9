"""The article as IPTC ninjs 2.1: valid against the official schema, every field mapped from the story."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from articles import ninjs, services
from articles.models import Article
from newsroom import roles
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ninjs" / "ninjs-schema_2.1.json").read_text(encoding="utf-8"))

# jsonschema checks "uri" and "date-time" only with optional packages; these two say what ninjs means.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _uri(value) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path)) and " " not in value


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=FORMATS)


def valid(item: dict) -> dict:
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)
    return item


@pytest.fixture
def editor():
    roles.roles_sync()
    client = APIClient()
    user = UserFactory(username="desk-editor")
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    client.force_authenticate(user)
    return client


def full_story(**fields) -> Article:
    agency = AgencyFactory(name="Kuwait News Agency", slug="kuna", website="https://www.kuna.net.kw/")
    fields = {
        "headline": "Oil prices climb as OPEC keeps output steady",
        "slug": "oil-prices-climb",
        "standfirst": "Kuwait's oil minister says output will hold.",
        "authors": ["Ann Lee", "Bo Ma"],
        "dateline_text": "KUWAIT CITY, Oct 5 (KUNA) --",
        "dateline_place": "KUWAIT CITY",
        "agency": agency,
        "language": "en",
        "published_at": dt.datetime(2024, 10, 5, 9, 30, tzinfo=dt.UTC),
        "lead_image_url": "https://images.example.com/oil.jpg",
        "lead_image_alt": "Tankers at a Kuwaiti port",
        "body_text": "Oil prices rose on Monday.\n\nOPEC said output would <hold>.",
        "body_html": "<p>Oil prices rose on Monday.</p><script>alert(1)</script><p>OPEC said output would hold.</p>",
        **fields,
    }
    return ArticleFactory(**fields)


def test_a_published_story_is_valid_ninjs_with_every_field_mapped():
    article = full_story()
    minister = EntityFactory(name="Sheikh Sabah", type="person", wikidata_id="Q57655")
    opec = EntityFactory(name="OPEC", type="organization", wikidata_id="Q7795")
    kuwait = EntityFactory(name="Kuwait", type="place")
    oil = EntityFactory(name="Crude oil", type="other")
    EntityFactory(name="Hidden", type="person", status="blocked")
    for entity, count in ((minister, 3), (opec, 2), (kuwait, 1), (oil, 1)):
        MentionFactory(article=article, entity=entity, count=count, confidence=0.8)

    response = APIClient().get(f"/api/articles/{article.pk}/ninjs/")

    assert response.status_code == 200
    assert response["Content-Type"] == ninjs.MEDIA_TYPE
    item = valid(response.json())
    assert item["uri"] == "http://testserver/articles/oil-prices-climb/"
    assert item["standard"] == {"name": "ninjs", "version": "2.1", "schema": ninjs.SCHEMA_URI}
    assert (item["type"], item["pubstatus"], item["language"]) == ("text", "usable", "en")
    assert item["contentcreated"] == "2024-10-05T09:30:00Z"
    assert item["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": "Oil prices climb as OPEC keeps output steady"}
    ]
    assert item["descriptions"][0]["value"] == "Kuwait's oil minister says output will hold."
    assert (item["by"], item["located"]) == ("Ann Lee and Bo Ma", "KUWAIT CITY")
    assert item["copyrightholder"] == "Kuwait News Agency"
    assert item["infosources"] == [
        {"name": "Kuwait News Agency", "literal": "kuna", "uri": "https://www.kuna.net.kw/"}
    ]
    html, text = item["bodies"]
    assert html["contenttype"] == "text/html" and "<script" not in html["value"]
    assert "<p>Oil prices rose on Monday.</p>" in html["value"]
    assert text["value"].endswith("would <hold>.") and text["wordcount"] == 10
    (picture,) = item["associations"]
    assert picture["type"] == "picture" and picture["uri"] == "https://images.example.com/oil.jpg"
    assert picture["descriptions"] == [{"role": "alternative-text", "value": "Tankers at a Kuwaiti port"}]
    assert item["people"] == [
        {
            "name": "Sheikh Sabah",
            "rel": "mentioned",
            "uri": "http://www.wikidata.org/entity/Q57655",
            "literal": "sheikh-sabah",
        }
    ]
    assert item["organisations"][0]["uri"] == "http://www.wikidata.org/entity/Q7795"
    # Without a Wikidata item, the entity's page here identifies it.
    assert item["places"][0]["uri"] == "http://testserver/entities/kuwait/"
    assert item["subjects"] == [
        {
            "name": "Crude oil",
            "rel": "mentioned",
            "uri": "http://testserver/entities/crude-oil/",
            "literal": "crude-oil",
            "confidence": 80,
        }
    ]
    assert "Hidden" not in json.dumps(item)


def test_a_bare_story_is_valid_ninjs_with_its_paragraphs_escaped():
    article = ArticleFactory(body_text="Prices <b>rose</b>.\n\nThen fell.", body_html="", agency=None)

    item = valid(APIClient().get(f"/api/articles/{article.pk}/ninjs/").json())

    assert item["bodies"][0]["value"] == "<p>Prices &lt;b&gt;rose&lt;/b&gt;.</p>\n<p>Then fell.</p>"
    for absent in ("by", "located", "copyrightholder", "associations", "people", "embargoed"):
        assert absent not in item


def test_the_house_format_asked_as_ninjs_by_media_type_is_ninjs():
    article = full_story()

    as_ninjs = APIClient().get(f"/api/articles/{article.pk}/", HTTP_ACCEPT=ninjs.MEDIA_TYPE)
    house = APIClient().get(f"/api/articles/{article.pk}/", HTTP_ACCEPT="application/json")

    assert as_ninjs["Content-Type"] == ninjs.MEDIA_TYPE
    assert valid(as_ninjs.json())["headlines"][0]["value"] == article.headline
    assert house["Content-Type"] == "application/json"
    assert house.json()["headline"] == article.headline and "headlines" not in house.json()
    assert house["ETag"] == as_ninjs["ETag"]


@pytest.mark.parametrize(
    ("status", "pubstatus"),
    [
        (Article.Status.DRAFT, "withheld"),
        (Article.Status.SCHEDULED, "withheld"),
        (Article.Status.KILLED, "canceled"),
        (Article.Status.ARCHIVED, "canceled"),
    ],
)
def test_the_desk_reads_an_unpublished_story_as_withheld_or_canceled(editor, status, pubstatus):
    embargo = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    article = ArticleFactory(status=status, kill_notice="Withdrawn: wrong figures.", embargo_until=embargo)

    item = valid(editor.get(f"/api/articles/{article.pk}/ninjs/").json())

    assert item["pubstatus"] == pubstatus
    assert item["embargoed"] == "2030-01-01T12:00:00Z"
    assert ("ednote" in item) == (pubstatus == "canceled")


def test_readers_cannot_read_an_unpublished_story_as_ninjs():
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert APIClient().get(f"/api/articles/{draft.pk}/ninjs/").status_code == 404
    accept = APIClient().get(f"/api/articles/{draft.pk}/", HTTP_ACCEPT=ninjs.MEDIA_TYPE)
    assert accept.status_code == 404


def test_the_version_counts_revisions_and_versioncreated_follows_the_last_save():
    article = ArticleFactory()
    before = APIClient().get(f"/api/articles/{article.pk}/ninjs/").json()
    editor = UserFactory(is_superuser=True)

    article.headline = "A new headline"
    services.article_save(article=article, by=editor, fields=["headline"])
    after = valid(APIClient().get(f"/api/articles/{article.pk}/ninjs/").json())

    assert int(after["version"]) == int(before["version"]) + 1
    assert after["versioncreated"] > before["versioncreated"]
    assert after["headlines"][0]["value"] == "A new headline"


def test_the_schema_refuses_what_ninjs_does_not_allow():
    # The validator is not a formality: an unknown key or a wrong pubstatus fails it.
    item = ninjs.article_ninjs(ArticleFactory(), absolute=lambda path: f"https://news.test{path}", version=1)
    valid(item)
    assert not VALIDATOR.is_valid({**item, "summary": "not a ninjs key"})
    assert not VALIDATOR.is_valid({**item, "pubstatus": "published"})
    assert not VALIDATOR.is_valid({**item, "firstcreated": "yesterday"})
