"""Wire-story datelines: ``PARIS, Sept 27, (Agencies):`` parsed and split from the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from .rules import agencies, agency_index, agency_key, common_words, dateline_rules
from .types import Dateline

# Datelines are short; nothing past this is looked at, which also bounds the regex work.
_WINDOW = 160
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}.'’-]*"
# "AFP/Reuters", "AP, AFP", "Reuters and AFP".
_JOINT_CREDIT = re.compile(r"\s*(?:/|,|&|\+|\band\b)\s*")
_TITLE_WORD = rf"[{_UPPER}][{_LOWER}'’.-]*[{_LOWER}.]"


@dataclass(frozen=True)
class DatelineMatch:
    dateline: Dateline
    agency: str | None
    agency_known: bool
    rest: str


@cache
def _pattern() -> re.Pattern[str]:
    rules = dateline_rules()
    months = "|".join(sorted(map(re.escape, rules.months), key=len, reverse=True))
    month = rf"(?P<month>(?i:{months}))\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    date = rf"(?:{month}\s+{day}|{day2}\s+(?:of\s+)?(?P<month2>(?i:{months}))\.?)(?:,?\s+{year})?"
    # A title-case place may end in an abbreviation: "Washington DC".
    place = (
        rf"(?P<place>{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,4}}"
        rf"|{_TITLE_WORD}(?:[\s-]+{_TITLE_WORD}){{0,3}}(?:\s+[{_UPPER}]{{2,3}}\b)?)"
    )
    # A region after the place ("BEIRUT, Lebanon", "SPRINGFIELD, Ill."), never a month.
    region = rf"(?P<region>(?!(?i:{months})\b)[{_UPPER}][\w.'’-]*(?:\s+[{_UPPER}][\w.'’-]*){{0,2}})"
    # ANI writes the country in square brackets: "New Delhi [India], October 5 (ANI):".
    bracketed = rf"[{_UPPER}][\w.'’-]*(?:\s+[{_UPPER}][\w.'’-]*){{0,2}}"
    agency = r"\(\s*(?P<agency>[^()\d]{2,48}?)\s*\)"
    agency_alone = r"\(\s*(?P<agency2>[^()\d]{2,48}?)\s*\)"
    # A dash must be followed by a space ("PARIS-based" is no dateline); a colon need not be.
    dashes = "|".join(re.escape(s) for s in rules.separators if s[-1] in "-–—―")
    others = "|".join(re.escape(s) for s in rules.separators if s[-1] not in "-–—―")
    # Without brackets only a known agency's name counts, before a separator: "Riyadh, October 05,
    # 2023, SPA --" as the Saudi Press Agency writes it.
    bare_agency = rf"(?P<agency3>{_agency_names()})(?=\s*(?:{dashes}|{others}))"
    return re.compile(
        rf"""
        (?:
            {place}
            (?:\s*,\s*{region}(?=\s*(?:,|\(|{dashes}|{others}))|\s*\[\s*{bracketed}\s*\])?
            (?:\s*,?\s*(?P<date>{date}))?
            (?:\s*,?\s*{agency}|\s*,\s*{bare_agency})?
          |
            {agency_alone}
        )
        (?:\s*(?:(?P<sep>{dashes})(?=\s|$)|(?P<sep_other>{others})))?
        (?(sep)|(?(sep_other)|(?=\s|$)))
        """,
        re.VERBOSE,
    )


def parse_dateline(text: str) -> DatelineMatch | None:
    """The dateline that opens ``text``, with the text that follows it; None if it has none."""
    match = _pattern().match(text[:_WINDOW])
    if match is None:
        return None
    place, agency_text = match["place"], match["agency"] or match["agency2"] or match["agency3"]
    separator = match["sep"] or match["sep_other"]
    has_date = match["date"] is not None
    if place is not None:
        caps = place == place.upper()
        if (
            place.upper().replace("’", "'") in dateline_rules().not_places
            or sum(ch.isalpha() for ch in place) < 3
        ):
            return None
        # A capitalised word alone ("President Obama said") is no dateline: a title-case
        # place needs a date, an agency or a colon ("Dubai: The"), an all-caps one at least
        # a separator.
        if not (
            has_date or agency_text or (caps and separator) or _place_colon(place, separator, text, match)
        ):
            return None
        if not (separator or agency_text):
            return None
    elif separator is None and agency_text is None:
        return None

    agency, known = resolve_agency(agency_text) if agency_text else (None, False)
    if agency_text and not known and not (separator and _looks_like_agency(agency_text)):
        # "Chennai Metro Rail Limited (CMRL) on Saturday": only a known agency may go without a separator.
        return None
    rest = text[match.end() :].lstrip(" \t")
    if place is None and separator:
        # ANSA puts its credit first: "(ANSA) - ROME, OCT 5 - The ...".
        after = parse_dateline(rest)
        if after is not None and after.dateline.place and after.agency is None:
            whole = text[: len(text) - len(after.rest)].strip()
            return DatelineMatch(replace(after.dateline, text=whole), agency, known, after.rest)
    month_name = match["month"] or match["month2"]
    day = match["day"] or match["day2"]
    dateline = Dateline(
        text=match.group(0).strip(),
        place=_place_name(place, match["region"]) if place else None,
        month=dateline_rules().months[month_name.lower()] if month_name else None,
        day=int(day) if day and 1 <= int(day) <= 31 else None,
        year=int(match["year"]) if match["year"] else None,
    )
    if has_date and dateline.day is None:
        return None
    return DatelineMatch(dateline=dateline, agency=agency, agency_known=known, rest=rest)


@cache
def _agency_names() -> str:
    names = {name for agency in agencies() for name in (agency.name, agency.full_name, *agency.aliases)}
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _place_colon(place: str, separator: str | None, text: str, match: re.Match[str]) -> bool:
    """Whether a title-case opening is a place dateline by colon, as Gulf papers write them ("Dubai: The").

    No word of it may be a common word ("Meanwhile: the", "Background: Talks"), and a
    capital must follow.
    """
    if separator != ":" or match["region"]:
        return False
    after = text[match.end() :].lstrip()
    if not after[:1].isupper():
        return False
    words = common_words()
    return not any(word.lower().strip(".'’") in words for word in place.split())


def resolve_agency(text: str) -> tuple[str, bool]:
    """The canonical name of the agency ``text`` names, and whether it is a known one.

    Joint credits ("AFP/Reuters") resolve to the first known agency in them.
    """
    index = agency_index()
    found = index.get(agency_key(text))
    if found is None:
        for part in _JOINT_CREDIT.split(text):
            found = index.get(agency_key(part)) if part else None
            if found is not None:
                break
    if found is None:
        return " ".join(text.split()), False
    return found.name, True


def _looks_like_agency(text: str) -> bool:
    # An unknown credit is kept only when it reads like a name: a few capitalised words.
    words = text.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() or w in {"and", "of", "&"} for w in words)


def _place_name(place: str, region: str | None) -> str:
    name = _title_case(place) if place == place.upper() else place
    return f"{name}, {region}" if region else name


def _title_case(place: str) -> str:
    """KUWAIT CITY -> Kuwait City, RIO DE JANEIRO -> Rio de Janeiro, N'DJAMENA -> N'Djamena."""
    particles = dateline_rules().lowercase_particles
    words = []
    for index, word in enumerate(place.split()):
        parts = []
        for part_index, part in enumerate(word.split("-")):
            lower = part.lower()
            if (index or part_index) and lower in particles:
                parts.append(lower)
            else:
                parts.append(_capitalise(lower))
        words.append("-".join(parts))
    return " ".join(words)


def _capitalise(word: str) -> str:
    head, apostrophe, tail = word.partition("'") if "'" in word else word.partition("’")
    if apostrophe and len(head) == 1 and tail:
        # O'HARE, N'DJAMENA: a one-letter prefix, then a capitalised name.
        return head.upper() + apostrophe + tail[:1].upper() + tail[1:]
    return word[:1].upper() + word[1:]
