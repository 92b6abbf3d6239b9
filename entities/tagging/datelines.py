"""Datelines: the place and the news agency a story opens with ("KUWAIT CITY, Oct 7 (KUNA) --",
"Doha, May 17 (QNA) -", "TBILISI, Georgia (AP) —", "Riyadh, Dec 3, 2025, SPA --", "CHENNAI:"), and
the byline on a line of its own under the headline ("By Harriet Kemp in London").

Agency copy names its own agency and town in a fixed shape that no model needs to read; the agencies
of the world are too many for any list.
"""

from __future__ import annotations

import re

from .types import ORGANIZATION, PLACE

# A dateline is one of the first lines of a story.
MAX_LINE = 4
_WORDS = r"[A-Z][\w'’.-]*(?:[ ](?:[A-Z][\w'’.-]*|de|do|da|al|el))*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[ ])?{_MONTH}(?:[ ]\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?[ ]\d{{4}})?"
_DATELINE = re.compile(
    rf"(?P<place>{_WORDS})"
    rf"(?:,[ ](?!{_MONTH}[ ,\d])(?P<region>{_WORDS}))?"
    rf"(?:,?[ ]{_DATE})?"
    r"(?:,?[ ]\((?P<agency>[A-Z][^()\n]{1,38})\)|,[ ](?P<bare>[A-Z]{2,6})(?=[ ]*[-–—]))?"
    r"[ ]*(?P<end>[-–—]{1,2}(?=\s)|:(?=\s)|(?<=\))[ ](?=[A-Z]))"
)


# A byline: a line holding only a writer's name, with "By" and "in <place>" around it, twice at most.
_BYLINE_NAME = r"[A-Z][\w'’.-]+(?:[ ][A-Z][\w'’.-]+){1,3}"
_BYLINE = re.compile(
    rf"(?:By[ ])?(?P<first>{_BYLINE_NAME})(?:[ ]in[ ]{_WORDS})?"
    rf"(?:[ ]and[ ](?P<second>{_BYLINE_NAME})(?:[ ]in[ ]{_WORDS})?)?[ ]*$",
    re.M,
)


def byline_names(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """``(start, end)`` of the writers' names on a byline line under the headline (the first line is
    the headline, never a byline); a name holding a word of ``skip`` (sentence words, heads) is none."""
    found = []
    line_start = text.find("\n") + 1
    for _ in range(MAX_LINE - 1):
        if not line_start:
            break
        while text.startswith("\n", line_start):
            line_start += 1
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if match := _BYLINE.fullmatch(text, line_start, line_end):
            for group in ("first", "second"):
                if match.group(group) and skip.isdisjoint(match.group(group).split()):
                    found.append(match.span(group))
        line_start = line_end + 1 if line_end < len(text) else 0
    return found


def dateline_names(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` of the place, region and agency of the story's dateline, if it has one."""
    line_start = 0
    for _ in range(MAX_LINE):
        while text.startswith("\n", line_start):
            line_start += 1
        match = _DATELINE.match(text, line_start)
        if match and _is_dateline(match):
            found = [(*match.span("place"), PLACE)]
            if match.group("region"):
                found.append((*match.span("region"), PLACE))
            agency = "agency" if match.group("agency") else "bare" if match.group("bare") else None
            if agency:
                found += [(start, end, ORGANIZATION) for start, end in _agencies(text, *match.span(agency))]
            return found
        line_end = text.find("\n", line_start)
        if line_end < 0:
            break
        line_start = line_end + 1
    return []


def _is_dateline(match: re.Match[str]) -> bool:
    """A place alone before a colon or a dash is a dateline only in capitals ("CHENNAI:") or as one
    or two words ("Jakarta:"); with a date or an agency it always is."""
    if match.group("place").split()[0] in ("The", "A", "An") and not match.group("place").isupper():
        return False
    if match.group("agency") or match.group("bare") or match.group("region"):
        return True
    if match.end("place") != match.start("end") and not match.group("end").strip():
        return False
    place = match.group("place")
    return place.isupper() or (len(place.split()) <= 2 and match.group("end").strip() != "")


def _agencies(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The agencies inside the brackets: "AP", or "AFP/Reuters" as two."""
    spans, position = [], start
    for part in re.split(r"(/|,[ ]| and )", text[start:end]):
        if part.strip() and part not in ("/", ", ", " and "):
            spans.append((position, position + len(part.rstrip())))
        position += len(part)
    return spans
