"""Bounds on raw markup, checked in linear time before libxml2 parses it.

libxml2 compares each attribute of an element with every earlier one (a duplicate check),
so one element with 200,000 attributes costs minutes, and every element is a node in
memory: both are bounded here, on the text, before the parse can start. Every pattern is
possessive (``*+``, ``++``): none can backtrack, so each costs time in proportion to the
text it reads, whatever the page holds.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .types import ExtractionError

# Real elements carry a few attributes, a few dozen at most (an SVG path, a tracking pixel).
MAX_ATTRIBUTES = 256
# Start tags a page may hold before it is parsed; extraction keeps at most
# html.MAX_ELEMENTS of them once scripts, styles and images are dropped.
MAX_START_TAGS = 200_000
# Attributes a page may carry in all: each costs libxml2 about two microseconds. A large news
# page carries a few tens of thousands.
MAX_PAGE_ATTRIBUTES = 400_000

# A start tag up to (not including) its ">": a ">" inside a quoted value does not end it,
# and an unclosed quote does not swallow the rest of the page. As in browsers, a quote opens
# a value only after "="; elsewhere (`style="" );"`) it is a character of an attribute's name.
_START_TAG = re.compile(r"""(<[A-Za-z][^\s/>"']*+)(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|[="'])*+""")
_TAG_OPEN = re.compile(r"<[A-Za-z]")
# One attribute: a name, then ``= value`` if it has one. Searched for, so junk between two
# attributes (a stray slash or equals sign) is passed over.
_ATTRIBUTE = re.compile(r"""[^\s/>"'=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>"']*+))?+""")
# An attribute takes at least two characters (a space and a name), so a shorter tag is within the cap.
_MIN_ATTRIBUTE_CHARS = 2


@dataclass(frozen=True)
class Bounded:
    """The markup with over-long attribute lists cut, and what was cut."""

    text: str
    elements_cut: int = 0
    most_attributes: int = 0

    @property
    def warning(self) -> str | None:
        if not self.elements_cut:
            return None
        return (
            f"{self.elements_cut:,} element(s) carried more than {MAX_ATTRIBUTES} attributes "
            f"(up to {self.most_attributes:,}); only their first {MAX_ATTRIBUTES} were read."
        )


def bound_markup(text: str) -> Bounded:
    """``text`` ready for libxml2: refused when it holds too many tags or attributes, attribute floods cut.

    Raises ExtractionError for a page over MAX_START_TAGS start tags or MAX_PAGE_ATTRIBUTES attributes.
    """
    spans = _markup_spans(text)
    _refuse_tag_flood(text, spans)
    # A shorter page cannot hold MAX_PAGE_ATTRIBUTES, and a shorter tag cannot hold MAX_ATTRIBUTES.
    counting = len(text) > MAX_PAGE_ATTRIBUTES * _MIN_ATTRIBUTE_CHARS
    floods: list[tuple[re.Match, int]] = []
    total = 0
    for tag in (tag for start, end in spans for tag in _START_TAG.finditer(text, start, end)):
        long = tag.end() - tag.end(1) > MAX_ATTRIBUTES * _MIN_ATTRIBUTE_CHARS
        if not (counting or long):
            continue
        count = len(_ATTRIBUTE.findall(text, tag.end(1), tag.end()))
        total += count
        if count > MAX_ATTRIBUTES:
            floods.append((tag, count))
    if total > MAX_PAGE_ATTRIBUTES:
        raise ExtractionError(
            f"The HTML carries {total:,} attributes, over the {MAX_PAGE_ATTRIBUTES:,}-attribute limit "
            "on the work one page may cost."
        )
    if not floods:
        return Bounded(text)
    pieces: list[str] = []
    done = 0
    for tag, _ in floods:
        attributes = _ATTRIBUTE.finditer(text, tag.end(1), tag.end())
        kept = list(itertools.islice(attributes, MAX_ATTRIBUTES))
        pieces.append(text[done : kept[-1].end()])
        done = tag.end()
    pieces.append(text[done:])
    return Bounded(
        "".join(pieces), elements_cut=len(floods), most_attributes=max(count for _, count in floods)
    )


def _refuse_tag_flood(text: str, spans: list[tuple[int, int]]) -> None:
    # Counting "<" is a quick upper bound; only a page over it is searched for real tags.
    if text.count("<") <= MAX_START_TAGS:
        return
    tags = sum(1 for start, end in spans for _ in _TAG_OPEN.finditer(text, start, end))
    if tags > MAX_START_TAGS:
        raise ExtractionError(
            f"The HTML has {tags:,} tags, over the {MAX_START_TAGS:,}-tag limit on the work one page may cost."
        )


# Where a script, a style or a comment opens, in any case of its ASCII letters, and where each closes.
_RAW_TEXT_OPENING = re.compile(r"<script|<style|<!--", re.IGNORECASE | re.ASCII)
_RAW_TEXT_CLOSING = {
    "<script": re.compile(r"</script", re.IGNORECASE | re.ASCII),
    "<style": re.compile(r"</style", re.IGNORECASE | re.ASCII),
    "<!--": re.compile(r"-->"),
}


def _markup_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` outside scripts, styles and comments, whose "<"s make no elements.

    Each search starts where the last stretch ended, so the text is read once; a lazy regex
    would read the rest of the page again for every unclosed script. The searches ignore the
    case of ASCII letters, as a search of the lowercased text does, without lowercasing a
    whole page first (the costliest step of this check on most pages). Only "İ" lowercases
    to two characters: a page holding one is searched lowercased, so that positions are
    counted as they always were.
    """
    if "<" not in text:
        return [(0, len(text))]
    searched = text.lower() if "\u0130" in text else text
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        opening = _RAW_TEXT_OPENING.search(searched, position)
        if opening is None:
            spans.append((position, len(text)))
            return spans
        spans.append((position, opening.start()))
        closing = _RAW_TEXT_CLOSING[opening.group().lower()].search(searched, opening.end())
        if closing is None:
            return spans
        position = closing.end()
