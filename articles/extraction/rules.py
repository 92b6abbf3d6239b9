"""The rule data files under ``data/``, loaded once and compiled."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .normalize import phrase_key

_DATA = "articles.extraction"
_NON_WORD = re.compile(r"[\W_]+")


def _data_text(name: str) -> str:
    return resources.files(_DATA).joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _data_json(name: str) -> dict:
    return json.loads(_data_text(name))


def _data_lines(name: str) -> list[str]:
    """Non-blank lines of a text rule file, without ``#`` comment lines."""
    lines = (line.strip() for line in _data_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class PhraseRules:
    """Whole-line phrases (compared by ``phrase_key``) and regular expressions."""

    phrases: frozenset[str]
    pattern: re.Pattern[str] | None

    def match(self, key: str, light: str) -> bool:
        if key in self.phrases:
            return True
        return self.pattern is not None and self.pattern.fullmatch(light) is not None


def _phrase_rules(name: str) -> PhraseRules:
    phrases: set[str] = set()
    patterns: list[str] = []
    for line in _data_lines(name):
        if line.startswith("re:"):
            patterns.append(line[3:].strip())
        else:
            phrases.add(phrase_key(line))
    return PhraseRules(frozenset(phrases), _joined_pattern(patterns) if patterns else None)


def _joined_pattern(sources: list[str]) -> re.Pattern[str]:
    """One pattern matching any of ``sources``, each compiled alone first so a faulty one fails with its own error."""
    for source in sources:
        re.compile(source)
    return re.compile("|".join(f"(?:{source})" for source in sources))


# Where the notice rules start: at a word, at the start of a sentence, at the start of the block.
_ANCHORS = (r"\b", "(?:^|[.!?] )", "^")


def _search_pattern(sources: list[str]) -> re.Pattern[str]:
    """A pattern that finds any of ``sources`` somewhere in a text, for whether one is there.

    A search tries every alternative at every position of the text; the rules that open
    with the same anchor share one test of it, so at most positions the anchor fails once
    instead of once per rule (a fifth of the time on a page's blocks).
    """
    for source in sources:
        re.compile(source)
    groups: dict[str, list[str]] = {}
    for source in sources:
        anchor = next((a for a in _ANCHORS if _opens_with(source, a)), "")
        groups.setdefault(anchor, []).append(source[len(anchor) :])
    return re.compile(
        "|".join(
            anchor + "(?:" + "|".join(f"(?:{rest})" for rest in rests) + ")"
            for anchor, rests in groups.items()
        )
    )


def _opens_with(source: str, anchor: str) -> bool:
    """Whether ``source`` is ``anchor`` followed by the rest of one alternative, unrepeated."""
    rest = source[len(anchor) :]
    return source.startswith(anchor) and rest[:1] not in ("*", "+", "?", "{") and not _has_top_branch(rest)


def _has_top_branch(source: str) -> bool:
    """Whether ``source`` holds a ``|`` outside any group or character set."""
    depth, index, in_set = 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            # A "]" first in the set (after any "^") is one of its characters, not its end.
            if source.startswith("^]", index + 1):
                index += 2
            elif source.startswith("]", index + 1):
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


@cache
def boilerplate_rules() -> PhraseRules:
    return _phrase_rules("boilerplate.txt")


@cache
def notice_pattern() -> re.Pattern[str]:
    """The rules of data/notices.txt as one pattern, searched in a block's light form."""
    return _search_pattern(_data_lines("notices.txt"))


@cache
def text_furniture_rules() -> PhraseRules:
    """data/text_furniture.txt: line rules for plain-text pages only."""
    return _phrase_rules("text_furniture.txt")


@cache
def text_notice_pattern() -> re.Pattern[str]:
    """data/text_notices.txt as one pattern: notices of plain-text pages only."""
    return _search_pattern(_data_lines("text_notices.txt"))


@cache
def error_page_rules() -> PhraseRules:
    return _phrase_rules("error_pages.txt")


# A count as sites print it: 7484, 7,484, 7.484 or 7 484, or abridged: 12K, 2.3K, 1,2K, 1.2M.
_COUNT = (
    r"(?P<n>(?P<abridged>\d{1,3}(?:[.,]\d{1,2})?)\s?(?P<unit>[kKmM])\b"
    r"|\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)"
)


@cache
def counter_patterns() -> tuple[re.Pattern[str], ...]:
    # Punctuation, icons and brackets may surround the counter; the line holds nothing else.
    edge = r"[\W_]{0,8}"
    return tuple(
        re.compile(edge + line.replace("{n}", _COUNT) + edge, re.IGNORECASE)
        for line in _data_lines("counters.txt")
    )


@dataclass(frozen=True)
class Agency:
    name: str
    full_name: str
    aliases: tuple[str, ...]
    generic: bool
    own_staff: bool = False


def agency_key(name: str) -> str:
    """How agency names are compared: case folded, punctuation and spaces ignored."""
    return _NON_WORD.sub("", name.casefold())


@cache
def agencies() -> tuple[Agency, ...]:
    return tuple(
        Agency(
            name=item["name"],
            full_name=item.get("full_name", item["name"]),
            aliases=tuple(item.get("aliases", ())),
            generic=bool(item.get("generic", False)),
            own_staff=bool(item.get("own_staff", False)),
        )
        for item in _data_json("agencies.json")["agencies"]
    )


@cache
def agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in agencies():
        for name in (agency.name, agency.full_name, *agency.aliases):
            index.setdefault(agency_key(name), agency)
    return index


@dataclass(frozen=True)
class DatelineRules:
    months: dict[str, int]
    separators: tuple[str, ...]
    not_places: frozenset[str]
    lowercase_particles: frozenset[str]


@cache
def dateline_rules() -> DatelineRules:
    data = _data_json("datelines.json")
    months = {name: int(number) for number, names in data["months"].items() for name in names}
    return DatelineRules(
        months=months,
        # Longest first, so "--" is not read as "-" followed by text.
        separators=tuple(sorted(data["separators"], key=len, reverse=True)),
        not_places=frozenset(p.upper() for p in data["not_places"]),
        lowercase_particles=frozenset(data["lowercase_particles"]),
    )


@dataclass(frozen=True)
class TextPageRules:
    """The pieces of data/text_pages.json: how a plain-text page is laid out around its story."""

    story_end: re.Pattern[str]
    date_words: frozenset[str]
    weekdays: frozenset[str]
    time_zones: frozenset[str]
    label_small_words: frozenset[str]
    menu_words: frozenset[str]
    nav_separator: re.Pattern[str]


@cache
def text_page_rules() -> TextPageRules:
    data = _data_json("text_pages.json")
    zones = {*data["time_zones"], *_data_json("metadata.json")["time_zones"]}
    separators = "|".join(re.escape(s) for s in data["nav_separators"])
    return TextPageRules(
        story_end=_joined_pattern(data["story_ends"]),
        date_words=frozenset(data["date_words"]),
        weekdays=frozenset(data["weekdays"]),
        time_zones=frozenset(zone.casefold() for zone in zones),
        label_small_words=frozenset(data["label_small_words"]),
        menu_words=frozenset(_NON_WORD.sub("", word.casefold()) for word in data["menu_words"]),
        nav_separator=re.compile(rf"\s*(?:{separators})\s*"),
    )


@dataclass(frozen=True)
class BinarySignature:
    magic: bytes
    offset: int
    what: str
    needs_nul: bool


@dataclass(frozen=True)
class SignatureRules:
    signatures: tuple[BinarySignature, ...]
    binary_content_types: tuple[str, ...]


@cache
def signature_rules() -> SignatureRules:
    data = _data_json("signatures.json")
    signatures = tuple(
        BinarySignature(
            magic=bytes.fromhex(item["hex"]),
            offset=int(item.get("offset", 0)),
            what=item["what"],
            needs_nul=bool(item.get("needs_nul", False)),
        )
        for item in data["magic"]
    )
    return SignatureRules(signatures, tuple(data["binary_content_types"]))


@cache
def metadata_keys() -> dict[str, tuple[str, ...]]:
    data = _data_json("metadata.json")
    return {key: tuple(value) for key, value in data.items() if isinstance(value, list)}


_NAME_BREAK = re.compile(r"[-_\s]")


@dataclass(frozen=True)
class RelatedRules:
    class_markers: tuple[str, ...]
    # Any marker anywhere in a value: most values hold none, and one search says so.
    any_marker: re.Pattern[str]
    heading_phrases: frozenset[str]
    min_link_words: int
    max_links: int

    def says_related(self, names: str) -> bool:
        """Whether a class or id value holds a marker at the start of the value or of one of its
        parts ("post-related-list", "relatedArticles"), in any case."""
        names = names.lower()
        if names.startswith(self.class_markers):
            return True
        if self.any_marker.search(names) is None:
            return False
        return any(names.startswith(self.class_markers, m.end()) for m in _NAME_BREAK.finditer(names))


@cache
def related_rules() -> RelatedRules:
    data = _data_json("related.json")
    markers = tuple(marker.lower() for marker in data["class_markers"])
    # "relatedposts" holds "related": searching for the shorter finds both.
    least = sorted(m for m in set(markers) if not any(other != m and other in m for other in markers))
    return RelatedRules(
        class_markers=markers,
        any_marker=re.compile("|".join(map(re.escape, least))),
        heading_phrases=frozenset(phrase_key(p) for p in data["heading_phrases"]),
        min_link_words=int(data["min_link_words"]),
        max_links=int(data["max_links"]),
    )


@cache
def abbreviations() -> frozenset[str]:
    return frozenset(a.casefold() for a in _data_json("sentences.json")["abbreviations"])


@cache
def common_words() -> frozenset[str]:
    return frozenset(_data_lines("common_words.txt"))
