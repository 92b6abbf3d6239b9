"""What an element's class, id, role and tag say it holds: comments, related links, a byline, the article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree

from .rules import _data_json

# Bits for the categories of data/page_markers.json, in this order, and one for the
# schema.org microdata that names the article body outright.
CATEGORIES = ("comment", "related", "share", "author", "promo", "meta", "media", "nav", "content")
BITS = {name: 1 << position for position, name in enumerate(CATEGORIES)}
ARTICLE_BODY = 1 << len(CATEGORIES)
_WORD_BREAK = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
# A class attribute longer than this is generated styling, not a name anyone chose.
_MAX_ATTRIBUTE_CHARS = 300


@dataclass(frozen=True)
class PageMarkers:
    words: dict[str, int]
    prefixes: dict[str, int]
    prefix_pattern: re.Pattern[str]
    tags: dict[str, int]

    def marks(self, element: etree._Element, tag: str) -> int:
        """The category bits of ``element``."""
        bits = self.tags.get(tag, 0)
        get = element.get
        names = f"{get('class') or ''} {get('id') or ''} {get('role') or ''}"
        if len(names) > 2:
            bits |= _attribute_marks(self, names[:_MAX_ATTRIBUTE_CHARS])
        if get("itemprop") == "articleBody":
            bits |= ARTICLE_BODY
        return bits

    def attribute_marks(self, value: str) -> int:
        return _attribute_marks(self, value)


@cache
def page_markers() -> PageMarkers:
    data = _data_json("page_markers.json")
    words: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    for name, rules in data["categories"].items():
        for word in rules["words"]:
            words[word.lower()] = words.get(word.lower(), 0) | BITS[name]
        for prefix in rules["prefixes"]:
            prefixes[prefix.lower()] = prefixes.get(prefix.lower(), 0) | BITS[name]
    # Longest first, so the pattern names the most specific prefix.
    pattern = re.compile("|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)) or "(?!)")
    tags = {tag: BITS[name] for tag, name in data["tags"].items()}
    return PageMarkers(words, prefixes, pattern, tags)


# Class names repeat within a page and across the pages of a site or a CMS: their marks
# are kept, by name and by whole value, up to this many.
_cache: dict[str, int] = {}
_MAX_CACHED = 50_000


def _attribute_marks(markers: PageMarkers, value: str) -> int:
    # Whole values repeat too ("menu-item menu-item-type-post"): one lookup for those.
    bits = _cache.get(value)
    if bits is not None:
        return bits
    bits = 0
    for name in value.split():
        found = _cache.get(name)
        if found is None:
            found = _remember(name, _name_marks(markers, name))
        bits |= found
    return _remember(value, bits)


def _remember(key: str, bits: int) -> int:
    if len(_cache) >= _MAX_CACHED:
        _cache.clear()
    _cache[key] = bits
    return bits


def _name_marks(markers: PageMarkers, name: str) -> int:
    bits = 0
    words, prefixes, prefix = markers.words, markers.prefixes, markers.prefix_pattern.match
    for word in _WORD_BREAK.split(name):
        if word:
            word = word.lower()
            found = words.get(word)
            if found is None:
                match = prefix(word)
                found = prefixes[match.group()] if match else 0
            bits |= found
    return bits
