"""The seed page: every field expected.json states, exactly."""

import dataclasses
import datetime as dt

import pytest

from articles.extraction import PRECISION_DAY, PRECISION_UNKNOWN, extract

from .conftest import fold


@pytest.fixture(scope="module")
def result(seed_bytes):
    return extract(seed_bytes, source="fixtures/seed/page.txt")


def test_headline_is_the_first_line(result, expected):
    assert fold(result.headline) == fold(expected["headline"])


def test_view_count_comes_from_the_counter_line(result, expected):
    assert result.view_count == expected["view_count"]


def test_dateline_is_parsed_without_inventing_a_year(result, expected):
    assert dataclasses.asdict(result.dateline) == expected["dateline"]


def test_agency_is_the_canonical_name(result, expected):
    assert result.agency == expected["agency"]


def test_body_paragraphs_match_and_start_after_the_dateline(result, expected):
    assert [fold(p) for p in result.paragraphs] == [fold(p) for p in expected["body_paragraphs"]]
    assert len(result.paragraphs) == 7
    assert result.body == "\n\n".join(result.paragraphs)


def test_removed_lists_every_counter_and_furniture_line_in_order(result, expected):
    assert [fold(r) for r in result.removed] == [fold(r) for r in expected["removed_boilerplate"]]


def test_the_repeated_putin_quote_is_flagged_not_removed(result, expected):
    repeated = [f for f in result.flagged if f.kind == "repeated_sentence"]
    assert len(repeated) == len(expected["repeated_sentences_flagged_not_removed"]) == 1
    flag, want = repeated[0], expected["repeated_sentences_flagged_not_removed"][0]
    assert {k: fold(v) if isinstance(v, str) else v for k, v in flag.detail.items()} == {
        k: fold(v) if isinstance(v, str) else v for k, v in want.items()
    }
    assert fold(flag.text) == fold(want["again"])
    assert fold(want["again"]) in fold(result.paragraphs[want["again_paragraph"] - 1])
    assert fold(want["first"]) in fold(result.paragraphs[want["first_paragraph"] - 1])


def test_the_glued_word_is_flagged_and_left_in_the_text(result):
    glued = [f for f in result.flagged if f.kind == "glued_word"]
    assert [(f.text, f.detail["paragraph"]) for f in glued] == [("Iraqiannounced", 7)]
    assert "Iraqiannounced" in result.paragraphs[6]


def test_without_a_reference_date_published_stays_unknown(result):
    assert result.published is None
    assert result.published_precision == PRECISION_UNKNOWN


@pytest.mark.parametrize(
    ("reference", "published"),
    [
        (dt.date(2015, 9, 28), dt.date(2015, 9, 27)),
        (dt.date(2015, 12, 1), dt.date(2015, 9, 27)),
        # A September dateline crawled in January belongs to the year before.
        (dt.date(2016, 1, 5), dt.date(2015, 9, 27)),
    ],
)
def test_reference_date_supplies_the_year(seed_bytes, reference, published):
    result = extract(seed_bytes, reference_date=reference)
    assert result.published == published
    assert result.published_precision == PRECISION_DAY
    assert result.dateline.year is None


def test_body_html_is_one_escaped_paragraph_each(result):
    assert result.body_html.count("<p>") == 7
    assert "&lt;" not in result.body_html
    assert "<script" not in result.body_html


def test_text_input_gives_the_same_result_as_bytes(seed_bytes, result):
    from_text = extract(seed_bytes.decode("utf-8"))
    assert from_text.paragraphs == result.paragraphs
    assert from_text.removed == result.removed
    assert from_text.encoding is None
    assert result.encoding == "utf-8"


def test_windows_line_endings_and_a_bom_change_nothing(seed_bytes, result):
    variant = b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n")
    again = extract(variant)
    assert again.headline == result.headline
    assert again.paragraphs == result.paragraphs
    assert again.removed == result.removed


def test_the_result_serialises_to_json_ready_data(result):
    data = result.to_dict()
    assert data["dateline"]["place"] == "Paris"
    assert data["flagged"][0]["kind"] == "repeated_sentence"
    assert data["body"] == result.body
