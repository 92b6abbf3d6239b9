"""Cleanup steps: counters, furniture, duplicates, dates, repeated sentences and glued words."""

import datetime as dt

import pytest

from articles.extraction import extract
from articles.extraction.blocks import HEADING_KINDS, LIST_ITEM, TABLE_ROW, Block
from articles.extraction.cleanup import (
    drop_closing_headings,
    drop_duplicates,
    drop_furniture,
    drop_stamps,
    is_counter,
    is_furniture,
    is_stamp,
    take_view_counts,
)
from articles.extraction.dates import parse_date_value, published_from_dateline
from articles.extraction.glued import flag_glued_words
from articles.extraction.repeats import flag_repeated_sentences, split_sentences
from articles.extraction.types import PRECISION_DAY, PRECISION_MINUTE, PRECISION_UNKNOWN, Dateline

PROSE = (
    "France carried out its first air strikes against the Islamic State group in Syria on Sunday, "
    "as Russia said it was seeking a coordinated framework to fight the jihadists."
)


def blocks(*texts: str) -> list[Block]:
    return [Block(text, position=i) for i, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("This news has been read 7484 times!", 7484),
        ("This article has been viewed 12 times", 12),
        ("Read 1,234 times", 1234),
        ("Viewed 98 times", 98),
        ("Views: 5678", 5678),
        ("Views 5,678", 5678),
        ("5,678 views", 5678),
        ("👁 1 234 reads", 1234),
        ("Hits: 402", 402),
        ("(Read: 77)", 77),
        ("عدد القراءات: 350", 350),
    ],
)
def test_counter_lines_give_the_view_count(line, count):
    assert is_counter(Block(line)) == count


@pytest.mark.parametrize(
    "line",
    [
        "He read 3 books last year.",
        "The report was read 12 times in parliament before the vote was finally held, officials said on Monday.",
        "Views differ on the 2015 budget.",
        PROSE,
    ],
)
def test_other_lines_are_not_counters(line):
    assert is_counter(Block(line)) is None


def test_every_counter_line_is_removed_and_the_first_count_kept():
    removal, counts = take_view_counts(blocks("Read 10 times", PROSE, "Read 10 times"))
    assert counts == [10, 10]
    assert [b.text for b in removal.kept] == [PROSE]
    assert [b.text for b in removal.removed] == ["Read 10 times", "Read 10 times"]


@pytest.mark.parametrize(
    "line",
    [
        "Related Articles",
        "Back to top button",
        "Advt Blocker Detected",
        "Kindly disable the Ad blocker",
        "Verified by MonsterInsights",
        "» Related Articles",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Follow us on Twitter",
        "Sign up for our daily newsletter",
        "Subscribe to our newsletter",
        "© 2015 Arab Times. All rights reserved.",
        "Copyright 2015 Reuters",
        "Click here to read the full story",
        "We use cookies to improve your experience on our site.",
        "Advertisement",
        "Story continues below advertisement",
        "Read more: Putin seeks coordinated framework",
        "Previous article",
        "5 min read",
        "Tags: Syria, France, Russia",
        "Leave a comment",
        "Please disable your ad blocker to support us",
        "Learn more",
        "Jump to review",
        "Table of Contents",
        "In this article:",
        "Buy on Amazon",
        "View on Walmart Links to Walmart.com",
        "Photo courtesy of the city council",
        "Image: Reuters",
        "Photo by John Smith / AFP",
        "Grumpy Cow Studios | Getty Images",
        "Spencer Platt/Getty Images News/Getty Images",
        "Written by Jane Doe",
        "Reviewed by Hansa D. Bhargava, MD",
        "Posted in Quote of the Day",
        "Filed under Local News, Courts",
        "- Publicidad -",
        "ANZEIGE",
        "Publicité",
        "إعلان",
        "Our Standards: The Thomson Reuters Trust Principles.",
    ],
)
def test_furniture_lines_are_recognised(line):
    assert is_furniture(Block(line))


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell 5% on Monday.",
        "Related to this, the ministry said nothing.",
        "Copyright law was changed in 2019.",
        "The minister said he would follow up on Twitter complaints.",
        "Home prices rose in September.",
        "Advertising revenue fell sharply, the company said.",
        "Click fraud costs advertisers billions.",
        "He said he had read more than 100 reports.",
        "Written by hand, the note was found on Sunday.",
        "Photographers were barred from the hearing.",
        "Photos by the dozen were posted online on Sunday.",
        "Video by a bystander showed police firing tear gas.",
        "Getty Images cut 5% of its staff, the company said.",
        PROSE + " All rights reserved.",
        "Posted in Kabul in 2019, he was recalled.",
    ],
)
def test_news_sentences_are_not_furniture(line):
    assert not is_furniture(Block(line))


@pytest.mark.parametrize(
    "paragraph",
    [
        "While each product featured is independently selected by our editors, we may include paid "
        "promotion. If you buy something through our links, we may earn commission.",
        "This article includes affiliate links. These links have no influence on our editorial content.",
        "As an Amazon Associate we earn from qualifying purchases.",
        "By entering your email address you agree to our Terms of Use and Privacy Policy and consent to "
        "receive emails from us about news, events and offers.",
        "Necessary cookies are absolutely essential for the website to function properly. This category "
        "only includes cookies that ensure basic functionalities and security features of the website.",
        "We use cookies to give you the best online experience, to measure how you use our site and to "
        "show you adverts from our partners. Please let us know if you agree to all of these cookies.",
        "This website uses cookies to improve your experience while you navigate through the website.",
        "By continuing to browse, you agree to our use of cookies.",
        "If you're enjoying this article, consider supporting our award-winning journalism by subscribing.",
        "Disclaimer: This article is intended for educational and informational purposes only and is not "
        "a substitute for medical advice. Always consult a qualified healthcare professional.",
    ],
)
def test_notices_are_furniture_whatever_their_length(paragraph):
    assert is_furniture(Block(paragraph))


@pytest.mark.parametrize(
    "paragraph",
    [
        '"We will get a commission on every sale," the mayor said, adding that the council had '
        "agreed the terms with the ferry company last year.",
        "Readers were urged to subscribe to the newsletter, which the union publishes every month.",
        "The regulator said the bank uses cookies to track customers across its partners' sites.",
        "The company said it would use affiliate links on its new shopping site, a move regulators "
        "have questioned.",
        # A long paragraph that mentions a notice's wording is prose.
        " ".join([PROSE] * 6) + " We may earn a commission, the broker told the court.",
    ],
)
def test_prose_that_mentions_a_notice_is_kept(paragraph):
    assert not is_furniture(Block(paragraph))


def test_a_data_table_row_is_never_furniture():
    row = Block("Watch | Price | Battery", kind=TABLE_ROW, cells=("Watch", "Price", "Battery"))
    assert not is_furniture(row)


def test_the_short_run_after_the_article_goes_from_its_first_furniture_line():
    given = blocks(
        PROSE, "A short last line", "Related Articles", "Some related headline about Syria", "Share"
    )
    removal = drop_furniture(given)
    assert [b.text for b in removal.kept] == [PROSE, "A short last line"]
    assert [b.text for b in removal.removed] == [
        "Related Articles",
        "Some related headline about Syria",
        "Share",
    ]


def test_short_lines_at_the_end_without_furniture_stay():
    given = blocks(PROSE, "Reporting by John Smith; editing by Jane Doe")
    assert drop_furniture(given).removed == []


def test_long_duplicate_paragraphs_are_removed_short_labels_stay():
    given = blocks("Headline here", PROSE, "Pros", "Cons", "Pros", PROSE)
    removal = drop_duplicates(given, headline="Headline here")
    assert [b.text for b in removal.kept] == [PROSE, "Pros", "Cons", "Pros"]
    assert [b.text for b in removal.removed] == ["Headline here", PROSE]


@pytest.mark.parametrize(
    "line",
    [
        "May 8, 2024",
        "Updated 6:42 a.m. | Published June 3, 2024",
        "By Jonah Trask February 27, 2024",
        "Valley Courier staff · July 12, 2024",
        "Published on 17 Dec 2025, 8:02 p.m.",
        "By Jane Doe and John Roe",
    ],
)
def test_date_and_byline_lines_are_stamps(line):
    assert is_stamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "Originally published in March 2022. Last updated on December 20, 2024.",
        "By the numbers",
        "The storm hit on March 3, 2024.",
        "Key points",
    ],
)
def test_sentences_and_headings_are_not_stamps(line):
    assert not is_stamp(line)


def test_stamps_go_only_above_the_first_sentence_of_the_story():
    given = blocks(
        "Route 12 lane closures", "By Ed Marsh · March 5, 2024", PROSE, "March 16, 2026", PROSE + " Again."
    )
    removal = drop_stamps(given)
    assert [b.text for b in removal.removed] == ["By Ed Marsh · March 5, 2024"]
    assert "March 16, 2026" in [b.text for b in removal.kept]


def test_headings_the_text_ends_on_go_and_headings_inside_it_stay():
    heading = HEADING_KINDS[0]
    given = [
        Block("What happens next", kind=heading, position=0),
        Block(PROSE, position=1),
        Block("Your privacy", kind=heading, position=2),
        Block("More on this story", kind=heading, position=3),
    ]
    removal = drop_closing_headings(given)
    assert [b.text for b in removal.kept] == ["What happens next", PROSE]
    assert [b.text for b in removal.removed] == ["Your privacy", "More on this story"]


def test_a_text_of_headings_alone_is_left_to_the_page_checks():
    given = [Block("Key points", kind=HEADING_KINDS[0]), Block("Background", kind=HEADING_KINDS[0])]
    assert drop_closing_headings(given).removed == []


def test_numbers_make_paragraphs_different():
    first = "Sales rose 5 percent in the third quarter, the company said on Monday."
    second = first.replace("5", "7")
    assert drop_duplicates(blocks(first, second)).removed == []


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        (
            "2015-09-27T10:20:00+03:00",
            dt.datetime(2015, 9, 27, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            PRECISION_MINUTE,
        ),
        ("2015-09-27T10:20:33Z", dt.datetime(2015, 9, 27, 10, 20, tzinfo=dt.UTC), PRECISION_MINUTE),
        (
            "2015-09-27 10:20:00+0300",
            dt.datetime(2015, 9, 27, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            PRECISION_MINUTE,
        ),
        ("Sun, 27 Sep 2015 10:20:00 GMT", dt.datetime(2015, 9, 27, 10, 20, tzinfo=dt.UTC), PRECISION_MINUTE),
        ("2015-09-27", dt.date(2015, 9, 27), PRECISION_DAY),
        ("2015-09-27T00:00:00Z", dt.date(2015, 9, 27), PRECISION_DAY),
        ("not a date", None, PRECISION_UNKNOWN),
        ("0001-01-01", None, PRECISION_UNKNOWN),
        ("", None, PRECISION_UNKNOWN),
    ],
)
def test_metadata_dates_keep_their_time_zone_and_precision(value, expected, precision):
    assert parse_date_value(value) == (expected, precision)


@pytest.mark.parametrize(
    ("dateline", "reference", "expected"),
    [
        (Dateline("PARIS, Sept 27:", "Paris", 9, 27), dt.date(2015, 9, 28), dt.date(2015, 9, 27)),
        (Dateline("PARIS, Dec 30:", "Paris", 12, 30), dt.date(2016, 1, 2), dt.date(2015, 12, 30)),
        (Dateline("PARIS, March 3, 2015:", "Paris", 3, 3, 2015), None, dt.date(2015, 3, 3)),
        (Dateline("PARIS, Feb 30:", "Paris", 2, 30), dt.date(2015, 3, 1), None),
        (Dateline("PARIS, Sept 27:", "Paris", 9, 27), None, None),
        (Dateline("WASHINGTON (AP) —", "Washington"), dt.date(2015, 9, 28), None),
    ],
)
def test_dateline_dates_take_their_year_from_the_reference_date(dateline, reference, expected):
    published, precision = published_from_dateline(dateline, reference)
    assert published == expected
    assert precision == (PRECISION_DAY if expected else PRECISION_UNKNOWN)


def test_a_quotation_over_several_sentences_is_one_sentence():
    paragraph = "“We have proposed this. We are trying,” Putin said in an interview. Mr. Lavrov met John F. Kennedy Jr. in the U.S. Army. Then he left."
    assert split_sentences(paragraph) == [
        "“We have proposed this. We are trying,” Putin said in an interview.",
        "Mr. Lavrov met John F. Kennedy Jr. in the U.S. Army.",
        "Then he left.",
    ]


def test_near_identical_sentences_in_two_paragraphs_are_flagged():
    first = "The minister said the talks with the rebels would resume in Geneva next week after a long pause."
    again = (
        "The minister said the talks with the rebels would resume in Geneva next week after the long pause."
    )
    flags = flag_repeated_sentences(
        [f"Intro sentence here. {first}", "Something else entirely.", f"{again} Closing words."]
    )
    assert len(flags) == 1
    assert flags[0].detail == {"first": first, "again": again, "first_paragraph": 1, "again_paragraph": 3}


def test_short_common_sentences_are_not_flagged():
    paragraphs = [
        "“It is over,” he said.",
        "“It is over,” he said.",
        "He said. They agreed. It was late.",
    ] * 2
    assert flag_repeated_sentences(paragraphs) == []


def test_repeats_within_one_paragraph_are_not_flagged():
    sentence = (
        "The minister said the talks with the rebels would resume in Geneva next week after a long pause."
    )
    assert flag_repeated_sentences([f"{sentence} {sentence}"]) == []


def test_different_sentences_on_the_same_subject_are_not_flagged():
    paragraphs = [
        "Russia said it was seeking a coordinated framework to fight the jihadists in Syria and Iraq.",
        "Putin said he was seeking partners to set up a coordinated framework to fight the Islamic State group.",
    ]
    assert flag_repeated_sentences(paragraphs) == []


def test_a_name_glued_to_a_common_word_is_flagged():
    paragraphs = [
        "Iraq said it limited strikes to Iraqi territory.",
        "The purpose of an Iraqiannounced effort was unclear.",
    ]
    flags = flag_glued_words(paragraphs)
    assert [(f.text, f.detail) for f in flags] == [
        ("Iraqiannounced", {"paragraph": 2, "parts": ["Iraqi", "announced"]})
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Book fair drew crowds to bookstores across the city, the organisers said.",
        "Engineers at CloudFront and Amazon Web Services fixed the outage on Monday.",
        "He visited Kuwait and Kuwaitis welcomed him warmly, officials in Kuwait said.",
    ],
)
def test_ordinary_words_are_not_flagged_as_glued(paragraph):
    assert (
        flag_glued_words([paragraph, "Amazon and Book and Kuwait were mentioned by Cloud officials."]) == []
    )


def test_a_list_item_repeating_an_earlier_one_stays():
    # A training plan repeats the same warm-up each week; a repeated paragraph still goes.
    warm_up = "Warm up: 10-20 minutes of easy jogging, then five minutes of running drills and strides."
    weeks = "".join(
        f"<h2>Week {n}</h2><ul><li>{warm_up}</li><li>Main set: {n + 3} intervals of three minutes at race "
        "pace with two minutes of easy jogging between them.</li></ul>"
        for n in range(1, 4)
    )
    markup = (
        "<html><head><title>A ten-week plan</title></head><body><article><h1>A ten-week plan</h1>"
        f"<p>{PROSE}</p>{weeks}<p>{PROSE}</p></article></body></html>"
    )
    result = extract(markup)
    assert result.paragraphs.count(warm_up) == 3
    assert result.paragraphs.count(PROSE) == 1
    given = [
        Block(warm_up, kind=LIST_ITEM, position=0),
        Block(PROSE, position=1),
        Block(warm_up, kind=LIST_ITEM, position=2),
    ]
    assert drop_duplicates(given).removed == []


def test_a_text_message_sign_up_box_and_a_deal_caveat_in_the_story_are_left_out():
    widget = (
        '<div class="deals-signup"><p>Be the first to know!</p><p>Get our picks texted right to your phone!</p>'
        "<p>Loading... Sign Me Up</p><p>By signing up, you agree to receive recurring automated SMS marketing "
        "messages at the number provided. Msg and data rates may apply. Up to 2 messages/day. Reply STOP to "
        "opt out.</p></div>"
    )
    caveat = "Deal pricing and availability subject to change after time of publication."
    markup = (
        "<html><head><title>Laptop deal</title></head><body><article><h1>Laptop deal</h1>"
        f"<p>{caveat}</p><p>{PROSE}</p>{widget}<p>{PROSE} Both sides met again on Monday.</p>"
        "</article></body></html>"
    )
    result = extract(markup)
    assert result.paragraphs == [
        PROSE,
        "Get our picks texted right to your phone!",
        f"{PROSE} Both sides met again on Monday.",
    ]
    for words in ("Be the first", "Sign Me Up", "data rates", "Deal pricing"):
        assert words not in result.body
    # A story about such messages is prose and stays.
    story = (
        "Regulators said on Monday that shops must tell customers that message and data rates may apply "
        "before they sign them up, after a year of complaints about unwanted texts."
    )
    assert not is_furniture(Block(story))
