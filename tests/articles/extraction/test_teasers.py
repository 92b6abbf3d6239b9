"""Teasers for other stories and breadcrumb trails, told from the links a block holds."""

import pytest

from articles.extraction.blocks import Block
from articles.extraction.teasers import drop_teasers, is_cut_excerpt, is_link_only, is_trail

STORY = Block("The council approved the budget on Tuesday after a long debate over transport spending.")


def link(text: str, href: str = "https://news.example/story") -> str:
    return f'<a href="{href}">{text}</a>'


def linked(html: str, text: str, kind: str = "p") -> Block:
    return Block(text, kind=kind, html=html)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (f"{link('Home')} » {link('Opinion')} » {link('Quote of the Day')} » Mayor on the budget",
         "Home » Opinion » Quote of the Day » Mayor on the budget"),
        (f"{link('Gazette')} › {link('News')} › {link('Local News')}", "Gazette › News › Local News"),
        (f"{link('Home')} / {link('News')} / {link('Town')}", "Home / News / Town"),
    ],
)  # fmt: skip
def test_breadcrumb_trails_are_trails(html, text):
    assert is_trail(linked(html, text))


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # A credit line, a pair of shop links, two linked alternatives: content, not trails.
        (f"{link('Flora The Venue')} | {link('Cassi Claire Photography')}", "Flora The Venue | Cassi Claire Photography"),
        (f"{link('Shop Men’s at asics.com')} {link('Shop Women’s at asics.com')}", "Shop Men’s at asics.com Shop Women’s at asics.com"),
        (f"{link('Sleeping bag')} / {link('backpacking quilt')}", "Sleeping bag / backpacking quilt"),
        (f"Read {link('the report')} » {link('the reply')}", "Read the report » the reply"),
    ],
)  # fmt: skip
def test_other_rows_of_links_are_not_trails(html, text):
    assert not is_trail(linked(html, text))


def test_a_headline_link_and_its_cut_off_excerpt_are_a_teaser_and_go_with_its_read_more_link():
    headline = linked(
        link("Mill Pond closed to swimming after algae bloom"),
        "Mill Pond closed to swimming after algae bloom",
    )
    excerpt = Block(
        "State tests found high levels of algae near the boat ramp, and the health agent said the…"
    )
    more = linked(link("Read more »"), "Read more »")
    result = drop_teasers([STORY, headline, excerpt, more, STORY])
    assert result.kept == [STORY, STORY]
    assert result.removed == [headline, excerpt, more]


def test_a_quotation_that_trails_off_after_a_linked_name_stays():
    # The linked line has two words: a name, not a headline.
    name = linked(link("Marsha Johnson"), "Marsha Johnson")
    quote = Block("“We kept going, night after night, because there was nowhere else to go...")
    assert drop_teasers([STORY, name, quote]).kept == [STORY, name, quote]


def test_an_excerpt_closed_by_a_long_link_is_kept_when_no_headline_precedes_it():
    excerpt = linked(
        "The film follows her last years […] " + link("Read the rest of the review on the paper’s site"),
        "The film follows her last years […] Read the rest of the review on the paper’s site",
    )
    assert is_cut_excerpt(excerpt)
    assert drop_teasers([STORY, excerpt]).kept == [STORY, excerpt]


def test_link_only_means_no_word_outside_the_links():
    assert is_link_only(
        linked(f"<strong>{link('Fireworks set for July 3')}</strong>", "Fireworks set for July 3")
    )
    assert not is_link_only(
        linked(f"Read: {link('Fireworks set for July 3')}", "Read: Fireworks set for July 3")
    )
    assert not is_link_only(STORY)
