"""How a story's furniture reads on a page: the dateline as place and credit, the read count in words.

Pure functions over stored values (no database, no request), so every shape can be tested alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from articles.extraction.dateline import parse_dateline
from articles.extraction.rules import dateline_rules

# "(KUNA)", "( Reuters )": the credit a wire dateline carries.
_CREDIT = re.compile(r"\(\s*([^()]{1,60}?)\s*\)")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class DatelineParts:
    """A dateline as a page shows it: "Kuwait City" and "KUNA", each possibly empty."""

    place: str = ""
    credit: str = ""

    def __bool__(self) -> bool:
        return bool(self.place or self.credit)


# Pure and asked for every story on every list: the same few datelines recur, so remember them.
@lru_cache(maxsize=4096)
def dateline_parts(*, text: str = "", place: str = "", agency: str = "") -> DatelineParts:
    """The place and the credit of a story's dateline, without its punctuation or date.

    ``text`` is the dateline as the source wrote it ("NEW YORK, Oct 8 (KUNA) --"), ``place`` the
    place extraction read from it ("New York"), ``agency`` the name of the story's agency. The
    story's agency is the credit shown (it links to the agency's page); the dateline's own credit
    only stands in when the story has none. The date is left out: pages show the publication date,
    which extraction derived from the dateline, beside it.
    """
    text = " ".join(text.split())
    place = " ".join(place.split())
    agency = " ".join(agency.split())
    parsed = parse_dateline(text + " x") if text else None
    if not place and text:
        place = (parsed.dateline.place or "") if parsed else _place_from_text(text)
    credit = agency
    if not credit and text:
        if parsed and parsed.agency:
            credit = parsed.agency
        else:
            found = _CREDIT.search(text)
            credit = " ".join(found.group(1).split()) if found else ""
    return DatelineParts(place=place, credit=credit)


def _place_from_text(text: str) -> str:
    """The place at the head of a dateline the parser did not recognise (an editor's own shape)."""
    rules = dateline_rules()
    head = _CREDIT.split(text, maxsplit=1)[0]
    for separator in rules.separators:
        # A dash ends the dateline only after a space: "AL-JAHRA" is one place.
        cut = f" {separator}" if separator[-1] in "-–—―" else separator
        head = head.split(cut, 1)[0]
    words = []
    for segment in head.split(","):
        segment = segment.strip(" .:;-–—")
        first = segment.split(" ", 1)[0].lower().rstrip(".")
        if not segment or _DIGITS.search(segment) or first in rules.months:
            break
        words.append(segment)
    place = ", ".join(words)
    return _title_case(place) if place.isupper() else place


def _title_case(place: str) -> str:
    """KUWAIT CITY -> Kuwait City, RIO DE JANEIRO -> Rio de Janeiro."""
    particles = dateline_rules().lowercase_particles
    return " ".join(
        word.lower() if index and word.lower() in particles else word.capitalize()
        for index, word in enumerate(place.split())
    )


def read_count_phrase(count: int) -> str:
    """How often a story was read, as a reader would say it; "" when nobody has yet.

    "Read once", "Read twice", "Read 12,345 times".
    """
    if count <= 0:
        return ""
    if count == 1:
        return "Read once"
    if count == 2:
        return "Read twice"
    return f"Read {count:,} times"


# How many of the newest stories open the front page under the lead, before the agency sections.
FRONT_PAGE_TOP = 4
# The lead is the newest story with a picture among these, else the newest story.
LEAD_CANDIDATES = 3


@dataclass(frozen=True)
class Section:
    """A front-page section: one agency's stories, newest first."""

    title: str
    url: str
    stories: list


@dataclass(frozen=True)
class FrontPage:
    lead: object | None
    top: list
    sections: list[Section]


def front_page_layout(stories: list) -> FrontPage:
    """The front page laid out from the newest stories (newest first), each story once.

    The lead is the newest story with a lead picture among the first few (a front page leads
    with a picture when it has one), else the newest; the next few follow it as the top
    stories; the rest are grouped by agency, the agency with the newest story first.
    """
    if not stories:
        return FrontPage(lead=None, top=[], sections=[])
    lead = next((s for s in stories[:LEAD_CANDIDATES] if s.lead_image_url), stories[0])
    rest = [s for s in stories if s is not lead]
    top, grouped = rest[:FRONT_PAGE_TOP], rest[FRONT_PAGE_TOP:]
    sections: dict[object, Section] = {}
    for story in grouped:
        agency = story.agency
        key = agency.pk if agency else None
        if key not in sections:
            title, url = (agency.name, agency.get_absolute_url()) if agency else ("More stories", "")
            sections[key] = Section(title=title, url=url, stories=[])
        sections[key].stories.append(story)
    # Stories without an agency close the page.
    ordered = [s for k, s in sections.items() if k is not None] + (
        [sections[None]] if None in sections else []
    )
    return FrontPage(lead=lead, top=top, sections=ordered)
