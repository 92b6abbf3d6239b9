"""HTML pages: main text, metadata, related links and sanitised body HTML."""

import datetime as dt

import pytest

from articles.extraction import PRECISION_MINUTE, NoArticleError, extract
from articles.extraction.html import parse_html
from articles.extraction.sanitize import sanitize_html

PARAGRAPHS = [
    "Syrian government forces backed by Russian air strikes pushed into the northern countryside of Aleppo on "
    "Tuesday, activists said, in the biggest ground offensive since Moscow began its campaign last month.",
    "The Syrian Observatory for Human Rights said the troops had taken two villages south of the city and were "
    "shelling a third, while rebel groups said they had repelled several attacks overnight.",
    "Russia’s defence ministry said its jets had flown 88 sorties in the past day and hit 86 targets belonging "
    "to what it called terrorist groups in the provinces of Aleppo, Idlib, Latakia and Damascus.",
    "The United Nations said tens of thousands of people had fled the fighting in recent days, many of them "
    "heading towards the Turkish border, where camps are already overcrowded and short of supplies.",
    "Diplomats said foreign ministers from the United States, Russia, Saudi Arabia and Turkey would meet in "
    "Vienna on Friday to discuss a political transition, the first such meeting to include Moscow.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Syrian troops push into Aleppo countryside - Gulf Daily</title>
  <meta property="og:title" content="Syrian troops push into Aleppo countryside">
  <meta property="og:site_name" content="Gulf Daily">
  <meta property="article:published_time" content="2015-10-20T14:35:00+03:00">
  <meta property="article:section" content="Middle East">
  <meta name="author" content="Staff Reporter">
  <link rel="canonical" href="https://news.example.com/world/syria-aleppo-offensive">
  <script>window.tracker = function () {{ document.cookie = "x"; }};</script>
  <style>body {{ font-family: serif; }}</style>
</head>
<body>
  <header>
    <nav><ul>
      <li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
      <li><a href="/sports">Sports</a></li><li><a href="/opinion">Opinion</a></li>
    </ul></nav>
  </header>
  <main>
    <article>
      <h1>Syrian troops push into Aleppo countryside</h1>
      <p>BEIRUT, Lebanon (AP) — {PARAGRAPHS[0]}</p>
      <p>{PARAGRAPHS[1].replace("Syrian Observatory for Human Rights", '<a href="/tags/observatory">Syrian Observatory for Human Rights</a>')}</p>
      <p onclick="steal()">{PARAGRAPHS[2]}</p>
      <script>alert("body script")</script>
      <p>{PARAGRAPHS[3].replace("United Nations", '<a href="javascript:alert(1)">United Nations</a>')}</p>
      <p>{PARAGRAPHS[4]}</p>
      <p>This news has been read 1,234 times!</p>
      <div class="share-buttons"><a href="https://facebook.com/share">Facebook</a> <a href="https://twitter.com/share">Twitter</a></div>
    </article>
    <aside class="related-posts">
      <h3>Related Articles</h3>
      <ul>
        <li><a href="/world/russia-air-strikes-syria">Russia steps up air strikes across Syria</a></li>
        <li><a href="https://news.example.com/world/vienna-talks-syria">Foreign ministers to meet in Vienna on Syria</a></li>
        <li><a href="/world/refugees-turkey-border">Thousands flee towards the Turkish border</a></li>
        <li><a href="javascript:void(0)">A link that goes nowhere at all</a></li>
        <li><a href="/world">World</a></li>
      </ul>
    </aside>
  </main>
  <footer>
    <p>© 2015 Gulf Daily. All rights reserved.</p>
    <p><a href="/privacy">Privacy Policy</a> | <a href="/terms">Terms of Use</a></p>
  </footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def result():
    return extract(
        PAGE.encode("utf-8"), content_type="text/html; charset=utf-8", source="https://news.example.com/x"
    )


def test_headline_is_the_title_without_the_site_name(result):
    assert result.headline == "Syrian troops push into Aleppo countryside"


def test_body_is_the_article_text_without_navigation_or_footer(result):
    assert result.paragraphs == PARAGRAPHS
    body = result.body
    for furniture in (
        "Home",
        "Privacy Policy",
        "All rights reserved",
        "Facebook",
        "Related Articles",
        "alert",
    ):
        assert furniture not in body


def test_dateline_agency_and_view_count_are_read_from_the_body(result):
    assert result.dateline.text == "BEIRUT, Lebanon (AP) —"
    assert result.dateline.place == "Beirut, Lebanon"
    assert result.agency == "AP"
    assert result.view_count == 1234
    assert "This news has been read 1,234 times!" in result.removed


def test_metadata_gives_a_minute_precise_published_time_with_its_zone(result):
    assert result.published == dt.datetime(2015, 10, 20, 14, 35, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert result.published_precision == PRECISION_MINUTE
    assert result.language == "en"
    assert result.canonical_url == "https://news.example.com/world/syria-aleppo-offensive"
    assert result.section == "Middle East"
    assert result.method == "fusion"


def test_related_links_are_collected_as_absolute_urls(result):
    assert [(link.url, link.text) for link in result.links] == [
        (
            "https://news.example.com/world/russia-air-strikes-syria",
            "Russia steps up air strikes across Syria",
        ),
        ("https://news.example.com/world/vienna-talks-syria", "Foreign ministers to meet in Vienna on Syria"),
        (
            "https://news.example.com/world/refugees-turkey-border",
            "Thousands flee towards the Turkish border",
        ),
    ]


def test_body_html_is_sanitised(result):
    html = result.body_html
    assert html.count("<p>") == len(PARAGRAPHS)
    for dangerous in ("<script", "onclick", "javascript:", "alert(", "<style"):
        assert dangerous not in html
    assert '<a href="https://news.example.com/tags/observatory" rel="noopener nofollow">' in html
    assert "BEIRUT" not in html


def test_markup_is_recognised_without_a_content_type():
    assert extract(PAGE).paragraphs == PARAGRAPHS


def test_a_page_without_site_name_keeps_its_whole_title():
    page = PAGE.replace('<meta property="og:site_name" content="Gulf Daily">', "").replace(
        "<title>Syrian troops push into Aleppo countryside - Gulf Daily</title>",
        "<title>Syria - the offensive</title>",
    )
    page = page.replace('<meta property="og:title" content="Syrian troops push into Aleppo countryside">', "")
    assert extract(page).headline in {"Syria - the offensive", "Syrian troops push into Aleppo countryside"}


def test_a_home_page_of_links_is_no_article():
    items = "".join(
        f'<li><a href="/story/{i}">Headline number {i} about events in the region today</a></li>'
        for i in range(60)
    )
    page = f"<html><head><title>Gulf Daily - Home</title></head><body><h1>Top stories</h1><ul>{items}</ul></body></html>"
    with pytest.raises(NoArticleError):
        extract(page)


def test_an_error_page_is_no_article():
    page = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p>The page you requested was not found on this server.</p></body></html>"
    with pytest.raises(NoArticleError):
        extract(page, content_type="text/html")


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener nofollow">x</a>'),
        ('<a href="https://a.example/">x</a>', '<a href="https://a.example/" rel="noopener nofollow">x</a>'),
        (
            '<a href="mailto:desk@example.com">x</a>',
            '<a href="mailto:desk@example.com" rel="noopener nofollow">x</a>',
        ),
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        (
            '<img src="https://a.example/i.jpg" alt="A" onerror="x()">',
            '<img src="https://a.example/i.jpg" alt="A">',
        ),
        ("<div><span>text</span></div>", "text"),
        ('<iframe src="https://evil.example"></iframe>', ""),
    ],
)
def test_sanitize_html_keeps_only_the_allow_list(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_what_follows_an_early_end_of_page_is_read_into_the_body():
    page = (
        "<html><head><title>x</title></head><body><header><a href='/'>Home</a></header></body></html>"
        "<div class='post'><p>The story starts after the theme closed the page.</p></div></body></html>"
    )
    body = parse_html(page).find("body")
    assert "The story starts after the theme closed the page." in body.text_content()


def _layout_page(story: str, wrapper: str = "") -> str:
    """A page laid out in tables inside tables, as older agency sites are, its body in ``wrapper``."""
    menu = "".join(
        f"<td><a href='/{name.lower()}'>{name}</a></td>" for name in ("Home", "Local", "Gulf", "World")
    )
    page = (
        f"<table><tr><td><table><tr>{menu}</tr></table></td></tr>"
        "<tr><td><table><tr><td class='title'>Kuwait signs desalination contract</td></tr>"
        f"<tr><td class='articleText'>{story}</td></tr></table></td>"
        "<td><table><tr><td>Most Read</td></tr><tr><td><a href='/1'>Stock exchange closes higher</a></td></tr>"
        "</table></td></tr></table>"
    )
    opening, _, closing = wrapper.partition("|")
    return f"<html><head><title>Kuwait signs desalination contract</title></head><body>{opening}{page}{closing}</body></html>"


@pytest.mark.parametrize(
    "wrapper", ["", '<form method="post" action="NewsDetails.aspx?id=1" id="aspnetForm">|</form>']
)
def test_tables_that_lay_out_the_page_become_divisions_and_a_page_wide_form_goes(wrapper):
    tree = parse_html(_layout_page("<br><br>".join(PARAGRAPHS[:3]), wrapper))
    assert tree.find(".//form") is None
    # The menu and the most-read list are tables of short cells and stay tables, as data tables do.
    assert [table.find(".//td").text_content() for table in tree.iter("table")] == ["Home", "Most Read"]
    assert tree.find(".//div[@class='articleText']") is not None


def test_a_story_laid_out_in_tables_comes_out_alone():
    article = extract(_layout_page("<br><br>".join(PARAGRAPHS), '<form id="aspnetForm">|</form>').encode())
    assert article.paragraphs == PARAGRAPHS


def test_a_search_form_stays_a_form():
    page = (
        "<html><body><form action='/search'><input name='q'><button>Search</button></form>"
        f"<article>{''.join(f'<p>{text}</p>' for text in PARAGRAPHS)}</article></body></html>"
    )
    assert parse_html(page).find(".//form") is not None


STREAMED_PAGE = f"""<html><head><title>Syrian troops push into Aleppo countryside</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article><h1>Syrian troops push into Aleppo countryside</h1>
<p>{PARAGRAPHS[0]}</p>
<!--$?--><template id="B:0"></template><div class="spinner">Loading paragraph...</div><!--/$-->
<p>{PARAGRAPHS[3]}</p>
<div><template id="P:1"></template></div>
</article></main>
<footer><p>© 2015 Gulf Daily. All rights reserved.</p></footer>
<div hidden id="S:0"><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p></div>
<script>$RC=function(b,c){{}};$RC("B:0","S:0")</script>
<div hidden id="S:1"><p>{PARAGRAPHS[4]}</p></div><script>$RS("S:1","P:1")</script>
</body></html>"""


def test_content_a_streaming_server_sent_late_is_read_where_its_script_puts_it():
    # React's streaming rendering: the story's middle arrives after the footer in a hidden
    # element that a script swaps for the "Loading" fallback.
    body = parse_html(STREAMED_PAGE).find("body")
    assert "Loading paragraph" not in body.text_content()
    assert extract(STREAMED_PAGE).paragraphs == PARAGRAPHS


def test_a_streamed_boundary_that_never_completed_keeps_its_fallback():
    page = STREAMED_PAGE.replace('$RC("B:0","S:0")', "")
    assert "Loading paragraph" in parse_html(page).find("body").text_content()
