"""Cleanup steps that remove blocks: view counters, site furniture, exact duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .blocks import HEADING_KINDS, LIST_ITEM, TABLE_ROW, Block
from .byline import trailing_credit
from .dates import holds_date
from .normalize import light_form, light_phrase_key, phrase_key, word_count
from .rules import (
    boilerplate_rules,
    counter_patterns,
    notice_pattern,
    text_furniture_rules,
    text_notice_pattern,
)

# Furniture lines are short. Longer blocks are never compared with data/boilerplate.txt,
# so no line rule can remove a paragraph of prose.
MAX_FURNITURE_WORDS = 14
MAX_FURNITURE_CHARS = 160
# A notice (data/notices.txt) is a paragraph: longer blocks that mention its wording are prose.
MAX_NOTICE_WORDS = 80
MAX_NOTICE_CHARS = 1200
# Only paragraphs this long count as duplicates: short repeats are labels ("Pros",
# "Cons", "Price") or chants in a transcript, not a scrape that doubled the text.
MIN_DUPLICATE_WORDS = 8
# In the run of short blocks after the article, everything from the first furniture
# line on is furniture too (related headlines, share buttons). Blocks this short and
# not ending a sentence count as part of such a run.
_TAIL_MAX_WORDS = 20
_NON_DIGIT = re.compile(r"\D")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# A site's own furniture is learned from lines that recur verbatim on many of its pages,
# so it may be longer than a built-in rule (a newsletter box, an ad-blocker notice); a
# paragraph of prose is still never a candidate.
MAX_SITE_FURNITURE_WORDS = 30
MAX_SITE_FURNITURE_CHARS = 250
# The most candidate lines kept from one page: furniture sits in a few dozen lines.
MAX_CANDIDATE_LINES = 200
# Above the story's first paragraph (a sentence this long), lines this short that date the
# story or sign it ("By Jane Doe · May 8, 2024") are the page's stamp, not its text.
MIN_OPENING_WORDS = 15
MAX_STAMP_WORDS = 12
_CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"(?:By|BY)\s+(?:[A-Z][\w.'’-]*\s*){1,4}(?:(?:,|and|&)\s*(?:[A-Z][\w.'’-]*\s*){1,4})*"
)
# A counter's line may hold a date or a byline too, each part this short: "Oct 5, 2023 | 1,018 views".
_FACT_SEPARATORS = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+")
MAX_FACT_WORDS = 6


@dataclass
class Removal:
    """The blocks a step kept and the ones it took out."""

    kept: list[Block]
    removed: list[Block] = field(default_factory=list)


def is_counter(block: Block) -> int | None:
    """The view count a counter line states ("This news has been read 7484 times!"), else None.

    The counter may share its line with a few short facts: "Oct 5, 2023 | 1,018 views".
    """
    text = block.text
    if word_count(text) > MAX_FURNITURE_WORDS or len(text) > MAX_FURNITURE_CHARS:
        return None
    count = _counter(text)
    if count is not None:
        return count
    parts = _FACT_SEPARATORS.split(text)
    if len(parts) < 2:
        return None
    counts = [_counter(part) for part in parts]
    stated = [count for count in counts if count is not None]
    others = [part for part, count in zip(parts, counts, strict=True) if count is None]
    if len(stated) != 1 or any(word_count(part) > MAX_FACT_WORDS or ends_sentence(part) for part in others):
        return None
    return stated[0]


def _counter(text: str) -> int | None:
    for pattern in counter_patterns():
        match = pattern.fullmatch(text)
        if match:
            return _count(match)
    return None


def _count(match: re.Match[str]) -> int:
    """The number a counter states: "7,484" is 7484, "2.3K" 2300 and "1,2M" 1200000."""
    if match["unit"]:
        scale = 1000 if match["unit"] in "kK" else 1_000_000
        return round(float(match["abridged"].replace(",", ".")) * scale)
    return int(_NON_DIGIT.sub("", match["n"]))


def is_furniture(block: Block, *, text_page: bool = False) -> bool:
    """Whether a block is site furniture by the rules in data/boilerplate.txt and data/notices.txt.

    On a plain-text page (``text_page``) the rules of data/text_furniture.txt and
    data/text_notices.txt apply too.
    """
    text = block.text
    if len(block.cells) > 1:
        # A row of a data table is content, whatever its header cells say ("Watch | Price").
        return False
    words = word_count(text)
    if words > MAX_FURNITURE_WORDS or len(text) > MAX_FURNITURE_CHARS:
        return (
            words <= MAX_NOTICE_WORDS
            and len(text) <= MAX_NOTICE_CHARS
            and is_notice(text, text_page=text_page)
        )
    light = light_form(text)
    key = light_phrase_key(light)
    if boilerplate_rules().match(key, light) or notice_pattern().search(light) is not None:
        return True
    return text_page and (
        text_furniture_rules().match(key, light) or text_notice_pattern().search(light) is not None
    )


def is_notice(text: str, *, text_page: bool = False) -> bool:
    """Whether a paragraph is a notice by data/notices.txt (and data/text_notices.txt on a text page):
    a disclosure, consent notice or plea."""
    light = light_form(text)
    if notice_pattern().search(light) is not None:
        return True
    return text_page and text_notice_pattern().search(light) is not None


def furniture_key(text: str) -> str:
    """The form site furniture is learned and matched on.

    Case, punctuation and spacing are folded and every number reads 0, so "Read 7,484
    times!" and "read 12 times" are one line.
    """
    return phrase_key(text)


def site_furniture_keys(patterns: Iterable[str]) -> frozenset[str]:
    """The keys of a site's furniture patterns (lines as pages show them, or keys already)."""
    return frozenset(key for key in map(furniture_key, patterns) if key)


def is_site_furniture(block: Block, keys: frozenset[str]) -> bool:
    """Whether a block is one of the site's own furniture lines."""
    if not keys or len(block.cells) > 1:
        return False
    return _site_furniture_sized(block.text) and furniture_key(block.text) in keys


def candidate_lines(texts: Iterable[str | Block]) -> list[str]:
    """The lines of one page that could be its site's furniture, each key once, in page order.

    Short lines holding a letter: a line of digits alone would fold to "0" and match every
    number on the site.
    """
    lines: list[str] = []
    seen: set[str] = set()
    for item in texts:
        text = item.text if isinstance(item, Block) else item
        if not _site_furniture_sized(text):
            continue
        key = furniture_key(text)
        if key in seen or not any(char.isalpha() for char in key):
            continue
        seen.add(key)
        lines.append(text)
        if len(lines) == MAX_CANDIDATE_LINES:
            break
    return lines


def _site_furniture_sized(text: str) -> bool:
    return len(text) <= MAX_SITE_FURNITURE_CHARS and word_count(text) <= MAX_SITE_FURNITURE_WORDS


def take_view_counts(blocks: list[Block]) -> tuple[Removal, list[int]]:
    """Remove every counter line; the counts they state, in order."""
    result = Removal(kept=[])
    counts: list[int] = []
    for block in blocks:
        count = is_counter(block)
        if count is None:
            result.kept.append(block)
        else:
            counts.append(count)
            result.removed.append(block)
    return result, counts


def drop_furniture(
    blocks: list[Block], site_keys: frozenset[str] = frozenset(), *, text_page: bool = False
) -> Removal:
    """Remove furniture lines wherever they are, and the short run after the article that they start.

    ``site_keys`` are the page's site's own furniture (``site_furniture_keys``), removed
    like the built-in rules. On a plain-text page (``text_page``) the text pages' rules
    apply too, and the run goes whole once it holds any furniture: the story ends with
    a sentence, so a short line before the furniture (an author's name over a biography)
    is no story text.
    """
    furniture = [
        is_furniture(block, text_page=text_page) or is_site_furniture(block, site_keys) for block in blocks
    ]
    tail_start = len(blocks)
    while tail_start > 0 and (furniture[tail_start - 1] or tail_like(blocks[tail_start - 1])):
        tail_start -= 1
    cut = next((i for i in range(tail_start, len(blocks)) if furniture[i]), len(blocks))
    if text_page and cut < len(blocks):
        cut = tail_start
    result = Removal(kept=[])
    for index, block in enumerate(blocks):
        if furniture[index] or index >= cut:
            result.removed.append(block)
        else:
            result.kept.append(block)
    return result


def drop_duplicates(blocks: list[Block], headline: str = "") -> Removal:
    """Remove paragraphs that repeat an earlier one exactly; the first stays.

    A block that repeats the headline goes whatever its length: pages often open the
    body with the title again. A list item that repeats an earlier one stays: a plan, a
    schedule or a recipe repeats its steps.
    """
    headline_key = _duplicate_key(headline)
    seen: set[str] = set()
    result = Removal(kept=[])
    for block in blocks:
        key = _duplicate_key(block.text)
        if key == headline_key and not result.kept:
            result.removed.append(block)
            continue
        if word_count(block.text) < MIN_DUPLICATE_WORDS or block.kind in (TABLE_ROW, LIST_ITEM):
            result.kept.append(block)
            continue
        if key in seen:
            result.removed.append(block)
        else:
            if key:
                seen.add(key)
            result.kept.append(block)
    return result


def drop_stamps(blocks: list[Block]) -> Removal:
    """Remove the short lines above the story's first paragraph that date it or sign it."""
    result = Removal(kept=[])
    opening = True
    for block in blocks:
        words = word_count(block.text)
        if opening and words >= MIN_OPENING_WORDS and _SENTENCE_END.search(block.text):
            opening = False
        if opening and words <= MAX_STAMP_WORDS and is_stamp(block.text):
            result.removed.append(block)
        else:
            result.kept.append(block)
    return result


def drop_closing_headings(blocks: list[Block]) -> Removal:
    """Remove the headings the text ends on: a heading introduces what follows it, and nothing does.

    They are what other steps left of a box after the story: the title of a consent banner
    whose notice went, of a list of links that went as teasers.
    """
    end = len(blocks)
    while end and blocks[end - 1].kind in HEADING_KINDS:
        end -= 1
    # A page of headings alone is left to the page checks.
    if not end:
        return Removal(kept=blocks)
    return Removal(kept=blocks[:end], removed=blocks[end:])


def is_stamp(text: str) -> bool:
    """Whether a short line dates a story or signs it: "Published June 3, 2024", "By Jane Doe".

    A sentence that holds a date ("Originally published in March 2022.") is text.
    """
    text = text.strip()
    if _SIGNATURE.fullmatch(text):
        return True
    return holds_date(text) and not (_SENTENCE_END.search(text) and not _CLOCK_END.search(text))


def _duplicate_key(text: str) -> str:
    # Case and spacing aside, the same text: "rose 5%" and "rose 7%" stay two paragraphs.
    return " ".join(text.casefold().split())


def tail_like(block: Block) -> bool:
    """Whether a block could be part of the run of short lines after an article: short, no sentence."""
    return word_count(block.text) <= _TAIL_MAX_WORDS and not ends_sentence(block.text)


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends as a sentence does, closing quotes and brackets aside.

    An agency's credit after the sentence ("... it said. (Yonhap)", "... here. - Bernama") changes nothing.
    """
    if _SENTENCE_END.search(text) is not None:
        return True
    credit = trailing_credit(text)
    return credit is not None and _SENTENCE_END.search(credit.rest) is not None
