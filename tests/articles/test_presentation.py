"""The dateline as place and credit, and the read count in words: pure functions, no database."""

import pytest

from articles.presentation import DatelineParts, dateline_parts, read_count_phrase

# Datelines as sources write them (the demo stories, the extraction datasets, editors), and how
# a page shows them: place and credit, no date, no punctuation.
REAL_DATELINES = [
    ("KUWAIT CITY, Oct 5 (KUNA)", "Kuwait City", "KUNA"),
    ("NEW YORK, Oct 8 (KUNA) --", "New York", "KUNA"),
    ("KUWAIT CITY, Sept 29 (KUNA) --", "Kuwait City", "KUNA"),
    ("PARIS, Sept 27, (Agencies):", "Paris", "Agencies"),
    ("BUDAPEST, Oct 9, (Agencies):", "Budapest", "Agencies"),
    ("ADEN, Oct 3 (Reuters) -", "Aden", "Reuters"),
    ("MYTILENE, Greece, Oct 1 (AFP) -", "Mytilene, Greece", "AFP"),
    ("STRASBOURG, France, Oct 7 (Reuters) -", "Strasbourg, France", "Reuters"),
    ("BERLIN (AP) —", "Berlin", "AP"),
    ("BONN, Germany (AP) —", "Bonn, Germany", "AP"),
    ("UNITED NATIONS (AP) —", "United Nations", "AP"),
    ("NEW JERSEY  (WABC) --", "New Jersey", "WABC"),
    ("CAIRO —", "Cairo", ""),
    ("LONDON, Jan 2:", "London", ""),
    ("RIO DE JANEIRO, 3 March 2016 -", "Rio de Janeiro", ""),
    ("AL-JAHRA, Kuwait, Oct 5 (KUNA) --", "Al-Jahra, Kuwait", "KUNA"),
    ("DUBAI, Oct 5 (Gulf Wire Service) -", "Dubai", "Gulf Wire Service"),
    ("(Reuters) -", "", "Reuters"),
    ("Kuwait, Oct 5", "Kuwait", ""),
    ("Geneva, 12 October:", "Geneva", ""),
]


@pytest.mark.parametrize(("text", "place", "credit"), REAL_DATELINES)
def test_a_dateline_shows_as_place_and_credit_without_its_punctuation(text, place, credit):
    parts = dateline_parts(text=text)

    assert parts == DatelineParts(place=place, credit=credit)
    for raw in ("--", "—", "(", ")", ":"):
        assert raw not in parts.place + parts.credit


@pytest.mark.parametrize(("text", "place", "credit"), REAL_DATELINES)
def test_no_shape_of_dateline_leaks_its_date(text, place, credit):
    parts = dateline_parts(text=text)

    assert not any(ch.isdigit() for ch in parts.place + parts.credit)


def test_the_place_extraction_read_wins_over_the_text():
    parts = dateline_parts(text="SPRINGFIELD, Ill., Oct 5 (AP) -", place="Springfield, Ill.")

    assert parts.place == "Springfield, Ill."


def test_the_storys_agency_is_the_credit_shown():
    parts = dateline_parts(text="PARIS, Sept 27, (Agencies):", place="Paris", agency="Arab Times")

    assert parts == DatelineParts(place="Paris", credit="Arab Times")


def test_a_story_without_a_dateline_is_credited_to_its_agency_alone():
    assert dateline_parts(agency="KUNA") == DatelineParts(place="", credit="KUNA")


def test_nothing_known_shows_nothing():
    parts = dateline_parts(text="", place="", agency="")

    assert not parts
    assert parts == DatelineParts()


def test_whitespace_in_stored_values_is_collapsed():
    assert dateline_parts(text="  KUWAIT   CITY ,  Oct 5  ( KUNA )  ") == DatelineParts("Kuwait City", "KUNA")


@pytest.mark.parametrize(
    ("count", "phrase"),
    [
        (0, ""),
        (-3, ""),
        (1, "Read once"),
        (2, "Read twice"),
        (3, "Read 3 times"),
        (999, "Read 999 times"),
        (1000, "Read 1,000 times"),
        (12345, "Read 12,345 times"),
        (7_654_321, "Read 7,654,321 times"),
    ],
)
def test_the_read_count_is_worded_as_a_reader_would_say_it(count, phrase):
    assert read_count_phrase(count) == phrase
