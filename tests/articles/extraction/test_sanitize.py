"""The body sanitiser: the allow-list passes structure, links and images; scripts, handlers and pixels go."""

import pytest

from articles.extraction.blocks import IMAGE, LIST_ITEM, PARAGRAPH, QUOTE, TABLE_ROW, Block
from articles.extraction.sanitize import (
    LINK_REL,
    is_tracking_image,
    render_blocks,
    sanitize_html,
    tracker_rules,
)

IMG = "https://cdn.gulf.example/photos/2015/aleppo.jpg"


@pytest.mark.parametrize(
    "html",
    [
        "<p>A paragraph with <em>emphasis</em>, <strong>weight</strong> and a line<br>break.</p>",
        "<h2>Heading</h2><h3>Sub-heading</h3><h4>Minor heading</h4>",
        "<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>",
        "<blockquote><p>“We are ready,” he said.</p></blockquote>",
        '<table><caption>Results</caption><thead><tr><th colspan="2">Party</th></tr></thead>'
        '<tbody><tr><td rowspan="2">A</td><td>41%</td></tr></tbody></table>',
        f'<figure><img src="{IMG}" alt="Smoke over Aleppo" width="640" height="360">'
        "<figcaption>Smoke over Aleppo.</figcaption></figure>",
    ],
)
def test_text_structure_and_images_survive_unchanged(html):
    assert sanitize_html(html) == html


def test_links_keep_http_https_and_mailto_addresses_and_get_rel():
    html = (
        '<a href="https://gulf.example/a">a</a> <a href="http://gulf.example/b">b</a> '
        '<a href="mailto:desk@gulf.example">c</a>'
    )
    clean = sanitize_html(html)
    assert clean.count(f'rel="{LINK_REL}"') == 3
    assert 'href="https://gulf.example/a"' in clean
    assert 'href="mailto:desk@gulf.example"' in clean
    assert set(LINK_REL.split()) == {"nofollow", "noopener"}


def test_a_links_own_rel_and_target_are_replaced():
    clean = sanitize_html('<a href="https://gulf.example/" rel="opener" target="_blank">x</a>')
    assert clean == f'<a href="https://gulf.example/" rel="{LINK_REL}">x</a>'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "/relative/path",
        "//gulf.example/protocol-relative",
    ],
)
def test_links_to_other_schemes_or_relative_addresses_lose_their_href(href):
    clean = sanitize_html(f'<a href="{href}">click</a>')
    assert "href" not in clean
    assert "click" in clean


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ("<style>p { color: red }</style><p>ok</p>", "<p>ok</p>"),
        ('<p>ok</p><iframe src="https://evil.example/"></iframe>', "<p>ok</p>"),
        ('<form action="/login"><input name="password"><button>Log in</button></form><p>ok</p>', "<p>ok</p>"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>ok</p>', "<p>ok</p>"),
        ("<noscript><img src='https://t.example/p.gif'></noscript><p>ok</p>", "<p>ok</p>"),
        ('<svg onload="alert(1)"><script>alert(1)</script></svg><p>ok</p>', "<p>ok</p>"),
        ("<template><p>hidden</p></template><p>ok</p>", "<p>ok</p>"),
        (
            '<p onclick="steal()" onmouseover="x()" style="position:fixed" class="lead" id="a">ok</p>',
            "<p>ok</p>",
        ),
        ("<p>ok<!-- a comment --></p>", "<p>ok</p>"),
        ("<div><span>ok</span></div>", "ok"),
        ("<h1>Title</h1>", "Title"),
        ("<p>1 &lt; 2 &amp; 3 &gt; 2</p>", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"),
    ],
)
def test_scripts_styles_frames_forms_and_handlers_are_removed(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
        "mailto:desk@gulf.example",
        "/img/relative.jpg",
        "",
    ],
)
def test_images_need_an_absolute_http_or_https_source(src):
    assert sanitize_html(f'<p>text<img src="{src}" alt="x"></p>') == "<p>text</p>"


def test_image_event_handlers_are_removed_and_the_image_kept():
    assert sanitize_html(f'<img src="{IMG}" onerror="alert(1)" alt="A">') == f'<img src="{IMG}" alt="A">'


@pytest.mark.parametrize(
    "img",
    [
        '<img src="https://gulf.example/spacer.gif" width="1" height="1">',
        '<img src="https://gulf.example/a.gif" width="0" height="0">',
        '<img src="https://gulf.example/b.png" height="2px" width="300">',
        '<img src="https://www.facebook.com/tr?id=123&amp;ev=PageView&amp;noscript=1">',
        '<img src="https://stats.g.doubleclick.net/r/collect?v=1">',
        '<img src="https://www.google-analytics.com/collect?v=1&amp;tid=UA-1">',
        '<img src="https://sb.scorecardresearch.com/p?c1=2&amp;c2=1">',
        '<img src="https://pixel.wp.com/g.gif?blog=1">',
        '<img src="https://news.gulf.example/pixel.gif?article=42">',
        '<img src="https://news.gulf.example/beacon?id=42">',
        '<img src="https://news.gulf.example/track/open.php?u=1">',
    ],
)
def test_tracking_pixels_are_removed(img):
    assert sanitize_html(f"<p>Story text.{img}</p>") == "<p>Story text.</p>"


@pytest.mark.parametrize(
    "src",
    [
        "https://cdn.gulf.example/photos/pixel-8-phone-review.jpg",
        "https://cdn.gulf.example/images/tracking-the-storm.jpg",
        "https://cdn.gulf.example/2015/beaconsfield-bridge.png",
        "https://images.facebookcdn.example/photo.jpg",
    ],
)
def test_pictures_whose_names_merely_resemble_tracker_rules_are_kept(src):
    html = f'<img src="{src}" alt="A picture" width="800" height="450">'
    assert sanitize_html(html) == html


def test_a_figure_left_empty_by_a_removed_pixel_goes_too():
    html = '<figure><img src="https://gulf.example/pixel.gif"></figure><p>Text.</p>'
    assert sanitize_html(html) == "<p>Text.</p>"


def test_image_sizes_must_be_numbers():
    clean = sanitize_html(f'<img src="{IMG}" width="100%" height="expression(alert(1))">')
    assert clean == f'<img src="{IMG}">'


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://gulf.example/">x</a><script>1</script>',
        f'<p onclick="x()">a<img src="{IMG}" width="1"><img src="{IMG}" alt="b"></p>',
        "<table><tr><td>cell</td></tr></table>",
        "<p>unclosed <b>bold <i>italic",
        '<img src="https://gulf.example/a.jpg" alt="x > y &quot;quoted&quot;">',
    ],
)
def test_sanitising_twice_changes_nothing(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once


def test_the_tracker_rules_load_from_the_data_file():
    rules = tracker_rules()
    assert "doubleclick.net" in rules.hosts
    assert rules.path is not None
    assert is_tracking_image("https://ad.doubleclick.net/ddm/activity/src=1")
    assert is_tracking_image(IMG, width="1", height="1")
    assert not is_tracking_image(IMG, width="640", height="360")


# --- Rendering blocks ---------------------------------------------------------------


def test_blocks_render_to_sanitised_markup():
    blocks = [
        Block("Intro paragraph.", PARAGRAPH),
        Block("Background", "h2"),
        Block("First point", LIST_ITEM, group=1),
        Block("Second point", LIST_ITEM, group=1),
        Block("A quoted sentence.", QUOTE, group=2),
        Block("Party | Seats", TABLE_ROW, group=3, cells=("Party", "Seats"), header=True),
        Block("A | 41", TABLE_ROW, group=3, cells=("A", "41")),
        Block(
            "Read more at the agency", PARAGRAPH, html='<a href="javascript:x()">Read more</a> at the agency'
        ),
    ]
    assert render_blocks(blocks) == (
        "<p>Intro paragraph.</p>\n<h2>Background</h2>\n<ul><li>First point</li><li>Second point</li></ul>\n"
        "<blockquote><p>A quoted sentence.</p></blockquote>\n"
        "<table><tbody><tr><th>Party</th><th>Seats</th></tr><tr><td>A</td><td>41</td></tr></tbody></table>\n"
        f'<p><a rel="{LINK_REL}">Read more</a> at the agency</p>'
    )


def test_an_image_block_renders_as_a_figure_with_its_caption():
    blocks = [
        Block("Smoke rises over Aleppo on Tuesday.", IMAGE, src=IMG, alt="Smoke over Aleppo"),
        Block("", IMAGE, src=IMG, alt=""),
        Block("Text after the pictures.", PARAGRAPH),
    ]
    assert render_blocks(blocks) == (
        f'<figure><img src="{IMG}" alt="Smoke over Aleppo"><figcaption>Smoke rises over Aleppo on Tuesday.'
        f'</figcaption></figure>\n<figure><img src="{IMG}" alt=""></figure>\n<p>Text after the pictures.</p>'
    )


@pytest.mark.parametrize(
    "src",
    [
        None,
        "javascript:alert(1)",
        "/relative.jpg",
        "https://www.google-analytics.com/collect?v=1",
        "data:image/png,x",
    ],
)
def test_an_image_block_without_a_showable_source_renders_nothing(src):
    blocks = [Block("caption", IMAGE, src=src), Block("Paragraph.", PARAGRAPH)]
    assert render_blocks(blocks) == "<p>Paragraph.</p>"


def test_an_image_block_keeps_its_source_when_its_caption_is_rewritten():
    block = Block("Caption (AFP)", IMAGE, src=IMG, alt="A").with_text("Caption")
    assert (block.kind, block.src, block.alt, block.text) == (IMAGE, IMG, "A", "Caption")


def test_markup_in_block_text_is_escaped_not_rendered():
    assert render_blocks([Block('<script>alert("x")</script>', PARAGRAPH)]) == (
        '<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>'
    )
