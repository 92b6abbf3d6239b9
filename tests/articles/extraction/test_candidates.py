"""Choosing the article's text among the page's readings: segmentation, markers, the block model, JSON-LD."""

import contextlib
import json
import time

import pytest
from lxml import html as lxml_html

from articles.extraction import extract
from articles.extraction.article_blocks import article_blocks, article_images, with_images
from articles.extraction.blocks import IMAGE, LIST_ITEM, QUOTE, TABLE_ROW
from articles.extraction.budget import Budget
from articles.extraction.candidates import (
    METHOD_FUSION,
    read_page,
    stated_article_body,
    stated_authors,
)
from articles.extraction.fusion import (
    FEATURES,
    _with_whole_tables,
    article_runs,
    block_features,
    block_model,
    coverage,
    shingles,
    words_of,
)
from articles.extraction.html import MAX_ELEMENTS, parse_html
from articles.extraction.jsonld import read_jsonld
from articles.extraction.markers import BITS, page_markers
from articles.extraction.segment import segment
from articles.extraction.types import ExtractionError

STORY = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending "
    "months of argument over the cost of repairing the ninety-year-old steel structure.",
    "Engineers told the council last year that the bridge needed new supports, and that the work would "
    "take at least two years and cost more than the city spends on roads in a decade.",
    "Cyclists and pedestrians will still be able to use the bridge, the council said, and a ferry service "
    "will run every twenty minutes during the morning and evening rush hours.",
    "Shop owners on the north bank said they feared losing customers, while residents of the old town "
    "welcomed the decision, saying traffic had made their streets unsafe for children.",
    "The mayor said the council would review the closure after two years and consider a new bridge if "
    "the number of people crossing by ferry rose above the levels forecast in the study.",
]
COMMENTS = [
    "I have lived here for forty years and this is the worst decision the council has ever made, "
    "nobody asked the people who actually use the bridge every single day of the week.",
    "Finally some common sense from the council, the traffic on our street has been unbearable for "
    "years and the children cannot even walk to school without their parents beside them.",
    "Does anyone know whether the ferry will take bicycles on board during the rush hours, because "
    "otherwise I will have to ride all the way round through the industrial estate instead.",
]


def page(*, extra_body: str = "", head: str = "", article_attrs: str = "") -> str:
    story = "\n".join(f"<p>{text}</p>" for text in STORY)
    comments = "\n".join(f'<li class="comment"><p>{text}</p></li>' for text in COMMENTS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council closes harbour bridge to cars - City Herald</title>{head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article{article_attrs}>
<h1>Council closes harbour bridge to cars</h1>
<div class="entry-content">{story}</div>
{extra_body}
<section id="comments" class="comments-area"><h3>3 comments</h3><ol class="comment-list">{comments}</ol></section>
</article>
<aside class="related-posts"><h3>Related stories</h3><ul>
<li><a href="/city/ferry-timetable-changes">Ferry timetable changes announced for the summer season</a></li>
<li><a href="/city/bridge-repairs-cost">How much would it cost to repair the harbour bridge?</a></li>
</ul></aside></main>
<footer><p>© 2024 City Herald. All rights reserved.</p></footer>
</body></html>"""


def tree_of(markup: str):
    return lxml_html.document_fromstring(markup)


# --- segmentation ---------------------------------------------------------------------------


def test_segments_are_block_texts_in_order_with_their_containers():
    seg = segment(
        tree_of("<html><body><div><h2>Title</h2><p>One <b>bold</b> line</p><p>Two</p></div></body></html>")
    )
    assert [b.text for b in seg.blocks] == ["Title", "One bold line", "Two"]
    assert [seg.containers[b.container].tag for b in seg.blocks] == ["h2", "p", "p"]
    div = next(c for c in seg.containers if c.tag == "div")
    assert (div.start, div.end) == (0, 3)


def test_scripts_and_styles_are_skipped_but_their_tails_are_kept():
    seg = segment(
        tree_of("<html><body><p>Before <script>var x = 1;</script>after</p><style>p{}</style></body></html>")
    )
    assert [b.text for b in seg.blocks] == ["Before after"]


def test_a_line_break_ends_a_block():
    seg = segment(tree_of("<html><body><div>First line<br>second line<br><br>third</div></body></html>"))
    assert [b.text for b in seg.blocks] == ["First line", "second line", "third"]


def test_link_text_is_counted_and_kept_with_its_target():
    seg = segment(tree_of('<html><body><p>Read <a href="/x">the report</a> now</p></body></html>'))
    block = seg.blocks[0]
    assert block.link_chars == len("the report")
    assert ("the report", "/x") in block.links


def test_hidden_text_is_kept_but_marked():
    seg = segment(
        tree_of('<html><body><p>Shown</p><div style="display: none"><p>Hidden</p></div></body></html>')
    )
    assert [(b.text, b.hidden) for b in seg.blocks] == [("Shown", False), ("Hidden", True)]


def test_an_unclosed_button_does_not_swallow_the_article():
    # Broken pages leave a <button> open; browsers show what follows inside it.
    seg = segment(tree_of("<html><body><button>Menu<div><p>The article text.</p></div></body></html>"))
    assert "The article text." in [b.text for b in seg.blocks]


def test_lazy_images_use_their_real_address():
    seg = segment(
        tree_of(
            '<html><body><p>x</p><img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="A"></body></html>'
        )
    )
    assert [(p.src, p.alt) for p in seg.pictures] == [("/real.jpg", "A")]


# --- markers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("comments-area", "comment"),
        ("relatedPosts", "related"),
        ("c-share__bar", "share"),
        ("author-bio", "author"),
        ("newsletter-signup", "promo"),
        ("wp-caption-text", "media"),
        ("entry-content", "content"),
    ],
)
def test_class_words_mark_their_category(value, category):
    assert page_markers().attribute_marks(value) & BITS[category]


def test_words_that_merely_contain_a_marker_do_not_mark():
    # "read-more" is a link style, "shadow" and "download" are not "ad", "subheader" is not "header".
    marks = page_markers().attribute_marks("read-more shadow-box download subheader")
    assert not marks & (BITS["promo"] | BITS["related"] | BITS["meta"])


# --- the model and its inputs --------------------------------------------------------------


def test_the_block_model_has_a_weight_for_every_feature():
    model = block_model()
    assert len(model.weights) == len(FEATURES)
    assert 0 < model.threshold < 1


def test_coverage_counts_words_inside_shared_shingles_across_block_boundaries():
    blocks = [words_of("Key points"), words_of("the bridge will close to cars next spring")]
    reference = shingles(["Key points the bridge will close to cars next spring"])
    assert coverage(blocks, reference) == [1.0, 1.0]
    assert coverage([words_of("Sign up for our newsletter today")], reference) == [0.0]


def test_article_runs_keep_a_short_doubtful_line_inside_the_story():
    # Five paragraphs of 40 words; the third is a short line the model doubts (p 0.3).
    words = [40, 40, 3, 40, 40]
    chosen = article_runs([0, 1, 2, 3, 4], [0.9, 0.9, 0.3, 0.9, 0.9], words)
    assert chosen == [0, 1, 2, 3, 4]


def test_article_runs_drop_a_short_line_standing_apart_from_the_story():
    # The story, then blocks that are no candidates (a footer), then a two-word line the
    # model leans towards: on its own it is not worth leaving the footer for.
    words = [40, 40, 40, 10, 10, 2]
    chosen = article_runs([0, 1, 2, 5], [0.95, 0.95, 0.95, 0.7], words)
    assert chosen == [0, 1, 2]


def test_article_runs_keep_a_second_run_that_outweighs_the_gap():
    words = [40, 40, 10, 40, 40]
    chosen = article_runs([0, 1, 3, 4], [0.95, 0.95, 0.95, 0.95], words)
    assert chosen == [0, 1, 3, 4]


def test_article_runs_choose_nothing_from_doubtful_blocks():
    assert article_runs([0, 1], [0.2, 0.4], [30, 30]) == []
    assert article_runs([], [], [5, 5]) == []


def test_the_article_is_chosen_without_comments_navigation_or_related_links():
    result = extract(page(), source="https://herald.example.com/city/bridge")
    assert result.method == METHOD_FUSION
    assert result.paragraphs[-len(STORY) :] == STORY
    body = result.body
    for comment in COMMENTS:
        assert comment not in body
    assert "Ferry timetable changes" not in body
    assert "All rights reserved" not in body


@pytest.mark.parametrize(("author", "kept"), [("Jane Doe", False), ("Someone Else", True)])
def test_a_closing_paragraph_about_the_stated_author_is_left_out(author, kept):
    # The same closing paragraph is a bio when it opens with the name of the page's author.
    bio = (
        "Jane Doe is a city reporter who has covered transport and local politics for the Herald "
        "since 2015, after ten years at regional papers in the north."
    )
    head = (
        '<script type="application/ld+json">'
        + json.dumps(
            {"@type": "NewsArticle", "headline": "Bridge", "author": {"@type": "Person", "name": author}}
        )
        + "</script>"
    )
    story = "\n".join(f"<p>{text}</p>" for text in STORY)
    markup = page(head=head).replace(story, f"{story}\n<p>{bio}</p>")
    result = extract(markup, source="https://herald.example.com/city/bridge")
    assert (bio in result.body) is kept
    assert STORY[-1] in result.body


def test_the_stated_article_body_rescues_a_story_the_readings_missed():
    # The page's article element holds only the opening paragraph; the whole story stands in
    # linked fragments of a related box, which the readings take for furniture, while the
    # publisher's JSON-LD states the whole text, and the page shows it.
    fragments = "\n".join(
        f'<div class="promo-teaser"><a href="/more/{i}">{text}</a></div>' for i, text in enumerate(STORY)
    )
    markup = f"""<html><head><title>Bridge</title>
<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "articleBody": " ".join(STORY)})}</script>
</head><body><nav><a href="/">Home</a></nav>
<article><p>{STORY[0]}</p></article><aside class="related"><div>{fragments}</div></aside>
<footer><p>Contact us</p></footer></body></html>"""
    tree = parse_html(markup)
    reading = read_page(tree, None)
    features = block_features(reading.segmentation, [reading.taken_text], reading.stated_body)
    model = block_model()
    probabilities = [model.probability(row) for row in features.rows]
    words = [len(block.text.split()) for block in reading.segmentation.blocks]
    by_model = article_runs(features.candidates, probabilities, words, model.threshold)
    assert len(by_model) == 1  # the opening paragraph alone
    chosen = " ".join(reading.segmentation.blocks[i].text for i in reading.choice.chosen)
    for text in STORY[1:]:
        assert text in chosen


def test_a_teaser_in_json_ld_does_not_override_the_page():
    head = (
        '<script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "articleBody": "The council voted to close the bridge. " * 8})
        + "</script>"
    )
    result = extract(page(head=head), source="https://herald.example.com/city/bridge")
    assert result.paragraphs[-len(STORY) :] == STORY


def test_stated_body_and_authors_come_from_json_ld():
    body = "A full article body. " * 20
    tree = parse_html(
        "<html><head><script type='application/ld+json'>"
        + json.dumps(
            {
                "@graph": [
                    {
                        "@type": "NewsArticle",
                        "articleBody": body,
                        "author": [{"@type": "Person", "name": "Ann Lee"}],
                    },
                    {"@type": "WebPage", "articleBody": "short"},
                ]
            }
        )
        + "</script></head><body><p>x</p></body></html>"
    )
    jsonld = read_jsonld(tree)
    assert stated_article_body(jsonld) == body.strip()
    assert stated_authors(jsonld, "Bob Stone; X") == ["Ann Lee", "Bob Stone"]


# --- blocks for the pipeline ---------------------------------------------------------------


def test_chosen_blocks_keep_lists_quotes_table_rows_links_and_images():
    markup = """<html><body><div>
<h2>Heading</h2><p>Intro with <a href="/a">a link</a>.</p>
<ol><li>First</li><li>Second</li></ol>
<blockquote><p>Quoted words</p></blockquote>
<img src="/pic.jpg" alt="Pic">
<table><tr><th>Name</th><th>Score</th></tr><tr><td>Ann</td><td>3</td></tr></table>
<p>End.</p></div></body></html>"""
    seg = segment(tree_of(markup))
    chosen = list(range(len(seg.blocks)))
    blocks = article_blocks(seg, chosen, "https://example.com/story")
    kinds = [(b.kind, b.text) for b in blocks]
    assert kinds == [
        ("h2", "Heading"),
        ("p", "Intro with a link."),
        (LIST_ITEM, "First"),
        (LIST_ITEM, "Second"),
        (QUOTE, "Quoted words"),
        (TABLE_ROW, "Name | Score"),
        (TABLE_ROW, "Ann | 3"),
        ("p", "End."),
    ]
    assert blocks[1].html == 'Intro with <a href="https://example.com/a">a link</a>.'
    assert blocks[2].ordered and blocks[2].group == blocks[3].group
    assert blocks[5].header and blocks[6].cells == ("Ann", "3")

    images = article_images(seg, chosen, "https://example.com/story")
    assert [(i.kind, i.src, i.alt) for i in images] == [(IMAGE, "https://example.com/pic.jpg", "Pic")]
    merged = with_images(blocks, images)
    assert merged.index(images[0]) == [b.text for b in merged].index("Name | Score") - 1


def test_images_reach_body_html_but_not_the_text():
    figure = '<figure><img src="/img/bridge.jpg" alt="The bridge" width="800" height="500"></figure>'
    pixel = '<img src="https://pixel.example.net/t.gif" width="1" height="1">'
    story = (
        "".join(f"<p>{text}</p>" for text in STORY[:2])
        + figure
        + pixel
        + "".join(f"<p>{t}</p>" for t in STORY[2:])
    )
    markup = page().replace("\n".join(f"<p>{text}</p>" for text in STORY), story)
    result = extract(markup, source="https://herald.example.com/city/bridge")
    assert '<img src="https://herald.example.com/img/bridge.jpg" alt="The bridge">' in result.body_html
    assert "pixel.example.net" not in result.body_html
    assert all(paragraph for paragraph in result.paragraphs)


# --- the cost cap --------------------------------------------------------------------------


class SteppingClock:
    """A clock that moves ``step`` seconds every time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_spent_budget_fails_with_a_clear_error_before_the_main_text():
    with pytest.raises(Exception, match="budget; stopped before reading the main text") as caught:
        extract(page(), source="https://herald.example.com/city/bridge", time_budget=0)
    assert caught.type.__name__ == "BudgetSpent"


def test_a_budget_spent_during_the_main_text_keeps_trafilatura_reading():
    # Each reading of the clock costs a second: the budget runs out while trafilatura reads.
    budget = Budget(2.5, clock=SteppingClock(1.0))
    reading = read_page(parse_html(page()), None, budget)
    assert reading.segmentation is None and reading.choice is None
    assert STORY[0] in reading.taken_text


def test_the_budget_counts_from_its_creation():
    clock = SteppingClock(0.5)
    budget = Budget(1.0, clock=clock)
    assert not budget.spent()
    assert budget.spent()
    assert budget.left() < 0


def test_a_page_with_too_many_elements_is_refused_with_a_clear_error():
    markup = "<html><body>" + "<div><span>x</span></div>" * (MAX_ELEMENTS // 2 + 10) + "</body></html>"
    with pytest.raises(ExtractionError, match="elements, over the 50,000-element limit"):
        extract(markup)


def test_elements_that_never_hold_prose_do_not_count_against_the_limit():
    icons = "<svg><g>" + "<path d='M0 0'/>" * 100 + "</g></svg>"
    story = "".join(f"<p>{text}</p>" for text in STORY)
    markup = f"<html><body><nav>{icons * (MAX_ELEMENTS // 100)}</nav><article>{story}</article></body></html>"
    assert extract(markup).paragraphs[-1] == STORY[-1]


def test_a_page_at_the_element_limit_costs_seconds_not_minutes():
    rows = "".join(f"<li><a href='/s/{i}'>Story number {i} of the archive</a></li>" for i in range(20_000))
    markup = (
        f"<html><body><ul>{rows}</ul><article>{''.join(f'<p>{t}</p>' for t in STORY)}</article></body></html>"
    )
    started = time.monotonic()
    with contextlib.suppress(ExtractionError):
        extract(markup)
    assert time.monotonic() - started < 20


def test_when_trafilatura_finds_nothing_the_densest_paragraphs_stand_in_for_its_reading():
    story = "".join(
        f"<p>Paragraph {n} of the story tells readers what the council decided on Tuesday night.</p>"
        for n in range(4)
    )
    # An unclosed aside swallows the page: trafilatura drops asides whole.
    page = f"<html><body><aside class='popup-overlay'><p>Sign up</p><div><h1>Council vote</h1>{story}</div></body></html>"
    reading = read_page(parse_html(page), None)
    assert reading.document is None
    chosen = [reading.segmentation.blocks[i].text for i in reading.choice.chosen]
    assert chosen[-4:] == [
        f"Paragraph {n} of the story tells readers what the council decided on Tuesday night."
        for n in range(4)
    ]


SLIDES = [
    (
        "Shipyard wins navy order",
        "The shipyard on the south bank won a contract to build four patrol boats, securing work for its six hundred staff until the end of the decade.",
    ),
    (
        "Airport sale delayed",
        "The sale of the regional airport was put back by a year after the only bidder asked for more time to study the state of its runway and terminal.",
    ),
    (
        "Brewery doubles output",
        "The town's oldest brewery opened a second bottling line and said it would double its output of pale ale to meet demand from supermarkets abroad.",
    ),
    (
        "Market hall reopens",
        "The covered market reopened after a two-year restoration, with forty traders returning to stalls under the repaired Victorian glass roof.",
    ),
]


def slideshow_page(*, story: bool) -> str:
    slides = "".join(
        f"<li><h2>{n}/{len(SLIDES)} {title}</h2><p>{caption}</p><p class='credits'>Getty Images</p></li>"
        for n, (title, caption) in enumerate(SLIDES, 1)
    )
    text = "".join(f"<p>{paragraph}</p>" for paragraph in STORY) if story else ""
    return (
        "<html><head><title>Council closes harbour bridge to cars</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/city'>City</a></nav><main><article>"
        f"<h1>Council closes harbour bridge to cars</h1><div class='text-wrapper'>{text}"
        f"<div class='gallery'><h2>Business news in pictures</h2><ul class='legends'>{slides}</ul></div>"
        "</div></article></main><footer>Contact us</footer></body></html>"
    )


def test_a_numbered_slideshow_of_other_stories_after_the_story_is_left_out():
    result = extract(slideshow_page(story=True))
    assert result.paragraphs[-len(STORY) :] == STORY
    assert not any(caption in result.body for _, caption in SLIDES)


def test_a_page_that_is_a_slideshow_keeps_its_slides():
    result = extract(slideshow_page(story=False))
    assert all(caption in result.body for _, caption in SLIDES)


def test_a_short_reading_that_misses_the_story_is_read_beside_the_densest_paragraphs():
    # The story sits in a wrapper whose class names comments (a comment-on-selection
    # feature), which trafilatura drops whole: it reads only the header.
    story = "".join(f"<p>{text}</p>" for text in STORY)
    markup = (
        "<html><head><title>Bridge to close</title></head><body><header><a href='/'>City Herald</a>"
        "<div class='post-header'><h1>Bridge to close to cars</h1><span>by Ann Lee</span>"
        "<span>3 min read</span></div></header>"
        f"<main><div class='post-body'><div class='commentOnSelection'>{story}</div></div></main>"
        "<footer>Contact us</footer></body></html>"
    )
    reading = read_page(parse_html(markup), None)
    assert "The city council voted" not in reading.taken_text
    assert [reading.segmentation.blocks[i].text for i in reading.choice.chosen] == STORY


def test_a_fast_reading_of_one_section_of_a_long_story_is_read_again_with_the_fallbacks():
    # The introduction sits in a content element that trafilatura's fast mode takes whole
    # (long enough not to count as a short reading); the guide's thirty sections follow in
    # a sibling element, four times as much prose, that only its fallbacks find.
    intro = "".join(
        f"<p>Paragraph {n} of the introduction says what the guide covers and why readers should care "
        "about the places it lists, with enough words to count as a paragraph of prose.</p>"
        for n in range(10)
    )
    places = "".join(
        f"<h2>Place {n}</h2><p>Place {n} is a small town on the coast whose harbour, market and old streets "
        "draw visitors all year round, and whose people are glad to tell them its history.</p>"
        f"<p>Getting there takes about {n + 1} hours by train from the capital, and the station is a short "
        "walk from the centre of town.</p>"
        for n in range(30)
    )
    markup = (
        "<html><head><title>A guide to the coast</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<main><article><h1>A guide to the coast</h1><div class='entry-content'>{intro}</div>"
        f"<div class='places'>{places}</div></article></main><footer>Contact us</footer></body></html>"
    )
    result = extract(markup)
    assert result.paragraphs[0].startswith("Paragraph 0 of the introduction")
    assert "Place 29" in result.paragraphs
    assert result.paragraphs[-1].startswith("Getting there takes about 30 hours")


def test_a_caption_between_paragraphs_of_the_story_is_left_out():
    caption = (
        "Above: The old harbour bridge seen from the north bank at dusk, with the ferry pier in the "
        "foreground. Photograph by Ann Lee."
    )
    figure = f'<figure><img src="/bridge.jpg" alt="The bridge"><figcaption>{caption}</figcaption></figure>'
    story = "\n".join(f"<p>{text}</p>" for text in STORY)
    markup = page().replace(story, story.replace(f"<p>{STORY[2]}</p>", f"{figure}\n<p>{STORY[2]}</p>"))
    assert caption in markup
    result = extract(markup, source="https://herald.example.com/city/bridge")
    assert result.paragraphs[-len(STORY) :] == STORY
    assert caption not in result.body


FARES = [("Service", "Fare"), ("Adult", "$2"), ("Child", "$1"), ("Bicycle", "$1"), ("Dog", "free"),
         ("Season ticket", "$40"), ("Night crossing", "$3"), ("Group of ten", "$15")]  # fmt: skip


def _fare_table(rows) -> str:
    head, *body = rows
    cells = "".join(f"<tr><td>{name}</td><td>{fare}</td></tr>" for name, fare in body)
    return (
        f"<table><thead><tr><th>{head[0]}</th><th>{head[1]}</th></tr></thead><tbody>{cells}</tbody></table>"
    )


def _fare_page(table_after: int, tables: int = 1, rows=FARES) -> str:
    story = "".join(
        f"<p>{text}</p>" + (_fare_table(rows) if index == table_after or index < tables - 1 else "")
        for index, text in enumerate(STORY)
    )
    return f"<html><body><article>{story}</article></body></html>"


def test_a_data_table_inside_the_story_is_kept_whole():
    segmentation = segment(tree_of(_fare_page(table_after=2)))
    texts = [block.text for block in segmentation.blocks]
    # The runs kept the story, the table's header and one stray row.
    chosen = [
        i for i, text in enumerate(texts) if text in STORY or text in ("Service", "Fare", "Dog", "free")
    ]
    whole = _with_whole_tables(segmentation, chosen)
    assert [texts[i] for i in whole] == texts
    assert article_blocks(segmentation, whole)[3].text == "Service | Fare"
    assert [block.text for block in article_blocks(segmentation, whole)][4:11] == [
        " | ".join(row) for row in FARES[1:]
    ]


def test_a_table_outside_the_story_or_repeated_for_each_item_is_not_taken_whole():
    before = segment(tree_of(_fare_page(table_after=4)))
    chosen = [i for i, block in enumerate(before.blocks) if block.text in STORY or block.text == "Adult"]
    assert _with_whole_tables(before, chosen) == chosen
    # A box of specifications under each item, the same first cell each time, is no data table of the story.
    repeated = segment(tree_of(_fare_page(table_after=-1, tables=len(STORY), rows=FARES[:3])))
    chosen = [i for i, block in enumerate(repeated.blocks) if block.text in STORY or block.text == "Adult"]
    assert _with_whole_tables(repeated, chosen) == chosen


def test_a_social_post_embedded_in_the_story_is_left_out():
    post = (
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/abc/">'
        '<div><a href="https://www.instagram.com/p/abc/">View this post on Instagram</a></div>'
        '<p><a href="https://www.instagram.com/p/abc/">A post shared by Harbour Ferries (@harbourferries)</a></p>'
        "</blockquote>"
        '<blockquote class="twitter-tweet"><p lang="en">The ferry timetable for the bridge closure is out now, '
        "with boats every twenty minutes at rush hour and every half hour in the evening.</p>"
        '&mdash; City Council (@citycouncil) <a href="https://twitter.com/x/status/1">May 8, 2024</a>'
        "</blockquote>"
    )
    story = "\n".join(f"<p>{text}</p>" for text in STORY)
    markup = page().replace(story, story.replace(f"<p>{STORY[2]}</p>", f"{post}\n<p>{STORY[2]}</p>"))
    result = extract(markup, source="https://herald.example.com/city/bridge")
    assert result.paragraphs[-len(STORY) :] == STORY
    for words in ("View this post", "A post shared by", "ferry timetable", "@citycouncil"):
        assert words not in result.body


def test_a_widgets_settings_and_a_shortcode_shown_as_text_are_left_out():
    settings = json.dumps({"layoutMobile": 2, "buttonText": "Buy now", "productTitle": {"hue": 213}})
    shortcode = '[video-player video-id="hra2qewb" name="Cleaning the harbour bridge"]'
    sample = '{"bridge": "closed", "ferry": 20}'
    widgets = (
        f'<div class="product"><span hidden="">{settings}</span></div>\n<p>{shortcode}</p>\n'
        f"<p>The council published its figures as data:</p>\n<pre><code>{sample}</code></pre>"
    )
    story = "\n".join(f"<p>{text}</p>" for text in STORY)
    markup = page().replace(story, story.replace(f"<p>{STORY[2]}</p>", f"{widgets}\n<p>{STORY[2]}</p>"))
    result = extract(markup, source="https://herald.example.com/city/bridge")
    assert "layoutMobile" not in result.body
    assert shortcode not in result.body
    assert sample in result.body
    assert result.paragraphs[-len(STORY) + 2 :] == STORY[2:]
