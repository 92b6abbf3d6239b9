"""Publication dates: parsed from page metadata, or completed from the dateline."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import cache

from .rules import _data_json, dateline_rules, text_page_rules
from .types import PRECISION_DAY, PRECISION_MINUTE, PRECISION_UNKNOWN, Dateline

# Dates outside this range on a news page are placeholders or typos, not publication dates.
_EARLIEST_YEAR = 1980
_LATEST_YEAR = 2100
# Longer values are prose, not a date.
_MAX_CHARS = 80
_ISO_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE_SEPARATED = re.compile(r"\d{4}-\d{2}-\d{2} +\d")
_COLONLESS_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_SPACE_BEFORE_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2}|Z)$")
_BASIC_ISO = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?")
_TIME = (
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
    r"(?:\s*\(?(?P<zone>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})\)?)?"
)
_RFC2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
# A date or time line: its words apart from separators and brackets.
_DATE_LINE_PUNCTUATION = re.compile(r"[,|·•()\[\]]|\s[-–—]\s|^[-–—]\s|\s[-–—]$")
_DATE_LINE_NUMBER = re.compile(r"\d[\d/.:-]*(?:st|nd|rd|th|h|am|pm)?")
_DATE_LINE_OFFSET = re.compile(r"(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?")
_DATE_LINE_RELATIVE = frozenset({"ago", "today", "yesterday"})
_DATE_LINE_MAX_WORDS = 16

Published = tuple[dt.datetime | dt.date | None, str]


def parse_date_value(value: str) -> Published:
    """A date or date-time as metadata states it, with its precision; (None, unknown) if unreadable.

    Reads ISO 8601 (also with a space, a colonless offset or in basic form), RFC 2822,
    year/month/day with slashes, and dates with English month names ("Apr 16, 2015 8:02
    pm UTC", "Thursday 16 April 2015 20:02 GMT"). An offset or a known zone name is kept
    as the time zone; a time without one stays naive. A time of exactly midnight is how
    many sites write a bare date, so it counts as a day.
    """
    value = (value or "").strip()
    if not value or len(value) > _MAX_CHARS:
        return None, PRECISION_UNKNOWN
    value = _without_label(value)
    try:
        parsed = _parse_iso(value) or _parse_numeric(value) or _parse_words(value) or _parse_rfc2822(value)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or not _EARLIEST_YEAR <= parsed.year <= _LATEST_YEAR:
        return None, PRECISION_UNKNOWN
    if isinstance(parsed, dt.datetime):
        if parsed.time() == dt.time(0, 0):
            return parsed.date(), PRECISION_DAY
        return parsed.replace(second=0, microsecond=0), PRECISION_MINUTE
    return parsed, PRECISION_DAY


def is_date_line(text: str) -> bool:
    """Whether a line states a date or time and nothing else ("Thu 05-10-2023 14:32 PM", "Updated 2 hours ago")."""
    rules = text_page_rules()
    months = dateline_rules().months
    tokens = [t.strip(":.") for t in _DATE_LINE_PUNCTUATION.sub(" ", text.casefold()).split()]
    tokens = [t for t in tokens if t]
    if not tokens or len(tokens) > _DATE_LINE_MAX_WORDS:
        return False
    dated = False
    for token in tokens:
        if (
            _DATE_LINE_NUMBER.fullmatch(token)
            or token in months
            or token in rules.weekdays
            or token in _DATE_LINE_RELATIVE
            or _DATE_LINE_OFFSET.fullmatch(token)
        ):
            dated = True
        elif token not in rules.date_words and token not in rules.time_zones:
            return False
    return dated


def same_day(date: dt.date, moment: dt.datetime) -> bool:
    """Whether a date-time falls on a date, read in its own time zone (as the page wrote both)."""
    return moment.date() == (date.date() if isinstance(date, dt.datetime) else date)


def is_before(later: dt.datetime | dt.date, earlier: dt.datetime | dt.date) -> bool:
    """Whether ``later`` is before ``earlier``, comparing by day when either lacks a time or a zone."""
    if (
        isinstance(later, dt.datetime)
        and isinstance(earlier, dt.datetime)
        and (later.tzinfo is None) == (earlier.tzinfo is None)
    ):
        return later < earlier
    return _day(later) < _day(earlier)


def published_from_dateline(dateline: Dateline | None, reference_date: dt.date | None) -> Published:
    """The day a dateline names, its year taken from the dateline or the reference date.

    A dateline month later than the reference month belongs to the year before (a
    story from December crawled in January). The year is never guessed otherwise.
    """
    if dateline is None or dateline.month is None or dateline.day is None:
        return None, PRECISION_UNKNOWN
    year = dateline.year
    if year is None and reference_date is not None:
        year = reference_date.year - 1 if dateline.month > reference_date.month else reference_date.year
    if year is None:
        return None, PRECISION_UNKNOWN
    try:
        return dt.date(year, dateline.month, dateline.day), PRECISION_DAY
    except ValueError:
        return None, PRECISION_UNKNOWN


@cache
def _zones() -> dict[str, dt.timezone]:
    """Zone abbreviations that name one offset only; ambiguous ones (IST, AST) are not listed."""
    zones = {}
    for name, offset in _data_json("metadata.json")["time_zones"].items():
        zone = _offset_zone(offset)
        if zone is not None:
            zones[name.upper()] = zone
    return zones


@cache
def _labels() -> re.Pattern[str]:
    labels = "|".join(re.escape(label) for label in _data_json("metadata.json")["date_labels"])
    return re.compile(rf"^(?:{labels})(?:\s+(?:on|at))?\s*:?\s+", re.IGNORECASE)


@cache
def _word_patterns() -> tuple[re.Pattern[str], ...]:
    weekday = r"(?:[A-Za-z]+\.?,?\s+)?"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?"
    month = r"(?P<month>[A-Za-z]{3,9})\.?"
    year = r"(?P<year>\d{4})"
    time = rf"(?:(?:\s*,\s*|\s+at\s+|\s*[-–|·•]\s*|\s+|T){_TIME})?"
    return (
        re.compile(rf"{weekday}{month}\s+{day},?\s+{year}{time}\s*", re.IGNORECASE),
        re.compile(rf"{weekday}{day}\s+(?:of\s+)?{month},?\s+{year}{time}\s*", re.IGNORECASE),
    )


# A calendar date inside a line of text: "June 3, 2024", "3 June 2024", "2024-06-03".
_DATE_IN_TEXT = re.compile(
    r"\b(?:(?P<m1>[A-Za-z]{3,9})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<m2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-\d{2}-\d{2})\b"
)


def holds_date(text: str) -> bool:
    """Whether ``text`` states a calendar date anywhere in it ("Updated 6:42 a.m. | June 3, 2024")."""
    months = dateline_rules().months
    for match in _DATE_IN_TEXT.finditer(text):
        month = match["m1"] or match["m2"]
        year = int(match["y1"] or match["y2"] or match["y3"])
        if (month is None or month.lower() in months) and _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            return True
    return False


def _without_label(value: str) -> str:
    return _labels().sub("", value, count=1)


def _parse_iso(value: str) -> dt.datetime | dt.date | None:
    if _ISO_DATE_ONLY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    candidate = re.sub(r"^(\d{4}-\d{2}-\d{2}) +", r"\1T", value) if _SPACE_SEPARATED.match(value) else value
    candidate = _SPACE_BEFORE_OFFSET.sub(r"\1\2", candidate)
    # Python 3.11 reads most ISO 8601, but not a "+0300" offset without a colon.
    candidate = _COLONLESS_OFFSET.sub(r"\1:\2", candidate)
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_rfc2822(value: str) -> dt.datetime | None:
    # The email parser reads almost anything; only a value shaped like RFC 2822 is given to it.
    if not _RFC2822.match(value):
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _parse_numeric(value: str) -> dt.datetime | dt.date | None:
    """20150416, 20150416T200201Z and 2015/04/16 20:02: forms without month names or ambiguity."""
    match = _BASIC_ISO.fullmatch(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        tz = dt.UTC if zone == "Z" else _offset_zone(zone) if zone else None
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
        )
    match = _SLASHED.fullmatch(value)
    if match:
        year, month, day, hour, minute = match.groups()
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute))
    return None


def _parse_words(value: str) -> dt.datetime | dt.date | None:
    months = dateline_rules().months
    for pattern in _word_patterns():
        match = pattern.fullmatch(value)
        if match is None or match["month"].lower() not in months:
            continue
        date = dt.date(int(match["year"]), months[match["month"].lower()], int(match["day"]))
        if match["hour"] is None:
            return date
        hour, minute = int(match["hour"]), int(match["minute"])
        if match["ampm"]:
            hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
        zone = _zone(match["zone"]) if match["zone"] else None
        if match["zone"] and zone is None and not match["zone"].isalpha():
            return None
        return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=zone)
    return None


def _zone(text: str) -> dt.timezone | None:
    if text.isalpha():
        return _zones().get(text.upper())
    return _offset_zone(text)


def _offset_zone(text: str) -> dt.timezone | None:
    match = _OFFSET.fullmatch(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > dt.timedelta(hours=14):
        return None
    return dt.timezone(-delta if sign == "-" else delta) if delta else dt.UTC


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
