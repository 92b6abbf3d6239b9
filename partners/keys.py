"""Token keys: made from the system's random source, recognised by shape, stored as a digest."""

from __future__ import annotations

import hashlib
import re
import secrets

# "nr_" and 43 URL-safe characters (32 random bytes): the prefix tells a leaked key for what it is.
KEY_PREFIX = "nr_"
KEY_SHAPE = re.compile(r"nr_[A-Za-z0-9_-]{43}")
# Characters kept for display: "nr_" and the first eight of the random part.
SHOWN = len(KEY_PREFIX) + 8


def key_make() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def key_well_formed(key: str) -> bool:
    """Whether ``key`` could be a key at all: anything else is refused before the database is asked."""
    return KEY_SHAPE.fullmatch(key) is not None
