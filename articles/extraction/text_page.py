"""A plain-text page's layout: the site's lines above the headline, those between it and the story, the story's end.

A scraper's plain text of a news page runs: masthead, menus and breadcrumbs; the headline;
a standfirst, byline, date, counter, share row or picture caption; the story; then an end
mark ("(END)", "-- BERNAMA", "Reporting by ..."), teasers, tags and the footer. The headline
is the first line above the story that is none of the site's labels; the story starts at
its first sentence, or at a dateline paragraph shortly after the headline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .blocks import Block
from .byline import CreditLine, credit_line, known_agency, parse_byline
from .cleanup import ends_sentence, is_counter, is_furniture, is_site_furniture, tail_like
from .dateline import parse_dateline
from .dates import is_date_line
from .normalize import light_form, phrase_key, word_count
from .rules import agencies, related_rules, text_page_rules

# Whether the block at an index is furniture, a counter or the site's own furniture line.
IsFurniture = Callable[[int], bool]
# A line of this many words or fewer above the story is a label: a menu item, a section, a masthead.
LABEL_WORDS = 2
# Up to this many words, all capitalised, are a label too ("Malaysian National News Agency").
CAPITALISED_LABEL_WORDS = 4
# Items of a menu or breadcrumb row ("Home | World | Business", "Home / News / National").
NAV_ITEM_WORDS = 3
# A site's tagline stands over its menu: at least this many labels follow it.
TAGLINE_MENU_LABELS = 3
# The story's first paragraph is a sentence of at least this many words...
MIN_LEAD_WORDS = 8
# ...or a dateline paragraph, when nothing longer than a standfirst stands before it, among
# the first lines of the header (standfirst, byline, dates, counter, share row, caption).
MAX_HEADER_WORDS = 40
MAX_HEADER_LINES = 15
# A headline is a line; a paragraph longer than this is never one, whatever stands above it.
MAX_HEADLINE_WORDS = 40
# A byline or date line is a line; each of its parts ("KYODO NEWS - Oct 5, 2023 - 19:30") is short.
_CREDIT_PARTS = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
MAX_CREDIT_PART_WORDS = 6
_NON_LETTERS = re.compile(r"[\W\d_]+")
# The parts of a title bar or breadcrumb: "Headline - Site", "Home > News > Headline".
_TITLE_PARTS = re.compile(r"\s+(?:[|\-–—›»>/]|::)\s+")
_MIN_NAMED_CHARS = 15
# "Kuwait News Agency (KUNA)": a masthead with its acronym.
_BRACKETED = re.compile(r"\s*\([^()]*\)")
# "WAM/Hatem Mohamed/Hazem Hussein": the agency, then the writer and editor.
_MAX_SIGN_OFF_CHARS = 120
# "kb/rm (dpa)", "es/sms (AFP, Reuters)": the editors' initials, then the agencies that supplied the story.
_INITIALS_CREDIT = re.compile(r"[a-z]{2,4}(?:/[a-z]{2,4}){0,3}\s*\((?P<credit>[^()]{2,60})\)")
# "-- BERNAMA", "— AFP": a dash before the agency's name marks the line as a sign-off.
_DASHES = ("-", "–", "—", "―")
# An end mark is a line; a copyright line with an agency's terms of reuse runs to a few hundred characters.
_MAX_END_MARK_CHARS = 500


@dataclass(frozen=True)
class TextLayout:
    """Where a plain-text page's parts lie, as block indexes.

    The story runs from ``body_start`` up to, not including, ``body_end``, less the
    ``teasers`` (headlines listed under a "Related" heading within it); ``credit`` is the
    agency a byline or an end mark credits.
    """

    headline: int
    body_start: int
    body_end: int
    teasers: frozenset[int] = frozenset()
    credit: CreditLine | None = None

    def in_story(self, index: int) -> bool:
        return self.body_start <= index < self.body_end and index not in self.teasers


def text_layout(blocks: list[Block], site_keys: frozenset[str] = frozenset()) -> TextLayout | None:
    """The layout of a plain-text page's blocks; None when it holds nothing but furniture."""

    @cache
    def furniture(index: int) -> bool:
        # Asked of the same lines more than once; a long line costs every rule a search.
        block = blocks[index]
        return (
            is_counter(block) is not None
            or is_furniture(block, text_page=True)
            or is_site_furniture(block, site_keys)
        )

    lead = _body_start(blocks, 0, furniture)
    headline = _headline(blocks, len(blocks) if lead is None else lead, furniture)
    if headline is None:
        return None
    body_start = _body_start(blocks, headline + 1, furniture)
    if body_start is None:
        body_start = headline + 1
    body_end, end_credit = _story_end(blocks, body_start, furniture)
    if body_end < len(blocks):
        # The short lines just above an end mark are its company: editors' notes, a contact, a byline.
        while body_end - 1 > body_start and tail_like(blocks[body_end - 1]):
            body_end -= 1
    header_credit = next(
        (credit for credit in map(_header_credit, blocks[headline + 1 : body_start]) if credit), None
    )
    teasers = _teasers(blocks, body_start, body_end)
    return TextLayout(headline, body_start, body_end, teasers, header_credit or end_credit)


def _headline(blocks: list[Block], end: int, furniture: IsFurniture) -> int | None:
    """The headline among the lines above the story's first paragraph (``end``)."""
    lines = [
        i
        for i in range(end)
        if word_count(blocks[i].text) <= MAX_HEADLINE_WORDS
        and not furniture(i)
        and not is_date_line(blocks[i].text)
    ]
    titles = [i for i in lines if not _label(blocks[i].text) and not _names_a_later_line(blocks, i, end)]
    # A tagline reads like a headline; it is the headline only when nothing else is.
    found = next((i for i in titles if not _tagline(blocks, i, furniture)), None)
    if found is None and titles:
        found = titles[0]
    if found is None:
        # A title-case headline of three or four words ("Amir Receives New Envoys").
        found = next(
            (i for i in lines if _short_title(blocks[i].text) and not _tagline(blocks, i, furniture)), None
        )
    if found is None:
        # A short title ("Budget 2024") or one that reads as a sentence: the first line that is no furniture.
        found = next((i for i in range(len(blocks)) if not furniture(i)), None)
    return found


def _names_a_later_line(blocks: list[Block], index: int, end: int) -> bool:
    """Whether a line is a title bar or breadcrumb that ends with the headline below it.

    "Kuwait Cabinet approves draft law - KUNA", "Home > News > Kuwait Cabinet approves dra…".
    """
    parts = [part.strip(" .…") for part in _TITLE_PARTS.split(blocks[index].text)]
    parts = [part for part in parts if len(part) >= _MIN_NAMED_CHARS]
    if not parts or not _TITLE_PARTS.search(blocks[index].text):
        return False
    later = [block.text for block in blocks[index + 1 : min(end, index + MAX_HEADER_LINES)]]
    return any(text != blocks[index].text and text.startswith(part) for part in parts for text in later)


def _short_title(text: str) -> bool:
    words = _words(text)
    return (
        LABEL_WORDS < len(words) <= CAPITALISED_LABEL_WORDS
        and not text.casefold().startswith("by ")
        and len(text_page_rules().nav_separator.split(text)) == 1
        and not _menu_words(words)
        and credit_line(text, bare=True) is None
        and known_agency(_BRACKETED.sub("", text)) is None
    )


def _body_start(blocks: list[Block], first: int, furniture: IsFurniture) -> int | None:
    """The story's first paragraph from ``first`` on: a dateline paragraph soon after, or the first sentence."""
    sentence = None
    for index in range(first, min(len(blocks), first + MAX_HEADER_LINES)):
        if furniture(index):
            continue
        text = blocks[index].text
        match = parse_dateline(text)
        if match is not None and _lead(match.rest):
            return index
        if sentence is None and _lead(text):
            sentence = index
        if word_count(text) > MAX_HEADER_WORDS:
            break
    if sentence is None:
        sentence = next(
            (i for i in range(first, len(blocks)) if not furniture(i) and _lead(blocks[i].text)), None
        )
    return sentence


def _lead(text: str) -> bool:
    # A question is more often a headline than a story's first paragraph.
    return (
        word_count(text) >= MIN_LEAD_WORDS
        and ends_sentence(text)
        and not text.rstrip("\"'”’»)]").endswith("?")
    )


def _story_end(blocks: list[Block], start: int, furniture: IsFurniture) -> tuple[int, CreditLine | None]:
    """The first block after the story, and the credit of the end mark there.

    An end mark is a line of data/text_pages.json's ``story_ends``, an agency's sign-off
    ("WAM/Hatem Mohamed/Hazem Hussein", "kb/rm (dpa)", "-- BERNAMA"), or another credit line
    ("EFE", "Source: AA") that the page's closing furniture follows.
    """
    story_end = text_page_rules().story_end
    for index in range(start + 1, len(blocks)):
        text = blocks[index].text
        if len(text) <= _MAX_END_MARK_CHARS and story_end.fullmatch(light_form(text)):
            return index, None
        sign_off = _sign_off(text) or _initials_credit(text)
        if sign_off is not None:
            return index, sign_off
        credit = credit_line(text, bare=True)
        if credit is not None and (
            text.startswith(_DASHES) or _closing_follows(blocks, index + 1, furniture)
        ):
            return index, credit
    return len(blocks), None


def _teasers(blocks: list[Block], start: int, end: int) -> frozenset[int]:
    """The teaser headlines under each "Related" or "Also read" heading within the story: its run of short lines."""
    teasers: set[int] = set()
    index = start
    while index < end:
        if _related_heading(blocks[index].text):
            index += 1
            while index < end and tail_like(blocks[index]) and is_counter(blocks[index]) is None:
                teasers.add(index)
                index += 1
        else:
            index += 1
    return frozenset(teasers)


def _related_heading(text: str) -> bool:
    if word_count(text) > NAV_ITEM_WORDS + 2:
        return False
    key = phrase_key(text)
    phrases = related_rules().heading_phrases
    # "More from Transport", "More in Europe": a heading that names its section.
    return key in phrases or any(
        key.startswith(f"{phrase} ") for phrase in phrases if phrase.startswith("more ")
    )


def _closing_follows(blocks: list[Block], index: int, furniture: IsFurniture) -> bool:
    following = next((i for i in range(index, len(blocks)) if is_counter(blocks[i]) is None), None)
    return following is None or furniture(following) or tail_like(blocks[following])


def _sign_off(text: str) -> CreditLine | None:
    parts = text.split("/")
    if len(parts) < 2 or len(text) > _MAX_SIGN_OFF_CHARS:
        return None
    agency = known_agency(parts[0])
    if agency is None or not all(_capitalised_words(part.split()) for part in parts[1:]):
        return None
    return CreditLine(credit=parts[0].strip(), agency=agency, line=text)


def _initials_credit(text: str) -> CreditLine | None:
    match = _INITIALS_CREDIT.fullmatch(text)
    agency = known_agency(match["credit"]) if match else None
    if agency is None:
        return None
    return CreditLine(credit=match["credit"].strip(), agency=agency, line=text)


def _header_credit(block: Block) -> CreditLine | None:
    """The agency a byline under the headline credits: "AFP", "By Jane Doe, Reuters", "KYODO NEWS - Oct 5, 2023".

    A caption's "Protesters in Paris. — AFP" credits the picture: the parts of a byline or
    date line are short and no sentence. "Staff Report" credits the site's own desk.
    """
    text = block.text
    whole = credit_line(text, bare=True)
    if whole is not None:
        return None if _own_staff(whole.agency) else whole
    parts = [piece for part in _CREDIT_PARTS.split(text) for piece in part.split(", ")]
    if any(ends_sentence(part) or word_count(part) > MAX_CREDIT_PART_WORDS for part in parts):
        return None
    found = (credit_line(part, bare=True) for part in [*parts, *parse_byline(text).credits])
    return next((credit for credit in found if credit is not None and not _own_staff(credit.agency)), None)


def _own_staff(name: str) -> bool:
    return any(agency.own_staff for agency in agencies() if agency.name == name)


def _label(text: str) -> bool:
    """Whether a line above the story is a label: a menu item or row, a section, a masthead."""
    words = _words(text)
    if len(words) <= LABEL_WORDS:
        return True
    if len(words) <= CAPITALISED_LABEL_WORDS and _capitalised_words(words):
        return True
    if _menu_words(words):
        return True
    items = [item for item in text_page_rules().nav_separator.split(text) if item]
    if len(items) < 2 or any(len(_words(item)) > NAV_ITEM_WORDS for item in items):
        return False
    return len(items) >= 3 or all(_capitalised_words(_words(item)) for item in items)


def _tagline(blocks: list[Block], index: int, furniture: IsFurniture) -> bool:
    """Whether a line is the site's tagline: menu labels, not a byline or a date, follow it.

    The site's date bar may stand between the tagline and the menu ("Monday, October 14,
    2024"): a date line right under the line is passed over, and the labels must follow it.
    """
    labels = 0
    for following in range(index + 1, len(blocks)):
        if furniture(following):
            continue
        text = blocks[following].text
        if is_date_line(text) and following == index + 1:
            continue
        if not _label(text) or is_date_line(text) or text.casefold().startswith("by "):
            return False
        labels += 1
        if labels >= TAGLINE_MENU_LABELS:
            return True
    return False


def _menu_words(words: list[str]) -> bool:
    """Whether words are a menu run together ("Home World Business Sport Opinion"): section names, but one."""
    sections = text_page_rules().menu_words
    others = sum(
        1
        for word in words
        if not all(part in sections for part in _NON_LETTERS.split(word.casefold()) if part)
    )
    return others <= 1 and len(words) > others * 4


def _words(text: str) -> list[str]:
    return [word for word in text.split() if any(ch.isalpha() for ch in word)]


def _capitalised_words(words: list[str]) -> bool:
    small = text_page_rules().label_small_words
    return bool(words) and _capitalised(words[0]) and all(_capitalised(w) or w in small for w in words)


def _capitalised(word: str) -> bool:
    first = next((ch for ch in word if ch.isalpha()), "")
    # Arabic, Chinese and other scripts have no case: any letter will do.
    return bool(first) and (first.isupper() or first.lower() == first.upper())
