"""Page metadata: real pages from the dev set, and pages written to pin down the order of trust."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from articles.extraction import PRECISION_DAY, PRECISION_MINUTE, PRECISION_UNKNOWN, extract
from articles.extraction.blocks import PARAGRAPH, Block
from articles.extraction.byline import (
    credit_line,
    known_agency,
    parse_byline,
    take_credit_line,
    trailing_credit,
)
from articles.extraction.dates import parse_date_value
from articles.extraction.html import parse_html
from articles.extraction.metadata import PageMetadata, page_metadata

PAGES = Path(__file__).parent / "pages"
UTC = dt.UTC


def tz(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def real_page(name: str) -> PageMetadata:
    html = gzip.decompress((PAGES / f"{name}.html.gz").read_bytes()).decode("utf-8")
    return page_metadata(parse_html(html), None, None)


def page(
    head: str = "", body: str = "", jsonld=None, html_attrs: str = ' lang="en"', url=None
) -> PageMetadata:
    """A page written for a test: ``jsonld`` objects become script blocks, as sites write them."""
    blocks = "".join(
        f'<script type="application/ld+json">{item if isinstance(item, str) else json.dumps(item)}</script>'
        for item in (jsonld or [])
    )
    html = f"<!DOCTYPE html><html{html_attrs}><head><meta charset='utf-8'>{head}{blocks}</head><body>{body}</body></html>"
    return page_metadata(parse_html(html), None, url)


ARTICLE_BODY = (
    "<article><h1>Ministers agree on budget</h1><p>" + "The budget was agreed on Tuesday. " * 20 + "</p>"
)


# --- Real pages from the dev set ----------------------------------------------------


def test_a_blog_posting_reads_its_json_ld_newsarticle():
    meta = real_page("wcxb-0414")
    assert meta.headline == "Thoughts on Zig"
    assert meta.published == dt.datetime(2025, 8, 29, 18, 22, tzinfo=UTC)
    assert meta.published_precision == PRECISION_MINUTE
    # The JSON-LD Person is the author, even though the site bears the same name.
    assert meta.authors == ["Sam Bossley"]
    assert meta.tags == ["review", "tech", "zig"]
    assert meta.language == "en"
    assert meta.canonical_url == "https://sam.bossley.com/thoughts/25/08/thoughts-on-zig/"
    assert meta.lead_image == "https://sam.bossley.com/static/me700x700.png"


def test_ars_technica_gives_its_parsely_data_and_no_agency_for_an_author_biography():
    meta = real_page("readability-ars-1")
    assert meta.headline == "Just-released Minecraft exploit makes it easy to crash game servers"
    assert meta.published == dt.datetime(2015, 4, 16, 20, 2, tzinfo=UTC)
    assert meta.authors == ["Dan Goodin"]
    assert meta.section == "Biz & IT"
    assert "minecraft" in meta.tags
    assert not any(":" in tag for tag in meta.tags)  # parse.ly's "type: report" is for machines
    # The author's biography mentions the Associated Press; that credits nothing.
    assert meta.agency is None
    assert meta.credit is None
    assert meta.language == "en-us"
    assert meta.site_name == "Ars Technica"


def test_le_monde_gives_microdata_times_with_their_zone_and_a_french_byline_of_three():
    meta = real_page("readability-lemonde-1")
    assert meta.headline == "Le projet de loi sur le renseignement massivement approuvé à l'Assemblée"
    assert meta.published == dt.datetime(2015, 5, 4, 13, 36, tzinfo=tz(2))
    assert meta.updated == dt.datetime(2015, 5, 5, 20, 13, tzinfo=tz(2))
    # "Martin Untersinger (avec Damien Leloup et Morgane Tual)"
    assert meta.authors == ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]
    assert meta.language == "fr"


def test_heise_reads_dublin_core_and_does_not_take_the_site_for_an_author():
    meta = real_page("readability-heise")
    assert meta.headline == "1Password für Mac generiert Einmal-Passwörter"
    # <meta name="date" content="2015-04-08T12:46:00">: a time without a zone stays naive.
    assert meta.published == dt.datetime(2015, 4, 8, 12, 46)
    # DC.creator is "Mac & i", the site's own name.
    assert meta.authors == []
    assert meta.language == "de"
    assert meta.tags[:2] == ["1Password", "Mac OS X"]


def test_southern_living_skips_a_section_named_like_the_site_and_reads_the_shown_date():
    meta = real_page("wcxb-4007")
    # article:section is "Southern Living", the site; parsely-section says what the section is.
    assert meta.section == "Gardening Ideas"
    # Only the page text states the date: "Published on March 02, 2025".
    assert meta.published == dt.date(2025, 3, 2)
    assert meta.published_precision == PRECISION_DAY
    assert meta.authors == ["Mary Marlowe Leverette"]


def test_liberation_credits_afp_as_the_author_and_names_no_person():
    meta = real_page("readability-liberation-1")
    assert meta.agency == "AFP"
    assert meta.credit == "AFP"
    # The microdata author is AFP; the byline of a related story further down is not this one's.
    assert meta.authors == []
    assert meta.published == dt.datetime(2015, 4, 30, 7, 19)
    assert meta.updated == dt.datetime(2015, 4, 30, 7, 38)
    # og:image is escaped twice in the markup ("&amp;amp;").
    assert (
        meta.lead_image
        == "http://md1.libe.com/photo/755923-000_hkg10175905.jpg?modified_at=1430371146&width=750"
    )


def test_extract_carries_the_metadata_of_a_real_page():
    data = (PAGES / "readability-lemonde-1.html.gz").read_bytes()
    result = extract(gzip.decompress(data), content_type="text/html")
    assert result.published == dt.datetime(2015, 5, 4, 13, 36, tzinfo=tz(2))
    assert result.published_precision == PRECISION_MINUTE
    assert result.authors == ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]
    assert result.language == "fr"


# --- Order of trust -----------------------------------------------------------------


def test_json_ld_outranks_open_graph_and_meta_tags():
    meta = page(
        head="""
        <meta property="og:title" content="OG headline">
        <meta property="article:published_time" content="2020-01-02T10:00:00+00:00">
        <meta property="article:section" content="OG section">
        <meta name="author" content="Meta Author">""",
        jsonld=[
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": "JSON-LD headline",
                "datePublished": "2020-01-03T09:30:00+01:00",
                "articleSection": "World",
                "author": {"@type": "Person", "name": "Jane Doe"},
            }
        ],
    )
    assert meta.headline == "JSON-LD headline"
    assert meta.published == dt.datetime(2020, 1, 3, 9, 30, tzinfo=tz(1))
    assert meta.section == "World"
    assert meta.authors == ["Jane Doe"]


def test_open_graph_outranks_other_meta_tags_and_microdata():
    meta = page(
        head="""
        <meta name="parsely-pub-date" content="2020-01-01T08:00:00Z">
        <meta property="article:published_time" content="2020-01-02T10:00:00Z">
        <meta name="sailthru.author" content="Sana Hadid">
        <meta property="og:title" content="OG headline">
        <meta name="dc.title" content="DC headline">""",
        body='<span itemprop="headline">Microdata headline</span><time itemprop="datePublished" datetime="2019-12-31T12:00:00Z"></time>',
    )
    assert meta.headline == "OG headline"
    assert meta.published == dt.datetime(2020, 1, 2, 10, 0, tzinfo=UTC)
    assert meta.authors == ["Sana Hadid"]


def test_each_field_falls_back_to_the_next_source_that_states_it():
    meta = page(
        head="""<title>Title headline</title>
        <meta name="dc.date.issued" content="2021-06-01">
        <meta name="dc.creator" content="Ada Lovelace">
        <meta name="dc.language" content="en-GB">
        <meta name="sailthru.tags" content="science, computing">""",
        html_attrs="",
    )
    assert meta.headline == "Title headline"
    assert meta.published == dt.date(2021, 6, 1)
    assert meta.authors == ["Ada Lovelace"]
    assert meta.language == "en-gb"
    assert meta.tags == ["science", "computing"]


def test_a_page_stating_nothing_gives_empty_metadata():
    meta = page(body="<p>Just some text on a page.</p>", html_attrs="")
    assert meta == PageMetadata()


# --- JSON-LD shapes -----------------------------------------------------------------


def test_a_json_ld_graph_is_read_with_its_references_resolved():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://gulf.example/#website", "name": "Gulf Daily"},
            {
                "@type": "WebPage",
                "@id": "https://gulf.example/a/#webpage",
                "name": "Web page name",
                "datePublished": "2019-01-01T00:00:00+00:00",
            },
            {
                "@type": ["Article", "NewsArticle"],
                "headline": "Graph headline",
                "datePublished": "2021-03-04T05:06:07+04:00",
                "dateModified": "2021-03-05T08:00:00+04:00",
                "author": [
                    {"@id": "https://gulf.example/#/person/1"},
                    {"@id": "https://gulf.example/#/person/2"},
                ],
                "image": {"@id": "https://gulf.example/a/#primaryimage"},
                "keywords": ["Oil", "Opec"],
                "articleSection": ["Business", "Energy"],
                "inLanguage": "en-US",
                "isPartOf": {"@id": "https://gulf.example/a/#webpage"},
            },
            {"@type": "Person", "@id": "https://gulf.example/#/person/1", "name": "Jane Doe"},
            {
                "@type": "Person",
                "@id": "https://gulf.example/#/person/2",
                "givenName": "John",
                "familyName": "Roe",
            },
            {
                "@type": "ImageObject",
                "@id": "https://gulf.example/a/#primaryimage",
                "url": "https://gulf.example/img/oil.jpg",
            },
        ],
    }
    meta = page(jsonld=[graph], html_attrs="")
    assert meta.headline == "Graph headline"
    assert meta.published == dt.datetime(2021, 3, 4, 5, 6, tzinfo=tz(4))
    assert meta.updated == dt.datetime(2021, 3, 5, 8, 0, tzinfo=tz(4))
    assert meta.authors == ["Jane Doe", "John Roe"]
    assert meta.lead_image == "https://gulf.example/img/oil.jpg"
    assert meta.tags == ["Oil", "Opec"]
    assert meta.section == "Business"
    assert meta.language == "en-us"
    assert meta.site_name == "Gulf Daily"


@pytest.mark.parametrize(
    "article_type",
    ["NewsArticle", "ReportageNewsArticle", "Article", "BlogPosting", "http://schema.org/NewsArticle"],
)
def test_every_article_type_is_read_whatever_comes_before_it(article_type):
    blocks = [
        [
            {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "name": "Home"}]},
            {"@type": "Organization", "name": "Gulf Daily", "url": "https://gulf.example/"},
            {"@type": article_type, "headline": "Typed headline", "datePublished": "2022-02-02"},
        ]
    ]
    meta = page(jsonld=blocks)
    assert meta.headline == "Typed headline"
    assert meta.published == dt.date(2022, 2, 2)


def test_a_news_article_beats_the_web_page_around_it_and_the_canonical_one_wins():
    meta = page(
        head='<link rel="canonical" href="https://gulf.example/news/b">',
        jsonld=[
            {"@type": "WebPage", "name": "Page", "datePublished": "2010-01-01"},
            {"@type": "NewsArticle", "headline": "Other story", "url": "https://gulf.example/news/a"},
            {"@type": "NewsArticle", "headline": "This story", "url": "https://gulf.example/news/b"},
        ],
    )
    assert meta.headline == "This story"


def test_broken_json_ld_is_repaired_or_skipped():
    repaired = page(
        jsonld=[
            '<!--\n{"@type": "NewsArticle", "headline": "Line\nbreak &amp; comma", "author": "Jane Doe",}\n-->'
        ]
    )
    assert repaired.headline == "Line break & comma"
    assert repaired.authors == ["Jane Doe"]
    skipped = page(
        head='<meta property="og:title" content="OG wins">', jsonld=['{"@type": "NewsArticle", "headline": ']
    )
    assert skipped.headline == "OG wins"


def test_a_truncated_json_ld_headline_is_completed_from_open_graph():
    whole = "Opec agrees to cut oil output for the first time since 2008 as prices slump to a decade low"
    meta = page(
        head=f'<meta property="og:title" content="{whole}">',
        jsonld=[{"@type": "NewsArticle", "headline": whole[:60] + "…"}],
    )
    assert meta.headline == whole


# --- Headline and site name ---------------------------------------------------------


def test_the_site_name_is_taken_off_the_title():
    meta = page(
        head='<title>Putin seeks framework | Arab Times</title><meta property="og:site_name" content="Arab Times">'
    )
    assert meta.headline == "Putin seeks framework"


def test_a_title_that_is_only_the_site_name_is_not_the_headline():
    # Error pages keep the site's default og:title; their <title> says what they are.
    meta = page(
        head="""<meta property="og:title" content="Gulf Daily"><meta property="og:site_name" content="Gulf Daily">
        <title>Page not found | Gulf Daily</title>"""
    )
    assert meta.headline == "Page not found"


# --- Dates and time zones -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2015-04-16T20:02:01+0530", dt.datetime(2015, 4, 16, 20, 2, tzinfo=tz(5.5)), PRECISION_MINUTE),
        ("2015-04-16 20:02:01 +02:00", dt.datetime(2015, 4, 16, 20, 2, tzinfo=tz(2)), PRECISION_MINUTE),
        ("2015-04-16T20:02:01.000Z", dt.datetime(2015, 4, 16, 20, 2, tzinfo=UTC), PRECISION_MINUTE),
        ("20150416T200201Z", dt.datetime(2015, 4, 16, 20, 2, tzinfo=UTC), PRECISION_MINUTE),
        ("20150416", dt.date(2015, 4, 16), PRECISION_DAY),
        ("2015/04/16 20:02", dt.datetime(2015, 4, 16, 20, 2), PRECISION_MINUTE),
        ("Apr 16, 2015 8:02 pm UTC", dt.datetime(2015, 4, 16, 20, 2, tzinfo=UTC), PRECISION_MINUTE),
        ("April 16, 2015 at 8:02 a.m. EDT", dt.datetime(2015, 4, 16, 8, 2, tzinfo=tz(-4)), PRECISION_MINUTE),
        (
            "Thursday 16 April 2015 20:02 GMT+3",
            dt.datetime(2015, 4, 16, 20, 2, tzinfo=tz(3)),
            PRECISION_MINUTE,
        ),
        ("Published on March 02, 2025", dt.date(2025, 3, 2), PRECISION_DAY),
        ("Updated: 16th of April 2015", dt.date(2015, 4, 16), PRECISION_DAY),
        # IST is India's or Ireland's: an ambiguous zone leaves the time naive.
        ("16 April 2015 20:02 IST", dt.datetime(2015, 4, 16, 20, 2), PRECISION_MINUTE),
        ("Aprilis 16, 2015", None, PRECISION_UNKNOWN),
        ("February 30, 2015", None, PRECISION_UNKNOWN),
        ("2015-04-16T25:61:00", None, PRECISION_UNKNOWN),
    ],
)
def test_dates_are_read_in_the_forms_pages_write_them(value, expected, precision):
    assert parse_date_value(value) == (expected, precision)


def test_a_bare_day_gains_the_time_of_a_less_trusted_source_on_the_same_day():
    meta = page(
        head='<meta property="article:published_time" content="2021-06-01T14:30:00+03:00">',
        jsonld=[{"@type": "NewsArticle", "datePublished": "2021-06-01"}],
    )
    assert meta.published == dt.datetime(2021, 6, 1, 14, 30, tzinfo=tz(3))
    assert meta.published_precision == PRECISION_MINUTE


def test_a_less_trusted_source_on_another_day_changes_nothing():
    meta = page(
        head='<meta property="article:published_time" content="2021-06-02T14:30:00+03:00">',
        jsonld=[{"@type": "NewsArticle", "datePublished": "2021-06-01"}],
    )
    assert meta.published == dt.date(2021, 6, 1)
    assert meta.published_precision == PRECISION_DAY


def test_a_naive_time_gains_the_zone_of_the_same_time_elsewhere():
    meta = page(
        head='<meta property="article:published_time" content="2021-06-01T14:30:00">',
        body='<article><time datetime="2021-06-01T14:30:00-05:00">June 1</time></article>',
    )
    assert meta.published == dt.datetime(2021, 6, 1, 14, 30, tzinfo=tz(-5))


def test_an_update_before_publication_is_dropped():
    meta = page(
        head="""<meta property="article:published_time" content="2021-06-02T10:00:00Z">
        <meta property="article:modified_time" content="2021-06-01T10:00:00Z">"""
    )
    assert meta.published == dt.datetime(2021, 6, 2, 10, 0, tzinfo=UTC)
    assert meta.updated is None


def test_time_elements_in_the_byline_give_published_and_updated_times():
    meta = page(
        body="""<div class="byline">By Jane Doe
        <time class="published" datetime="2021-06-01T09:15:00+02:00">1 June</time>
        <time class="updated" datetime="2021-06-01T17:40:00+02:00">updated</time></div>"""
    )
    assert meta.published == dt.datetime(2021, 6, 1, 9, 15, tzinfo=tz(2))
    assert meta.updated == dt.datetime(2021, 6, 1, 17, 40, tzinfo=tz(2))


# --- Authors ------------------------------------------------------------------------


def test_several_authors_in_json_ld_are_kept_in_order():
    meta = page(
        jsonld=[
            {
                "@type": "NewsArticle",
                "author": [
                    {"@type": "Person", "name": "Jane Doe"},
                    {"@type": "Person", "name": "John Roe"},
                    {"@type": "Person", "name": "Jane Doe"},
                ],
            }
        ]
    )
    assert meta.authors == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("byline", "authors", "credit"),
    [
        ("By Jane Doe, Reuters", ["Jane Doe"], "Reuters"),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"], None),
        ("By JANE DOE, JOHN ROE and Ali Hassan", ["Jane Doe", "John Roe", "Ali Hassan"], None),
        ("Jane Doe | Senior Correspondent | Agence France-Presse", ["Jane Doe"], "Agence France-Presse"),
        ("By Jane Doe, The Washington Post", ["Jane Doe"], "The Washington Post"),
        (
            "Par Martin Untersinger (avec Damien Leloup et Morgane Tual)",
            ["Martin Untersinger", "Damien Leloup", "Morgane Tual"],
            None,
        ),
        ("By Ludwig van Beethoven - 16 April 2015, 8:02 pm", ["Ludwig van Beethoven"], None),
        ("Brenda Goodman, MA", ["Brenda Goodman"], None),
        ("Photo: Jane Doe/AFP", [], None),
        ("By محمد الأحمد", ["محمد الأحمد"], None),
        (
            "Dan is the Security Editor at Ars Technica, which he joined after working for the Associated Press",
            [],
            None,
        ),
    ],
)
def test_bylines_are_split_into_people_and_credits(byline, authors, credit):
    parsed = parse_byline(byline)
    assert parsed.authors == authors
    assert parsed.credits[:1] == ([credit] if credit else [])


def test_a_visible_byline_is_read_when_nothing_else_names_the_author():
    meta = page(body='<div class="article-byline">By Jane Doe and John Roe, Reuters</div>' + ARTICLE_BODY)
    assert meta.authors == ["Jane Doe", "John Roe"]
    assert meta.agency == "Reuters"
    assert meta.credit == "Reuters"


def test_bylines_in_comments_and_teasers_are_not_the_articles():
    meta = page(
        body=ARTICLE_BODY
        + """<div class="comments"><div class="comment-author">By Angry Reader</div></div>
        <ul class="related-stories"><li><span class="byline">By Other Writer</span></li></ul>"""
    )
    assert meta.authors == []


def test_a_meta_author_that_is_a_profile_link_is_not_a_name():
    meta = page(
        head="""<meta property="article:author" content="https://www.facebook.com/gulfdaily">
        <meta name="author" content="Jane Doe">"""
    )
    assert meta.authors == ["Jane Doe"]


def test_an_organisation_as_author_is_a_credit_and_leaves_no_person():
    meta = page(
        head='<meta name="author" content="Desk Editor Person">',
        jsonld=[
            {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "The Associated Press"}}
        ],
    )
    assert meta.authors == []
    assert meta.agency == "AP"
    assert meta.credit == "The Associated Press"


# --- Credits and agencies -----------------------------------------------------------


def test_json_ld_source_organization_names_the_agency():
    meta = page(
        jsonld=[
            {
                "@type": "NewsArticle",
                "author": {"@type": "Person", "name": "Jane Doe"},
                "sourceOrganization": {"@type": "Organization", "name": "Agence France-Presse"},
                "publisher": {"@type": "Organization", "name": "Gulf Daily"},
            }
        ]
    )
    assert meta.authors == ["Jane Doe"]
    assert meta.agency == "AFP"
    assert meta.credit == "Agence France-Presse"


def test_the_publisher_names_an_agency_only_when_it_is_one():
    agency_site = page(
        jsonld=[{"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Reuters"}}]
    )
    assert agency_site.agency == "Reuters"
    newspaper = page(
        jsonld=[{"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Gulf Daily"}}]
    )
    assert newspaper.agency is None
    assert newspaper.credit is None


@pytest.mark.parametrize(
    ("paragraph", "agency"),
    [("(Reuters)", "Reuters"), ("— AFP", "AFP"), ("-- Associated Press", "AP"), ("Source: KUNA", "KUNA")],
)
def test_a_credit_line_paragraph_names_the_agency(paragraph, agency):
    meta = page(body=ARTICLE_BODY + f"<p>{paragraph}</p></article>")
    assert meta.agency == agency


def test_a_specific_agency_beats_a_catch_all_credit():
    meta = page(
        body='<div class="byline">By Jane Doe, Staff Writer</div>' + ARTICLE_BODY + "<p>(Reuters)</p>"
    )
    assert meta.agency == "Reuters"


def test_photo_credits_and_menu_items_credit_nothing():
    meta = page(
        body='<nav><p><a href="/agencies">Agencies</a></p></nav>'
        + ARTICLE_BODY
        + '<figure><img src="https://gulf.example/a.jpg"><figcaption><p>(Reuters)</p></figcaption></figure>'
        + '<p class="credits">Reuters/Corbis</p>'
    )
    assert meta.agency is None


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("AFP", "AFP"),
        ("Agence France-Presse", "AFP"),
        ("AFP/Reuters", "AFP"),
        ("AP and Reuters", "AP"),
        ("AA", "Anadolu"),
        ("dpa", "dpa"),
        ("Aa", None),  # a font-size button, not Anadolu
        ("Ana", None),  # a first name, not ANA-MPA
        ("Staff and doctors are always nice", None),
        ("The Washington Post", None),
    ],
)
def test_known_agencies_are_matched_strictly(text, agency):
    assert known_agency(text) == agency


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("(Reuters)", "Reuters"),
        ("— AFP", "AFP"),
        ("© AFP 2015", "AFP"),
        ("Additional reporting by Reuters", "Reuters"),
        ("Reuters contributed to this report.", "Reuters"),
        ("— John", None),
        ("(The rest of the story)", None),
    ],
)
def test_credit_lines_are_recognised(text, agency):
    line = credit_line(text)
    assert (line.agency if line else None) == agency


def test_a_credit_that_ends_the_last_paragraph_is_split_off():
    line = trailing_credit("The talks will resume on Monday, the minister said. — AFP")
    assert (line.agency, line.line, line.rest) == (
        "AFP",
        "— AFP",
        "The talks will resume on Monday, the minister said.",
    )
    assert trailing_credit("He was speaking to the Islamic State (IS).") is None


def test_take_credit_line_removes_a_closing_credit_from_the_blocks():
    blocks = [Block("First paragraph of the story.", PARAGRAPH), Block("AFP", PARAGRAPH)]
    assert take_credit_line(blocks).agency == "AFP"
    assert [b.text for b in blocks] == ["First paragraph of the story."]
    blocks = [Block("The minister said so on Monday. (Reuters)", PARAGRAPH)]
    assert take_credit_line(blocks).line == "(Reuters)"
    assert [b.text for b in blocks] == ["The minister said so on Monday."]
    blocks = [Block("An ordinary closing sentence.", PARAGRAPH)]
    assert take_credit_line(blocks) is None
    assert [b.text for b in blocks] == ["An ordinary closing sentence."]


# --- Other fields -------------------------------------------------------------------


def test_a_json_ld_dateline_is_read():
    meta = page(jsonld=[{"@type": "NewsArticle", "dateline": "BEIRUT"}])
    assert meta.dateline.place == "Beirut"


def test_a_canonical_link_to_the_home_page_is_a_template_bug_and_ignored():
    meta = page(
        head="""<link rel="canonical" href="https://gulf.example/">
        <meta property="og:url" content="https://gulf.example/news/2021/budget">""",
        url="https://gulf.example/news/2021/budget?utm_source=x",
    )
    assert meta.canonical_url == "https://gulf.example/news/2021/budget"


def test_the_lead_image_is_absolute_and_never_a_tracking_pixel():
    meta = page(
        head="""<link rel="canonical" href="https://gulf.example/news/a">
        <meta property="og:image" content="https://www.facebook.com/tr?id=1&ev=PageView">
        <meta name="twitter:image" content="/img/lead.jpg">"""
    )
    assert meta.lead_image == "https://gulf.example/img/lead.jpg"


def test_tags_come_from_the_most_trusted_source_that_has_any():
    meta = page(
        head="""<meta property="article:tag" content="Syria"><meta property="article:tag" content="Aleppo">
        <meta name="keywords" content="news, breaking, syria, world">"""
    )
    assert meta.tags == ["Syria", "Aleppo"]
