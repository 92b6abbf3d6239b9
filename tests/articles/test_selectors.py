"""Reads of articles: who sees what, filters, order and recent stories."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from articles import selectors
from articles.models import Article
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    UserFactory,
    user_with_permissions,
)

pytestmark = [pytest.mark.django_db]

DRAFT = Article.Status.DRAFT


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def ids(queryset) -> list[int]:
    return [article.pk for article in queryset]


# --- article_list -----------------------------------------------------------------


def test_anonymous_and_unprivileged_users_see_only_published_articles():
    published = ArticleFactory()
    ArticleFactory(status=DRAFT)

    assert ids(selectors.article_list()) == [published.pk]
    assert ids(selectors.article_list(user=AnonymousUser())) == [published.pk]
    assert ids(selectors.article_list(user=UserFactory(is_staff=True))) == [published.pk]


def test_users_with_view_permission_see_drafts_too():
    published = ArticleFactory(published_at=at("2024-01-02"))
    draft = ArticleFactory(status=DRAFT, published_at=at("2024-01-01"))
    editor = user_with_permissions("articles.view_article")

    assert ids(selectors.article_list(user=editor)) == [published.pk, draft.pk]


def test_list_is_newest_first_with_undated_last_and_ties_broken_by_id():
    undated = ArticleFactory(published_at=None)
    old = ArticleFactory(published_at=at("2020-05-01"))
    tie_a = ArticleFactory(published_at=at("2024-03-01"))
    tie_b = ArticleFactory(published_at=at("2024-03-01"))

    assert ids(selectors.article_list()) == [tie_b.pk, tie_a.pk, old.pk, undated.pk]


def test_filter_by_agency_slug():
    reuters = AgencyFactory(name="Reuters", slug="reuters")
    mine = ArticleFactory(agency=reuters)
    ArticleFactory()

    assert ids(selectors.article_list(filters={"agency": "reuters"})) == [mine.pk]


def test_filter_by_status_cannot_reveal_drafts_to_the_public():
    ArticleFactory(status=DRAFT)
    editor = user_with_permissions("articles.view_article")

    assert ids(selectors.article_list(filters={"status": "draft"})) == []
    assert len(selectors.article_list(filters={"status": "draft"}, user=editor)) == 1


def test_filter_by_date_range_includes_both_ends():
    ArticleFactory(published_at=dt.datetime(2024, 2, 29, 23, 59, tzinfo=dt.UTC))
    first = ArticleFactory(published_at=dt.datetime(2024, 3, 1, 0, 0, tzinfo=dt.UTC))
    last = ArticleFactory(published_at=dt.datetime(2024, 3, 31, 23, 59, tzinfo=dt.UTC))
    ArticleFactory(published_at=dt.datetime(2024, 4, 1, 0, 0, tzinfo=dt.UTC))

    found = selectors.article_list(
        filters={"published_after": "2024-03-01", "published_before": "2024-03-31"}
    )

    assert ids(found) == [last.pk, first.pk]


def test_text_search_finds_words_in_headline_or_body():
    in_headline = ArticleFactory(headline="Parliament votes on budget")
    in_body = ArticleFactory(body_text="The parliament met late.\n\nNothing was decided.")
    ArticleFactory(headline="Football results", body_text="A draw.")

    assert set(ids(selectors.article_list(filters={"q": "parliament"}))) == {in_headline.pk, in_body.pk}


# --- recent and agency lists ----------------------------------------------------------


def test_recent_articles_are_published_only_and_newest_first():
    old = ArticleFactory(published_at=at("2023-01-01"))
    new = ArticleFactory(published_at=at("2024-01-01"))
    ArticleFactory(status=DRAFT, published_at=at("2025-01-01"))

    assert ids(selectors.articles_recent(limit=10)) == [new.pk, old.pk]
    assert ids(selectors.articles_recent(limit=1, offset=1)) == [old.pk]


def test_agency_articles_are_that_agency_published_stories():
    agency = AgencyFactory()
    mine = ArticleFactory(agency=agency)
    ArticleFactory(agency=agency, status=DRAFT)
    ArticleFactory()

    assert ids(selectors.agency_articles(agency=agency, limit=10)) == [mine.pk]


# --- article_is_published -----------------------------------------------------------


def test_is_published_is_answered_from_the_cache_after_the_first_ask(django_assert_num_queries):
    published = ArticleFactory()
    draft = ArticleFactory(status=DRAFT)

    with django_assert_num_queries(2):
        assert selectors.article_is_published(article_id=published.pk) is True
        assert selectors.article_is_published(article_id=draft.pk) is False
    with django_assert_num_queries(0):
        assert selectors.article_is_published(article_id=published.pk) is True
        assert selectors.article_is_published(article_id=draft.pk) is False
