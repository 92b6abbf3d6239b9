"""What the words around a name say it names: "residents of Kariega" (a place), "the manufacturer
Alstom" (an organisation), "Cleusa Marques, 58," (a person).

The small model reads unfamiliar names (towns, firms, people from outside its training news) by
their letters and often gets the type wrong; the words next to a name are a better guide. The
word lists are data (``data/context_words.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .rules import NameRules, data_json, name_rules
from .types import ORGANIZATION, PERSON, PLACE

_GAP = r"[^\S\n]+"
_WORD_BEFORE = re.compile(r"([\w'’-]+)[^\S\n]+$")
_TWO_BEFORE = re.compile(r"([\w'’-]+)[^\S\n]+([\w'’-]+)[^\S\n]+$")
_AGE = re.compile(r",[^\S\n]*\d{1,3}[^\S\n]*,")  # "Cleusa Marques, 58, who ..."
_WHO = re.compile(r",[^\S\n]+who\b")
# An appositive: ", a former world junior medallist," / ", the capital of North Darfur".
_APPOSITIVE = re.compile(
    r",[^\S\n]+(?:(?:a|an|the)[^\S\n]+)?((?:[a-z0-9][\w'’-]*[^\S\n]+){0,5}[a-z][\w'’-]*)"
)
_APPOSITIVE_END = frozenset(
    {"of", "at", "in", "for", "on", "with", "from", "who", "which", "that", "and", "to", "by"}
)
_ROLE_PREPOSITIONS = ("at", "of", "for", "with")
_NAME_WORD = r"[A-Z][\w'’&.-]*"


@dataclass(frozen=True)
class ContextWords:
    """The word lists of ``data/context_words.json`` (see its ``_about``)."""

    place_prepositions: frozenset[str]
    not_after_in: frozenset[str]
    place_of: frozenset[str]
    place_after: frozenset[str]
    org_before: frozenset[str]
    org_roles: re.Pattern[
        str
    ]  # a role, then "at", "of", "for" or "with", at the end of the text before a name
    names: re.Pattern[str]  # capitalised words, with connectors and name particles between them
    people: frozenset[str]
    places: frozenset[str]


@cache
def context_words() -> ContextWords:
    data = data_json("context_words.json")
    roles = "|".join(
        re.escape(r).replace(r"\ ", _GAP) for r in sorted(data["org_roles"], key=len, reverse=True)
    )
    return ContextWords(
        place_prepositions=frozenset(data["place_prepositions"]),
        not_after_in=frozenset(data["not_after_in"]),
        place_of=frozenset(data["place_of"]),
        place_after=frozenset(data["place_after"]),
        org_before=frozenset(data["org_before"]),
        org_roles=re.compile(rf"\b(?i:{roles}){_GAP}(?:{'|'.join(_ROLE_PREPOSITIONS)})(?:{_GAP}the)?{_GAP}$"),
        people=frozenset(data["people"]),
        places=frozenset(data["places"]),
        names=_names_pattern(),
    )


def _names_pattern() -> re.Pattern[str]:
    rules = name_rules()
    inner = "|".join(map(re.escape, sorted(rules.org_connectors | rules.particles, key=len, reverse=True)))
    return re.compile(rf"{_NAME_WORD}(?:{_GAP}(?:(?:{inner}){_GAP})*{_NAME_WORD}){{0,4}}")


def context_type(text: str, start: int, end: int, rules: NameRules | None = None) -> str | None:
    """The type the words just around ``text[start:end]`` give a name there, or None when they say nothing.

    A person's age or "who" after the name, or an appositive headed by a person noun or a title, make
    a person; an appositive headed by an organisation noun, such a noun just before the name, or a
    role before "at", "of", "for" ("an analyst at ...") make an organisation; a place appositive, a
    place preposition ("in", "near", "across"), "the town of" or a place noun after it
    ("... district", "... police") make a place. The first cue in that order wins.
    """
    rules = rules or name_rules()
    words = context_words()
    after = text[end : end + 80]
    if _AGE.match(after) or _WHO.match(after):
        return PERSON
    appositive = _appositive_type(after, words, rules)
    if appositive:
        return appositive
    before = text[max(0, start - 60) : start]
    if _org_before(before, words):
        return ORGANIZATION
    if _place_before(before, words) or _place_after(after, words):
        return PLACE
    return None


def cued_names(text: str, rules: NameRules | None = None) -> list[tuple[int, int, str]]:
    """Capitalised names the model may have missed, typed by the word before or after them:
    "the state logistics company [Transnet]", "the [Zindajan] district"."""
    rules = rules or name_rules()
    words = context_words()
    found = []
    for match in words.names.finditer(text):
        start, end = match.span()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’-"):
            continue
        surface = text[start:end].rstrip(".")
        end = start + len(surface)
        if surface.split()[0] in rules.not_names or rules.titles.match(surface):
            continue  # "The ...", "Chief Executive John Smith"
        before = text[max(0, start - 60) : start]
        after = text[end : end + 40]
        if _org_before(before, words):
            found.append((start, end, ORGANIZATION))
        elif _place_after(after, words) or _place_of(before, words):
            found.append((start, end, PLACE))
    return found


def _appositive_type(after: str, words: ContextWords, rules: NameRules) -> str | None:
    match = _APPOSITIVE.match(after)
    if not match:
        return None
    head = None
    for word in match.group(1).split():
        if word in _APPOSITIVE_END:
            break
        head = word
    if head is None:
        return None
    if head in words.people or rules.titles.fullmatch(head):
        return PERSON
    if head in words.org_before:
        return ORGANIZATION
    if head in words.places:
        return PLACE
    return None


def _org_before(before: str, words: ContextWords) -> bool:
    word = _WORD_BEFORE.search(before)
    if word and word.group(1) in words.org_before:
        return True
    return bool(words.org_roles.search(before))


def _place_before(before: str, words: ContextWords) -> bool:
    two = _TWO_BEFORE.search(before)
    if two:
        first, second = two.group(1).lower(), two.group(2)
        if second in words.place_prepositions and not (second == "in" and first in words.not_after_in):
            return True
    elif (one := _WORD_BEFORE.search(before)) and one.group(1) in words.place_prepositions:
        return True
    return _place_of(before, words)


def _place_of(before: str, words: ContextWords) -> bool:
    two = _TWO_BEFORE.search(before)
    return bool(two) and two.group(2) == "of" and two.group(1).lower() in words.place_of


def _place_after(after: str, words: ContextWords) -> bool:
    if after.startswith("-based"):
        return True
    word = re.match(rf"{_GAP}([a-z][\w-]*)", after)
    return bool(word) and word.group(1) in words.place_after
