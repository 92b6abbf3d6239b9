"""The public search: websearch syntax on PostgreSQL and SQLite, ranking, snippets, filters, limits."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection

from articles.search.results import marked_html
from articles.websearch import search_query_parse, websearch_text
from tests.factories import AgencyFactory, ArticleFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="PostgreSQL's statement timeout")


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.status_code
    return response, [hit.article.headline for hit in response.context["page"].hits]


# --- the query's reading, without a database ---------------------------------------------


def test_a_query_reads_as_words_phrases_exclusions_and_alternatives():
    query = search_query_parse('Hollande  "Angela Merkel" -Paris oil or gas')

    assert websearch_text(query) == 'hollande "angela merkel" -paris oil or gas'
    assert query.words == ("hollande", "angela", "merkel", "oil", "gas")


def test_a_query_is_cut_and_cleaned_so_no_query_asks_for_too_much():
    query = search_query_parse(" ".join(f"word{n}" for n in range(40)) + "\x00")

    assert query.truncated
    assert len(query.groups) == 12
    assert not search_query_parse('- "" or -excluded')


def test_marked_text_is_escaped_before_the_marks_become_html():
    html = marked_html("<script>alert(1)</script> \x02oil\x03 and \x02stray")

    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>oil</mark> and stray"


# --- finding stories ----------------------------------------------------------------------


def test_several_words_find_stories_holding_them_apart(client):
    ArticleFactory(headline="Tunisia mourns", body_text="Gunmen attacked the Bardo museum in Tunis.")
    ArticleFactory(headline="Hollande meets Putin", body_text="Later, Angela Merkel joined the talks.")
    ArticleFactory(headline="Tunisia elections", body_text="Voters queued early.")

    assert results(client, q="Tunisia museum")[1] == ["Tunisia mourns"]
    assert results(client, q="Hollande Merkel")[1] == ["Hollande meets Putin"]


def test_quoted_phrases_must_stand_together(client):
    ArticleFactory(headline="Talks", body_text="The prime minister spoke in Kuwait City today.")
    ArticleFactory(headline="Other talks", body_text="The city of Kuwait, the minister said, is prime.")

    assert results(client, q='"prime minister"')[1] == ["Talks"]
    assert results(client, q='"kuwait city"')[1] == ["Talks"]
    assert sorted(results(client, q="prime minister")[1]) == ["Other talks", "Talks"]


def test_an_excluded_word_removes_stories_holding_it(client):
    ArticleFactory(headline="Football cup final", body_text="The final ended in a draw.")
    ArticleFactory(headline="Budget final vote", body_text="Parliament passed the budget.")

    assert results(client, q="final -football")[1] == ["Budget final vote"]
    assert results(client, q='final -"cup final"')[1] == ["Budget final vote"]


def test_a_headline_match_ranks_above_a_body_match(client):
    now = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    ArticleFactory(headline="Markets open", body_text="Copper prices rose.", published_at=now)
    ArticleFactory(
        headline="Copper prices fall", body_text="Traders sold.", published_at=now - dt.timedelta(days=3)
    )

    assert results(client, q="copper")[1] == ["Copper prices fall", "Markets open"]


def test_snippets_show_the_text_around_the_words_escaped_and_highlighted(client):
    ArticleFactory(
        headline="Page with a script",
        body_text="Readers saw <script>alert('x')</script> beside the museum entrance today.",
    )

    response, found = results(client, q="museum")

    html = response.content.decode()
    assert found == ["Page with a script"]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<mark>museum</mark>" in html


def test_filters_narrow_by_agency_and_date(client):
    kuna = AgencyFactory(name="KUNA", slug="kuna")
    ArticleFactory(
        headline="Oil output rises", agency=kuna, published_at=dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    )
    ArticleFactory(headline="Oil output falls", published_at=dt.datetime(2024, 6, 5, tzinfo=dt.UTC))

    assert results(client, q="oil", agency="kuna")[1] == ["Oil output rises"]
    assert results(client, q="oil", published_after="2024-06-01")[1] == ["Oil output falls"]
    assert results(client, q="oil", published_before="2024-03-31")[1] == ["Oil output rises"]


def test_the_entity_filter_keeps_stories_that_mention_it(client):
    from entities.models import Entity, Mention

    merkel = Entity.objects.create(name="Angela Merkel", slug="angela-merkel", type="person")
    tagged = ArticleFactory(headline="Summit talks begin")
    ArticleFactory(headline="Summit talks end")
    Mention.objects.create(article=tagged, entity=merkel, count=1, spans=[])

    response, found = results(client, q="summit", entity="angela-merkel")

    assert found == ["Summit talks begin"]
    assert "Mentioning Angela Merkel" in response.content.decode()
    assert results(client, q="summit", entity="nobody")[1] == []


def test_drafts_are_never_found(client):
    ArticleFactory(headline="Secret museum draft", status="draft")

    assert results(client, q="museum")[1] == []


def test_an_empty_result_says_so_and_suggests_what_to_try(client):
    ArticleFactory(headline="Parliament votes")

    html = results(client, q="zanzibar cloves")[0].content.decode()

    assert "No stories match “zanzibar cloves”" in html
    assert "Use fewer words" in html
    assert "No stories yet" not in html


def test_stop_words_alone_are_answered_not_searched(client):
    ArticleFactory(headline="The and of")

    html = results(client, q="-the")[0].content.decode()

    assert "There is nothing to search for" in html


def test_the_front_page_sends_searches_to_the_search_page(client):
    response = client.get("/", {"q": "oil asylum"})

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=oil+asylum"


def test_pages_follow_the_ranking(client):
    for n in range(25):
        ArticleFactory(headline=f"Harbour story {n}")

    first = client.get("/search/", {"q": "harbour"})
    second = client.get("/search/", {"q": "harbour", "page": 2})

    assert len(first.context["page"].hits) == 20 and first.context["page"].has_next
    assert len(second.context["page"].hits) == 5 and not second.context["page"].has_next
    assert 'href="?q=harbour&amp;page=2"' in first.content.decode()


# --- no query can hurt the site ------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_search_past_its_time_limit_is_cancelled_and_answered_too_slow(client, settings):
    """Another session holds the table locked: the search waits, and PostgreSQL cancels it at the
    limit. The reader gets a page that says so (503), and the next search works."""
    import psycopg

    ArticleFactory(headline="Oil and asylum")
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 100
    params = connection.get_connection_params()
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with psycopg.connect(**params) as other:
            other.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        response = client.get("/search/", {"q": "oil asylum"})
    finally:
        release.set()
        holder.join()

    assert response.status_code == 503
    assert "The search took too long" in response.content.decode()
    assert client.get("/search/", {"q": "oil asylum"}).context["page"].hits


def test_recent_matches_read_period_by_period_newest_first_each_story_once():
    from django.utils import timezone

    from articles.filters import SEARCH_WINDOWS
    from articles.models import Article
    from articles.search.results import recent_matches

    now = timezone.now()
    ages = [dt.timedelta(hours=2), dt.timedelta(days=2), dt.timedelta(days=10), dt.timedelta(days=400)]
    dated = [ArticleFactory(headline=f"Harbour {n}", published_at=now - age).pk for n, age in enumerate(ages)]
    undated = ArticleFactory(headline="Harbour undated", published_at=None).pk
    ArticleFactory(headline="Airport", published_at=now)
    stories = Article.objects.published()

    assert recent_matches(stories, "harbour", 2, windows=SEARCH_WINDOWS) == (dated[:2], False)
    assert recent_matches(stories, "harbour", 10, windows=SEARCH_WINDOWS) == ([*dated, undated], True)
    assert recent_matches(stories, "harbour", 10, windows=()) == ([*dated, undated], True)
    # Too sparse for the periods (2 in a week, 40 wanted): the archive at once, the same answer.
    assert recent_matches(stories, "harbour", 40, windows=SEARCH_WINDOWS) == ([*dated, undated], True)
