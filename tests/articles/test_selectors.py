"""Reads of articles: who sees what, filters, order, related lists and recent stories."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from articles import selectors
from articles.models import Article, RelatedLink
from articles.related.display import related_items
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    RelatedLinkFactory,
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


# --- article_related ------------------------------------------------------------------


def test_related_lists_editor_then_found_then_computed_links():
    article = ArticleFactory()
    computed = RelatedLinkFactory(from_article=article, score=0.9, position=0).to_article
    found = RelatedLinkFactory(
        from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE, position=0
    ).to_article
    editor_2 = RelatedLinkFactory(from_article=article, kind=RelatedLink.Kind.PINNED, position=1).to_article
    editor_1 = RelatedLinkFactory(from_article=article, kind=RelatedLink.Kind.PINNED, position=0).to_article

    items = related_items(article=article)

    assert [item.article_id for item in items] == [editor_1.pk, editor_2.pk, found.pk, computed.pk]
    assert [item.kind for item in items] == ["editor", "editor", "found", "computed"]
    assert items[0].url == editor_1.get_absolute_url()
    assert items[0].agency == editor_1.agency.name


def test_computed_links_follow_position_then_score():
    article = ArticleFactory()
    second = RelatedLinkFactory(from_article=article, position=1, score=0.9).to_article
    first = RelatedLinkFactory(from_article=article, position=0, score=0.2).to_article

    assert [i.article_id for i in related_items(article=article)] == [first.pk, second.pk]


def test_related_never_lists_unpublished_targets_or_the_article_itself():
    article = ArticleFactory()
    RelatedLinkFactory(from_article=article, to_article=ArticleFactory(status=DRAFT), kind="editor")
    RelatedLinkFactory(from_article=article, to_article=ArticleFactory(status=DRAFT))
    RelatedLinkFactory(from_article=article, to_article=article)
    visible = RelatedLinkFactory(from_article=article).to_article

    assert [i.article_id for i in related_items(article=article)] == [visible.pk]


def test_an_article_linked_several_ways_appears_once_at_its_best_place():
    article = ArticleFactory()
    target = ArticleFactory()
    RelatedLinkFactory(from_article=article, to_article=target, kind=RelatedLink.Kind.COMPUTED)
    RelatedLinkFactory(
        from_article=article, to_article=target, kind=RelatedLink.Kind.FOUND_ON_PAGE, url="https://x.test/a"
    )

    items = related_items(article=article)

    assert [(i.article_id, i.kind) for i in items] == [(target.pk, "found")]


def test_external_pages_are_listed_once_and_only_web_links():
    article = ArticleFactory(source_url="https://source.test/this-story")
    found = RelatedLink.Kind.FOUND_ON_PAGE
    RelatedLink.objects.create(
        from_article=article, kind=found, url="https://elsewhere.test/a", title="Found"
    )
    RelatedLink.objects.create(
        from_article=article, kind=RelatedLink.Kind.PINNED, url="https://elsewhere.test/a", title="Pinned"
    )
    RelatedLink.objects.create(from_article=article, kind=found, url="https://other.test/b", position=1)
    RelatedLink.objects.create(from_article=article, kind=found, url=article.source_url, position=2)
    RelatedLink.objects.create(from_article=article, kind=found, url="javascript:alert(1)", position=3)

    items = related_items(article=article)

    assert [(i.url, i.headline, i.kind, i.article) for i in items] == [
        ("https://elsewhere.test/a", "Pinned", "editor", None),
        ("https://other.test/b", "https://other.test/b", "found", None),
    ]


def test_related_stops_at_the_limit():
    article = ArticleFactory()
    targets = [RelatedLinkFactory(from_article=article, position=n).to_article for n in range(6)]

    items = related_items(article=article, limit=4)

    assert [i.article_id for i in items] == [t.pk for t in targets[:4]]


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
