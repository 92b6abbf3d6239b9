"""Site furniture in the pure package: candidate lines, number-folded keys, removal at cleanup."""

import pytest

from articles.extraction import extract
from articles.extraction.blocks import Block
from articles.extraction.cleanup import (
    MAX_SITE_FURNITURE_WORDS,
    candidate_lines,
    drop_furniture,
    furniture_key,
    is_site_furniture,
    site_furniture_keys,
)

PARAGRAPH_ONE = (
    "METROPOLIS, March 3 (Planet Wire): The city council approved a new budget on Tuesday after "
    "a long debate over transport spending and the cost of repairing the old harbour bridge."
)
PARAGRAPH_TWO = (
    "The mayor said the plan would cut waiting times for buses by a third within two years, "
    "while opposition members warned that fares would rise to pay for it and that the bridge "
    "repairs had been put off for another decade."
)
# The site's lines stand within the story: lines between a text page's headline and its story
# are its header (byline, date, standfirst) and go whatever the site's furniture.
PAGE = f"""Council approves Metropolis budget after long debate

{PARAGRAPH_ONE}

Planet audio edition: 4 min

Planet readers club: 12,345 members and counting

{PARAGRAPH_TWO}
"""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("This news has been read 7,484 times!", "this news has been read 12 times"),
        ("» Listen to this story: 4 min", "LISTEN TO THIS STORY (11 min)"),
        ("Weather in Metropolis: 21.5°C", "weather in metropolis 3 °c"),
    ],
)
def test_keys_fold_case_punctuation_and_every_number(one, other):
    assert furniture_key(one) == furniture_key(other)


def test_different_words_are_different_keys():
    assert furniture_key("Back to top") != furniture_key("Back to the top of the page")


def test_candidate_lines_are_short_lines_each_key_once_in_page_order():
    prose = " ".join(["word"] * (MAX_SITE_FURNITURE_WORDS + 1))
    lines = candidate_lines(
        [
            "Read 12 times",
            prose,
            "2015",
            Block("Share this story"),
            "read 7,484 times!",
            "Share this story",
        ]
    )

    assert lines == ["Read 12 times", "Share this story"]


def test_site_furniture_is_removed_wherever_it_stands_with_its_numbers_folded():
    result = extract(
        PAGE,
        site_furniture=["planet audio edition: 0 min", "Planet readers club: 99 members and counting"],
    )

    assert result.headline == "Council approves Metropolis budget after long debate"
    assert result.paragraphs == [PARAGRAPH_ONE.split(": ", 1)[1], PARAGRAPH_TWO]
    assert result.removed == [
        "Planet audio edition: 4 min",
        "Planet readers club: 12,345 members and counting",
    ]


def test_without_site_furniture_the_same_lines_stay():
    result = extract(PAGE)

    assert "Planet audio edition: 4 min" in result.paragraphs
    assert "Planet readers club: 12,345 members and counting" in result.paragraphs
    assert result.removed == []


def test_a_text_page_opening_with_site_furniture_takes_its_headline_from_the_next_line():
    result = extract(
        "Planet Daily | Metropolis edition\n\n" + PAGE, site_furniture=["Planet Daily | Metropolis"]
    )

    assert result.headline == "Planet Daily | Metropolis edition"

    result = extract(
        "Planet Daily | Metropolis edition\n\n" + PAGE, site_furniture=["planet daily metropolis edition"]
    )

    assert result.headline == "Council approves Metropolis budget after long debate"
    assert result.removed == ["Planet Daily | Metropolis edition"]


def test_prose_is_never_removed_even_when_a_pattern_names_it():
    assert len(PARAGRAPH_TWO.split()) > MAX_SITE_FURNITURE_WORDS
    keys = site_furniture_keys([PARAGRAPH_TWO])

    assert not is_site_furniture(Block(PARAGRAPH_TWO), keys)
    assert drop_furniture([Block(PARAGRAPH_TWO)], keys).removed == []


def test_a_data_table_row_is_never_site_furniture():
    keys = site_furniture_keys(["Price | Change"])

    assert not is_site_furniture(Block("Price | Change", cells=("Price", "Change")), keys)
    assert is_site_furniture(Block("Price | Change"), keys)


def test_blank_patterns_match_nothing():
    assert site_furniture_keys(["", "  ", "!!"]) == frozenset()
