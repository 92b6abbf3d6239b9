"""The related list shown with an article: pins, then links the page carried, then computed ones, each once."""

import pytest

from articles.models import Article, RelatedLink
from articles.related.display import related_items
from tests.factories import ArticleFactory, RelatedLinkFactory

pytestmark = [pytest.mark.django_db]

DRAFT = Article.Status.DRAFT


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
