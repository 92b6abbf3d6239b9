"""Model invariants."""

import pytest
from django.db.models import F

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_saving_a_stale_article_keeps_views_counted_since_it_was_loaded():
    article = ArticleFactory(view_count=10)
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 5)

    stale.headline = "Edited headline"
    stale.save()

    fresh = Article.objects.get(pk=article.pk)
    assert fresh.headline == "Edited headline"
    assert fresh.view_count == 15


def test_view_count_is_written_when_named_explicitly():
    article = ArticleFactory(view_count=3)

    article.view_count = 4
    article.save(update_fields=["view_count"])

    assert Article.objects.get(pk=article.pk).view_count == 4


def test_shortened_cuts_at_a_word_and_says_so():
    from articles.models import shortened

    assert shortened("Short enough.", 50) == "Short enough."
    assert shortened("one two three four five", 12) == "one two…"
    assert shortened("  spaced \n  out  ", 50) == "spaced out"


@pytest.mark.parametrize(
    ("authors", "byline"),
    [([], ""), (["Ann Lee"], "Ann Lee"), (["Ann Lee", "Bo Ma"], "Ann Lee and Bo Ma"),
     (["Ann Lee", "Bo Ma", "Cy Li"], "Ann Lee, Bo Ma and Cy Li"), (["", "Bo Ma"], "Bo Ma")],
)  # fmt: skip
def test_byline_joins_the_authors_as_a_byline_reads(authors, byline):
    assert Article(authors=authors).byline == byline
