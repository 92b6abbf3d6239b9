"""Keyset (cursor) pages on the API lists: every row once, in the list's order, and never a COUNT."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from articles.models import Article
from articles.selectors import ARTICLE_ORDERING
from tests.factories import AgencyFactory, ArticleFactory, RawDocumentFactory, user_with_permissions

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def ids(response, key="id") -> list:
    return [row[key] for row in response.json()["results"]]


def walk(client, url, params, link="next", key="id") -> tuple[list, list]:
    """Every page from ``url`` following ``link``: the rows' ids and each page's response."""
    pages = [client.get(url, params)]
    while pages[-1].json()[link]:
        pages.append(client.get(pages[-1].json()[link]))
        assert len(pages) < 100
    return [row for page in pages for row in ids(page, key)], pages


@pytest.fixture
def editor_api():
    client = APIClient()
    client.force_authenticate(user_with_permissions("articles.view_article", "articles.view_rawdocument"))
    return client


def make_desk(times: list[int | None]) -> list[int]:
    """Stories published at DAY + the given minutes (None: undated draft); their ids in list order."""
    for minutes in times:
        if minutes is None:
            ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        else:
            ArticleFactory(published_at=DAY + dt.timedelta(minutes=minutes))
    return list(Article.objects.order_by(*ARTICLE_ORDERING).values_list("id", flat=True))


def test_pages_follow_the_list_order_through_ties_and_undated_drafts_both_ways(editor_api):
    expected = make_desk([5, 3, None, 3, 3, 7, None, None, 3, 1, 5, None, 0])

    forward, pages = walk(editor_api, "/api/articles/", {"page_size": 3})
    assert forward == expected
    assert [len(ids(page)) for page in pages] == [3, 3, 3, 3, 1]
    assert pages[0].json()["previous"] is None
    backward, _ = walk(editor_api, pages[-1].json()["previous"], {}, link="previous")
    # Each previous page is in list order; read from the last one back, they hold all but the last page.
    back_pages = [ids(editor_api.get(p.json()["previous"])) for p in pages[1:]]
    assert back_pages == [ids(p) for p in pages[:-1]]
    assert sorted(backward) == sorted(expected[:-1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    times=st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=0, max_size=14),
    size=st.integers(1, 5),
)
def test_any_desk_is_read_whole_in_order_at_any_page_size(editor_api, times, size):
    Article.objects.all().delete()
    expected = make_desk(times)

    forward, _ = walk(editor_api, "/api/articles/", {"page_size": size})

    assert forward == expected


def test_a_story_published_while_a_partner_pages_neither_repeats_nor_shifts_a_row():
    expected = make_desk(list(range(10)))
    client = APIClient()
    first = client.get("/api/articles/", {"page_size": 4})
    ArticleFactory(published_at=DAY + dt.timedelta(minutes=60))  # newest: lands before the cursor

    rest, _ = walk(client, first.json()["next"], {})

    assert ids(first) + rest == expected


def test_no_page_counts_the_table(editor_api):
    make_desk([1, 2, 3, None, 4, 5])
    first = editor_api.get("/api/articles/", {"page_size": 2})

    for url in ("/api/articles/?page_size=2", first.json()["next"], "/api/raw-documents/", "/api/agencies/"):
        with CaptureQueriesContext(connection) as queries:
            assert editor_api.get(url).status_code == 200
        assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()], url


def test_the_other_lists_page_by_cursor_too(editor_api):
    agencies = [AgencyFactory(name=f"Agency {letter}") for letter in "DBCAE"]
    raws = [RawDocumentFactory() for _ in range(5)]

    agency_rows, _ = walk(editor_api, "/api/agencies/", {"page_size": 2}, key="slug")
    raw_rows, _ = walk(editor_api, "/api/raw-documents/", {"page_size": 2})

    assert agency_rows == [a.slug for a in sorted(agencies, key=lambda a: a.name)]
    assert raw_rows == [r.pk for r in sorted(raws, key=lambda r: (r.received_at, r.pk), reverse=True)]


def test_filters_are_kept_in_the_next_link(editor_api):
    reuters = AgencyFactory(name="Reuters", slug="reuters")
    mine = [ArticleFactory(agency=reuters, published_at=DAY + dt.timedelta(minutes=n)).pk for n in range(5)]
    ArticleFactory(published_at=DAY)

    rows, pages = walk(editor_api, "/api/articles/", {"agency": "reuters", "page_size": 2})

    assert rows == mine[::-1]
    assert "agency=reuters" in pages[0].json()["next"]


def test_the_schema_documents_the_cursor_and_a_bounded_page_size():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}

    assert parameters["cursor"]["schema"] == {"type": "string"}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "page" not in parameters
    page = schema["components"]["schemas"]["PaginatedArticleListList"]
    assert set(page["properties"]) == {"next", "previous", "results"}
