"""Tagging reads at most TAGGING_MAX_CHARS of a story, cut at a line break, and says so."""

import time

import pytest

from entities import services
from entities.models import ArticleTagging, Mention
from entities.services import mentions
from entities.tagging.text import prefix_at_break
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


def test_a_text_within_the_limit_comes_back_whole():
    assert prefix_at_break("one\ntwo", 7) == "one\ntwo"


def test_a_long_text_is_cut_after_its_last_line_break_near_the_limit():
    text = "a" * 95 + "\n" + "b" * 100

    assert prefix_at_break(text, 100) == "a" * 95 + "\n"


def test_without_a_line_break_the_cut_falls_before_a_space_else_at_the_limit():
    assert prefix_at_break("word " * 40, 100) == ("word " * 20)
    assert prefix_at_break("x" * 300, 100) == "x" * 100


def test_a_line_break_far_before_the_limit_does_not_cut_the_text_short():
    text = "a\n" + "b " * 200

    assert len(prefix_at_break(text, 100)) == 100


def test_a_long_story_is_tagged_in_its_first_characters_and_the_tagging_says_so(
    settings, django_capture_on_commit_callbacks
):
    settings.TAGGING_MAX_CHARS = 2_000
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Emmanuel Macron", type="person")
    early = "President Emmanuel Macron spoke in Paris on Tuesday.\n"
    late = "Emmanuel Macron was mentioned again, far down the page.\n"
    article = ArticleFactory(headline="Speech", body_text=early + "Filler line of the story.\n" * 200 + late)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)

    mention = Mention.objects.get(article=article, entity=entity)
    assert mention.count == 1
    tagging = ArticleTagging.objects.get(article=article)
    full = len(article.headline) + 2 + len(article.body_text)
    assert tagging.notice == (
        f"Only the first {len(mentions.article_tagging_text(article)):,} of the story's {full:,} characters "
        "were tagged (the limit is 2,000)."
    )


def test_a_story_within_the_limit_is_tagged_whole_without_a_notice(django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Speech", body_text="A short story.")

    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)

    assert ArticleTagging.objects.get(article=article).notice == ""


def test_tagging_a_four_megabyte_body_costs_what_its_first_characters_cost(
    django_capture_on_commit_callbacks,
):
    sentence = "President Emmanuel Macron met Chancellor Angela Merkel in Paris, said Reuters.\n"
    article = ArticleFactory(headline="Names", body_text=sentence * (4_000_000 // len(sentence)))

    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)

    assert time.perf_counter() - started < 40
    assert ArticleTagging.objects.get(article=article).notice.startswith("Only the first ")


def test_a_long_run_of_punctuation_does_not_stall_the_model_and_names_after_it_are_found(
    django_capture_on_commit_callbacks,
):
    # spaCy's tokenizer took minutes over 30,000 apostrophes in a row.
    article = ArticleFactory(
        headline="Quotes",
        body_text="Officials spoke. ." + "'" * 30_000 + "\nEmmanuel Macron arrived in Paris.",
    )

    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)

    assert time.perf_counter() - started < 20
    assert ArticleTagging.objects.get(article=article).tagged_at is not None
