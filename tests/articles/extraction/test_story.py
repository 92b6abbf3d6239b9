"""Story or index page: runs of prose paragraphs against lone teasers."""

from articles.extraction.html import parse_html
from articles.extraction.segment import segment
from articles.extraction.story import page_shape

PARAGRAPH = "<p>The council approved the budget on Tuesday after a long debate over transport spending.</p>"


def shape(body: str):
    segmentation = segment(parse_html(f"<html><body>{body}</body></html>"))
    return page_shape(segmentation, [True] * len(segmentation.blocks))


def teaser(number: int, cut: bool = False) -> str:
    end = "the…" if cut else "the city said."
    return (
        f'<div class="card"><h3><a href="/story/{number}">Headline number {number} about the city</a></h3>'
        f"<p>A line about story number {number} that says what happened in the city, {end}</p></div>"
    )


def test_paragraphs_in_a_row_are_a_story_however_many_links_they_hold():
    linked = '<p>The <a href="/a">council</a> approved <a href="/b">the budget</a> on Tuesday after a long debate.</p>'
    assert shape(PARAGRAPH + linked + PARAGRAPH).is_story


def test_lines_each_under_a_headline_link_are_teasers_not_a_story():
    result = shape("".join(teaser(n) for n in range(5)))
    assert (result.story_run, result.teasers) == (1, 5)
    assert result.is_teaser_list


def test_cut_off_excerpts_are_teasers_even_without_a_headline():
    result = shape(
        "".join(f"<p>Story {n} began when the council met on Tuesday to discuss the…</p>" for n in range(3))
    )
    assert result.teasers == 3 and result.is_teaser_list


def test_one_long_paragraph_is_a_story():
    long = "<p>" + " ".join(["The council met again on Tuesday."] * 12) + "</p>"
    assert shape('<h3><a href="/x">Headline of the only story here</a></h3>' + long).is_story


def test_a_story_with_teasers_after_it_is_a_story():
    assert not shape(PARAGRAPH * 3 + "".join(teaser(n) for n in range(5))).is_teaser_list


MENU = '<nav><ul><li><a href="/news/local/">Local news</a></li><li><a href="/weddings/">Weddings and engagements</a></li></ul></nav>'


def test_a_brief_under_the_pages_own_headline_is_no_teaser_though_a_menu_link_stands_above():
    result = shape(
        MENU
        + "<h1>Route 9 to close overnight for repaving</h1>"
        + PARAGRAPH
        + "".join(teaser(n) for n in range(5))
    )
    assert result.teasers == 5
    assert not result.is_teaser_list


def test_a_brief_after_a_row_of_share_buttons_is_no_teaser():
    share = (
        '<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a> '
        '<a href="https://x.com/intent/post?url=x">Post on X</a> <a href="mailto:?body=x">Email this story</a></div>'
    )
    result = shape(share + PARAGRAPH + "".join(teaser(n) for n in range(5)))
    assert result.teasers == 5
    assert not result.is_teaser_list


def test_a_heading_after_a_teasers_line_leaves_that_line_a_teaser():
    # Only a heading between the link and the line stands over the line; one after it does not.
    result = shape("".join(teaser(n) + f"<h2>Section {n}</h2>" for n in range(3)))
    assert result.teasers == 3
    assert result.is_teaser_list
