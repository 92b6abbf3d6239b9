"""Publication dates: parsed from page metadata, or completed from the dateline."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from .types import PRECISION_DAY, PRECISION_MINUTE, PRECISION_UNKNOWN, Dateline

# Dates outside this range on a news page are placeholders or typos, not publication dates.
_EARLIEST_YEAR = 1980
_LATEST_YEAR = 2100
_ISO_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE_SEPARATED = re.compile(r"\d{4}-\d{2}-\d{2} \d")
_COLONLESS_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")

Published = tuple[dt.datetime | dt.date | None, str]


def parse_date_value(value: str) -> Published:
    """A date or date-time as metadata states it, with its precision; (None, unknown) if unreadable.

    A time of exactly midnight is how many sites write a bare date, so it counts as a day.
    """
    value = (value or "").strip()
    if not value:
        return None, PRECISION_UNKNOWN
    parsed = _parse_iso(value) or _parse_rfc2822(value)
    if parsed is None or not _EARLIEST_YEAR <= parsed.year <= _LATEST_YEAR:
        return None, PRECISION_UNKNOWN
    if isinstance(parsed, dt.datetime):
        if parsed.time() == dt.time(0, 0):
            return parsed.date(), PRECISION_DAY
        return parsed.replace(second=0, microsecond=0), PRECISION_MINUTE
    return parsed, PRECISION_DAY


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


def _parse_iso(value: str) -> dt.datetime | dt.date | None:
    if _ISO_DATE_ONLY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    candidate = value.replace(" ", "T", 1) if _SPACE_SEPARATED.match(value) else value
    # Python 3.11 reads most ISO 8601, but not a "+0300" offset without a colon.
    candidate = _COLONLESS_OFFSET.sub(r"\1:\2", candidate)
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_rfc2822(value: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
