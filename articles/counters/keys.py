"""Names of the Redis keys that hold view hits between flushes."""

from __future__ import annotations

import datetime as dt

# Beside the cache's own keys ("newsroom:<version>:..."), never among them: the cache's
# clear() removes only its own keys, so pending hits survive it.
KEY_PREFIX = "newsroom:views"
PENDING_KEY = f"{KEY_PREFIX}:pending"
BATCH_PREFIX = f"{KEY_PREFIX}:batch:"


def pending_field(article_id: int, day: dt.date) -> str:
    """The pending-hash field of one article's views on one day: ``"<article_id>:<YYYY-MM-DD>"``."""
    return f"{article_id}:{day.isoformat()}"


def pending_field_parse(field: bytes | str, *, default_day: dt.date) -> tuple[int, dt.date]:
    """The article and day of a pending field; a field written before days were kept is ``default_day``."""
    text = field.decode() if isinstance(field, bytes) else field
    article_id, _, day = text.partition(":")
    return int(article_id), dt.date.fromisoformat(day) if day else default_day


def seen_key(article_id: int, visitor: str) -> str:
    """Set for the dedupe window after a visitor's counted hit on an article."""
    return f"{KEY_PREFIX}:seen:{article_id}:{visitor}"


def address_key(article_id: int, address: str) -> str:
    """Counts an address's counted hits on an article within the dedupe window."""
    return f"{KEY_PREFIX}:addr:{article_id}:{address}"


def uniques_key(article_id: int, day: dt.date) -> str:
    """The HyperLogLog of an article's visitors on one day."""
    return f"{KEY_PREFIX}:uv:{day.isoformat()}:{article_id}"


def salt_key(day: dt.date) -> str:
    """The random salt of one day's visitor hashes; it expires soon after the day."""
    return f"{KEY_PREFIX}:salt:{day.isoformat()}"
