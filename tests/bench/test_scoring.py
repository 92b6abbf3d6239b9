"""Unit tests for bench.scoring, on small hand-computed examples (no dataset needed)."""

from collections import Counter

import pytest

from bench.scoring import (
    Interval,
    PageScore,
    Summary,
    bootstrap_f1,
    interval,
    score_page,
    shingles,
    summarise,
    tokens,
)


def test_tokens_are_lowercased_words_without_punctuation():
    assert tokens("The Quick, brown FOX! jumps_over 42") == [
        "the",
        "quick",
        "brown",
        "fox",
        "jumps_over",
        "42",
    ]


def test_shingles_are_consecutive_four_word_tuples():
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})


def test_short_text_is_one_shingle_and_empty_text_none():
    assert shingles("Hello, world") == Counter({("hello", "world"): 1})
    assert shingles("") == Counter()
    assert shingles(" -- ! ") == Counter()


def test_identical_texts_score_one():
    score = score_page("The quick brown fox jumps.", "the quick brown fox jumps")
    assert score == PageScore(tp=2, fp=0, fn=0)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero():
    score = score_page("alpha beta gamma delta", "one two three four five")
    assert score == PageScore(tp=0, fp=1, fn=2)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert summarise([score]).f1 == 0.0


def test_repeated_prediction_matches_a_true_shingle_only_as_often_as_the_truth_has_it():
    # "a b c d a b c d": (a,b,c,d) twice, (b,c,d,a), (c,d,a,b), (d,a,b,c): 5 shingles.
    score = score_page("a b c d a b c d", "a b c d")
    assert score == PageScore(tp=1, fp=4, fn=0)
    assert score.precision == pytest.approx(0.2)
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(1 / 3)


def test_repeated_truth_needs_the_repetition_in_the_prediction():
    assert score_page("a b c d", "a b c d a b c d") == PageScore(tp=1, fp=0, fn=4)
    assert score_page("a b c d x a b c d", "a b c d y a b c d") == PageScore(tp=2, fp=4, fn=4)


def test_short_texts_match_only_as_a_whole():
    assert score_page("hello world", "Hello world!").f1 == 1.0
    assert score_page("hello", "hello world") == PageScore(tp=0, fp=1, fn=1)
    assert score_page("a b c", "a b c d") == PageScore(tp=0, fp=1, fn=1)


def test_empty_prediction_has_no_precision_and_zero_recall():
    score = score_page("", "a b c d e")
    assert score == PageScore(tp=0, fp=0, fn=2)
    assert score.precision is None
    assert score.recall == 0.0
    assert score.f1 == 0.0


def test_both_texts_empty_is_a_perfect_page_with_nothing_to_average():
    score = score_page("", "")
    assert (score.precision, score.recall, score.f1) == (None, None, 1.0)


def test_summary_is_the_harmonic_mean_of_averaged_precision_and_recall():
    pages = [PageScore(tp=3, fp=1, fn=0), PageScore(tp=1, fp=1, fn=3)]
    # precision (0.75 + 0.5) / 2 = 0.625, recall (1.0 + 0.25) / 2 = 0.625; the mean of the
    # per-page F1 values (6/7 and 1/3) would be about 0.595 instead.
    assert summarise(pages) == Summary(pages=2, precision=0.625, recall=0.625, f1=0.625)


def test_empty_prediction_counts_against_recall_only():
    summary = summarise([PageScore(tp=2, fp=0, fn=0), score_page("", "a b c d e")])
    assert summary.precision == 1.0
    assert summary.recall == 0.5
    assert summary.f1 == pytest.approx(2 / 3)


def test_summary_without_any_output_or_pages_is_zero():
    assert summarise([PageScore(tp=0, fp=0, fn=5)]) == Summary(pages=1, precision=None, recall=0.0, f1=0.0)
    assert summarise([]) == Summary(pages=0, precision=None, recall=None, f1=0.0)


def test_interval_is_standard_deviation_and_percentiles():
    spread = interval([float(value) for value in range(41)])
    assert spread.low == 1.0
    assert spread.high == 39.0
    assert spread.se == pytest.approx((41 * 42 / 12) ** 0.5)
    assert interval([0.5, 0.5, 0.5]) == Interval(se=0.0, low=0.5, high=0.5)


def test_bootstrap_is_seeded_and_paired_across_systems():
    pages = [PageScore(tp=4, fp=0, fn=0), PageScore(tp=1, fp=3, fn=3), PageScore(tp=0, fp=2, fn=2)]
    samples = bootstrap_f1({"x": pages, "y": list(pages)}, resamples=50, seed=7)
    assert samples["x"] == samples["y"]
    assert samples == bootstrap_f1({"x": pages, "y": pages}, resamples=50, seed=7)
    assert len(samples["x"]) == 50
    assert all(0.0 <= value <= 1.0 for value in samples["x"])


def test_bootstrap_refuses_systems_scored_on_different_pages():
    with pytest.raises(ValueError, match="different numbers of pages"):
        bootstrap_f1({"x": [PageScore(1, 0, 0)], "y": []}, resamples=2)
