"""Site furniture in the pure package: candidate lines, number-folded keys, removal at cleanup; the
furniture of many sites' plain-text pages and their layout around the story."""

import pytest

from articles.extraction import extract
from articles.extraction.blocks import Block
from articles.extraction.cleanup import (
    MAX_SITE_FURNITURE_WORDS,
    candidate_lines,
    drop_furniture,
    furniture_key,
    is_counter,
    is_furniture,
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


# --- the furniture of many sites' plain-text pages, and their layout around the story


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("Read 87 times", 87),
        ("1,018 views", 1018),
        ("2.3K views", 2300),
        ("2.3k Views", 2300),
        ("1,2K views", 1200),
        ("12K views", 12000),
        ("1.2M views", 1_200_000),
        ("Views: 9,120", 9120),
        ("👁 415", 415),
        ("👁️ 2.3K", 2300),
        ("👀 87 views", 87),
        ("🔥 1.5K views", 1500),
        # A counter sharing its line with the date or the byline.
        ("Oct 5, 2023 | 1,018 views", 1018),
        ("05/10/2023 11:42 | Read 87 times", 87),
        ("By Jane Doe · 2.3K views", 2300),
        ("Bogotá | 05/10/2023 - 18:20 GMT | 1,018 views", 1018),
    ],
)
def test_counter_forms_give_the_legacy_view_count(line, count):
    assert is_counter(Block(line)) == count


@pytest.mark.parametrize(
    "line",
    [
        "415",
        "2.3K",
        "Oil output rose to 2.3K barrels a day, the ministry said.",
        "The ministry said sales rose sharply. | 1,018 views",
        "1,018 views | 2,000 reads",
    ],
)
def test_numbers_that_are_no_counter_lines(line):
    assert is_counter(Block(line)) is None


@pytest.mark.parametrize(
    "line",
    [
        # Consent banners and their buttons.
        "This website uses cookies to improve your experience. By continuing to browse the site you "
        "are agreeing to our use of cookies.",
        "We use cookies to personalise content and ads, to provide social media features and to analyse "
        "our traffic. You can change your preferences at any time.",
        "Got it!",
        "Accept All",
        "Manage preferences",
        "Not now",
        "I agree",
        # Newsletter and app pleas, share rows.
        "Get a daily digest of breaking business news straight to your inbox with the Reuters Business "
        "newsletter. Sign up here.",
        "Never miss a story: follow Khaleej Times on Google News",
        "Download The Economic Times News App to get Daily Market Updates & Live Business News.",
        "Available on the App Store",
        "Share: Facebook | Twitter | WhatsApp",
        "Follow Gulf News on WhatsApp Channel",
        "Sign in to unlock member-only benefits!",
        "Sign up for our daily briefing newsletter to get the region's top stories before breakfast",
        # Skip links of the page's accessibility menu.
        "Skip to main menu",
        "Skip to search",
        "Skip next section More on this topic",
        "The Harbour Courier uses cookies and similar technologies to personalise your experience and "
        "measure our audience.",
        # Wire copy's own marks and the page's captions.
        "(ATTN: UPDATES with details in paras 2-3)",
        "ksy@yna.co.kr",
        "ab/dpb",
        "Ortega covers climate and energy for The Associated Press.",
        "Cars wait to be loaded onto a ship at a port in Yantai, east China's Shandong Province, "
        "Oct. 4, 2023. (Xinhua/Tang Ke)",
        "Buses on a dedicated lane in Al Mankhool. Image Credit: Gulf News Archive",
        "(This story has not been edited by Economic Times staff and is auto-generated from a syndicated feed.)",
        "© EFE 2023. Queda expresamente prohibida la redistribución y la redifusión de todo o parte de los "
        "contenidos de los servicios de Efe, sin previo y expreso consentimiento de la Agencia EFE S.A.",
    ],
)
def test_site_furniture_of_news_pages_is_recognised_on_text_pages(line):
    assert is_furniture(Block(line), text_page=True)


@pytest.mark.parametrize(
    "line",
    [
        "Residents can download the app from the ministry's website, officials said.",
        "The cabinet agreed to accept the offer.",
        "Kuwait, Egypt sign memorandum on labour cooperation",
        "He said cookies and sweets would be banned from school canteens next year under the new rules.",
        "The watchdog said the retailer uses cookies to track shoppers across other sites without asking.",
        "Fans who skip to the final chapter will miss the best of the book, the critic wrote.",
    ],
)
def test_news_lines_are_no_site_furniture(line):
    assert not is_furniture(Block(line), text_page=True)


def test_the_text_pages_rules_leave_html_pages_alone():
    # An HTML page's reading has left its buttons and captions out already; a line that is
    # left is the page's own, as the extraction benchmark's truth keeps it.
    assert is_furniture(Block("Got it!"), text_page=True)
    assert not is_furniture(Block("Got it!"))
    assert not is_furniture(Block("Automatic thread cutter (with on/off capability)"))


WIRE_LEAD = (
    "KUWAIT, Oct 5 (KUNA) -- The Kuwaiti Cabinet approved on Thursday a draft law unifying pay scales "
    "across government bodies, a minister said."
)
WIRE_NEXT = "The draft replaces forty separate salary tables with a single grid, the minister told reporters."
WIRE_PAGE = f"""Kuwait News Agency (KUNA)
The Gulf's oldest news agency since 1976
Home
Local
Arab
International

Cabinet approves draft law on pay scales

Politics
05/10/2023 11:42
Read 87 times
Staff Report

{WIRE_LEAD}

Related News
Amir receives new ambassadors
Assembly committee discusses housing bill

{WIRE_NEXT}

(end)
ab.rk

Related News
Kuwait, Egypt sign labour memorandum
All rights reserved © Kuwait News Agency (KUNA) 2023
"""


def test_a_text_page_reads_its_headline_below_the_masthead_menu_and_tagline():
    result = extract(WIRE_PAGE)

    assert result.headline == "Cabinet approves draft law on pay scales"
    assert result.removed[:6] == [
        "Kuwait News Agency (KUNA)",
        "The Gulf's oldest news agency since 1976",
        "Home",
        "Local",
        "Arab",
        "International",
    ]


def test_a_text_page_removes_its_header_teasers_and_everything_after_the_end_mark():
    result = extract(WIRE_PAGE)

    assert result.paragraphs == [WIRE_LEAD.split(" -- ", 1)[1], WIRE_NEXT]
    assert result.view_count == 87
    assert result.removed[6:] == [
        "Politics",
        "05/10/2023 11:42",
        "Read 87 times",
        "Staff Report",
        "Related News",
        "Amir receives new ambassadors",
        "Assembly committee discusses housing bill",
        "(end)",
        "ab.rk",
        "Related News",
        "Kuwait, Egypt sign labour memorandum",
        "All rights reserved © Kuwait News Agency (KUNA) 2023",
    ]


def test_a_byline_or_end_mark_credits_the_agency_when_no_dateline_does():
    story = "The Japanese government will subsidise rooftop solar panels for small businesses, sources said."
    page = f"Kyodo News\n\nJapan to subsidise rooftop solar\n\nKYODO NEWS - Oct 5, 2023 - 19:30 | All, Japan\n\n{story}\n"
    assert extract(page).agency == "Kyodo"

    page = f"Daily Sabah\n\nCentral bank holds forecast\n\n{story}\n\nSource: AA\nRecommended\nExports hit record\n"
    result = extract(page)
    assert (result.agency, result.paragraphs) == ("Anadolu", [story])

    # The site's own staff is no agency, nor is the agency a picture's caption credits.
    assert extract(f"Gulf News\n\nBus lanes to open\n\nStaff Report, Gulf News\n\n{story}\n").agency is None
    caption = "Buses on a dedicated lane in Al Mankhool. — AFP"
    assert extract(f"Gulf News\n\nBus lanes to open\n\n{caption}\n\n{story}\n").agency is None
    assert (
        extract(f"Gulf News\n\nBus lanes to open\n\nStaff Writer, with inputs from AFP\n\n{story}\n").agency
        == "AFP"
    )


@pytest.mark.parametrize(
    ("end", "agency"),
    [
        # A dashed sign-off ends the story whatever follows it: here the agency's description of itself.
        (
            "-- ANTARA\n\nANTARA delivers trusted news around the clock to newspapers, "
            "broadcasters and websites in forty countries through its wire, radio and television services.",
            "Antara",
        ),
        ("— AFP\n\nThe agency's reports reach subscribers in 150 countries every day of the year.", "AFP"),
        # The editors' initials, then the agencies that supplied the story.
        ("ht/lm (AFP, Reuters)\n\nWe welcome your thoughts on this story.", "AFP"),
        ("jw (dpa)\n\nWe welcome your thoughts on this story.", "dpa"),
        # A syndication note, then the site's plea to read more.
        (
            "(This article has not been edited by Courier staff and is published from a syndicated feed.)\n\n"
            "Read the latest city news along with breaking stories from across the region.",
            None,
        ),
        # The print edition's note, then the comment rules and the comment count.
        (
            "Published in The Harbour Courier, March 3rd, 2025.\n\nCOMMENTS (5)\n\n"
            "Comments are moderated and will appear once a moderator has approved them.",
            None,
        ),
    ],
)
def test_a_sign_off_ends_the_story_and_credits_its_agency(end, agency):
    story = "The Japanese government will subsidise rooftop solar panels for small businesses, sources said."
    result = extract(f"Harbour Courier\n\nJapan to subsidise rooftop solar\n\n{story}\n\n{end}\n")

    assert result.paragraphs == [story]
    assert result.agency == agency
    assert result.removed[1:] == [line for line in end.split("\n") if line]


def test_a_dateline_paragraph_after_a_standfirst_starts_the_story():
    page = (
        "Gulf News\n\nRTA to open more bus lanes\n\n"
        "Dedicated lanes on three more roads will cut journey times by up to 20 minutes.\n\n"
        "Dubai: The Roads and Transport Authority will open dedicated bus lanes on three more roads next month.\n"
    )
    result = extract(page)

    assert result.dateline.text == "Dubai:"
    assert result.paragraphs == [
        "The Roads and Transport Authority will open dedicated bus lanes on three more roads next month."
    ]
    assert result.removed == [
        "Gulf News",
        "Dedicated lanes on three more roads will cut journey times by up to 20 minutes.",
    ]


def test_a_question_is_the_headline_not_the_story():
    page = (
        "Kuwait Times\nKuwait\nBusiness\n\nIs Kuwait ready for electric buses after a decade of delays?\n\n"
        f"{WIRE_LEAD}\n"
    )
    assert extract(page).headline == "Is Kuwait ready for electric buses after a decade of delays?"


def test_a_hard_wrapped_paragraph_is_joined_but_short_footer_lines_are_not():
    page = (
        "Ceasefire extended\n\n"
        "Bogota, Oct 5 (EFE).- The Colombian government and the ELN guerrilla group\n"
        "agreed on Thursday to extend their bilateral ceasefire for three more\n"
        "months, the two delegations said in a joint statement.\n\n"
        "Reporting by Jane Doe; Editing by John Roe\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n"
    )
    result = extract(page)

    assert result.paragraphs == [
        "The Colombian government and the ELN guerrilla group agreed on Thursday to extend their "
        "bilateral ceasefire for three more months, the two delegations said in a joint statement."
    ]
    assert result.removed == [
        "Reporting by Jane Doe; Editing by John Roe",
        "Our Standards: The Thomson Reuters Trust Principles.",
    ]


def test_a_banner_and_its_button_on_the_next_line_stay_two_lines():
    page = (
        "Harbour ferry timetable changes\n\n"
        f"{WIRE_LEAD}\n\n"
        "This website uses cookies so that we can give you the best experience of our pages.\n"
        "Got it\n\n"
        "The Harbour Courier uses cookies to improve your experience on our site. Read our cookie policy.\n"
        "Accept\n\n"
        "We use cookies to keep our pages quick and to remember the stories you read.\n"
        "Got it!\n"
    )
    assert extract(page).removed == [
        "This website uses cookies so that we can give you the best experience of our pages.",
        "Got it",
        "The Harbour Courier uses cookies to improve your experience on our site. Read our cookie policy.",
        "Accept",
        "We use cookies to keep our pages quick and to remember the stories you read.",
        "Got it!",
    ]


@pytest.mark.parametrize(
    ("top", "headline"),
    [
        # A title-case headline of three or four words below a masthead and its menu.
        (
            "KUNA\nKuwait News Agency (KUNA)\nLocal\nArab\n\nAmir Receives New Envoys\n\nPolitics\n",
            "Amir Receives New Envoys",
        ),
        # A title bar, or a breadcrumb ending with the headline, above the headline itself.
        (
            "Cabinet approves draft law on pay - KUNA\n\nKUNA\n\nCabinet approves draft law on pay\n",
            "Cabinet approves draft law on pay",
        ),
        (
            "Home > Local > Cabinet approves draft law on pay\n\nCabinet approves draft law on pay\n",
            "Cabinet approves draft law on pay",
        ),
        # Prayer times and a date bar are no headline.
        (
            "Kuwait Times\nThursday, October 5, 2023\nFajr 04:32 | Dhuhr 11:43 | Asr 15:07 | Maghrib 17:34\n\n"
            "Cabinet approves draft law on pay\n",
            "Cabinet approves draft law on pay",
        ),
        # A tagline over the site's date bar and its menu.
        (
            "Harbour Courier\nThe coast's favourite morning paper\nThursday, October 5, 2023\nHome\nLocal\n"
            "Business\nSport\n\nCabinet approves draft law on pay\n",
            "Cabinet approves draft law on pay",
        ),
        # A menu run together on one line.
        (
            "Home World Business Sport Opinion Lifestyle\n\nCabinet approves draft law on pay\n",
            "Cabinet approves draft law on pay",
        ),
    ],
)
def test_the_headline_is_found_below_the_sites_lines(top, headline):
    result = extract(f"{top}\n{WIRE_LEAD}\n")

    assert result.headline == headline
    assert headline not in result.removed
    assert result.paragraphs == [WIRE_LEAD.split(" -- ", 1)[1]]


def test_a_long_paragraph_is_never_the_headline_even_under_a_short_label():
    story = " ".join(["The council met again on Tuesday and argued about the harbour bridge."] * 8)
    result = extract(f"Council notes\n\n{story}\n")

    assert result.headline == "Council notes"
    assert result.paragraphs == [story]
