"""In-article name rules: titles stripped, title-led names, surname and acronym keys."""

from __future__ import annotations

import re

from .rules import NameRules, name_rules
from .types import ORGANIZATION, PERSON, PLACE

_GAP = re.compile(r"[^\S\n]+")
_NAME_WORD = re.compile(r"(?:[A-Z]\.)+(?=[^\S\n])|[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "P.S. Narasimha", "George W. Bush"
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = re.compile(r"\s*$|[^\S\n]*\n|[^\S\n]+[\"“‘']?[A-Z]")
_FIRST_WORD = re.compile(r"([\w'’-]+?)(?:['’]s)?[^\S\n]+")
_LAST_WORD = re.compile(r"[^\S\n]+([\w'’-]+)[^\w]*$")
_LETTERS = re.compile(r"[^\W\d_]+")
_EDGE_JUNK = " \t\n\"'“”‘’«»()[]{},;:.!?–—-"
MAX_NAME_WORDS = 4


def title_spans(text: str, rules: NameRules | None = None) -> list[tuple[int, int]]:
    """Where a title or role ("Secretary of State", "Foreign Minister") occurs in ``text``."""
    rules = rules or name_rules()
    # The title pattern is tried only where a word that opens a title starts: the same spans as
    # ``rules.titles.finditer(text)``, without trying two hundred alternatives at every word.
    spans: list[tuple[int, int]] = []
    for word in _LETTERS.finditer(text):
        if word.start() < (spans[-1][1] if spans else 0) or word.group().casefold() not in rules.title_starts:
            continue
        if title := rules.titles.match(text, word.start()):
            spans.append(title.span())
    return spans


def titled_names(
    text: str, rules: NameRules | None = None, titles: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """Names that follow a title, as ``(title_start, name_start, name_end)``: "President [Vladimir Putin]".

    ``titles`` is :func:`title_spans` of the text when the caller has it already.
    """
    rules = rules or name_rules()
    titles = title_spans(text, rules) if titles is None else titles
    starts = {start: end for start, end in titles}
    found = []
    position = 0
    for title_start, end in titles:
        if title_start < position:
            continue
        while (gap := _GAP.match(text, end)) and gap.end() in starts:
            end = starts[gap.end()]  # titles in a row: "Oil Minister Dr."
        span = name_after(text, end, rules)
        if span:
            found.append((title_start, *span))
            position = span[1]
        else:
            position = end
    return found


def name_after(text: str, position: int, rules: NameRules) -> tuple[int, int] | None:
    """The span of the capitalised name (up to four words) after ``position``, or None."""
    start = end = None
    words = 0
    while words < MAX_NAME_WORDS:
        gap = _GAP.match(text, position)
        if not gap:
            break
        word = _NAME_WORD.match(text, gap.end())
        if not word:
            break
        token = word.group()
        if token in rules.particles:  # "de Maiziere": only with a capitalised word after it
            following = _GAP.match(text, word.end())
            nxt = following and _NAME_WORD.match(text, following.end())
            if not nxt or not _capitalised(nxt.group(), rules):
                break
            start = gap.end() if start is None else start
            position = word.end()
            continue
        if not _capitalised(token, rules):
            break
        possessive = _POSSESSIVE.search(token)
        token_end = word.end() - (len(possessive.group()) if possessive and "-" not in token[-3:] else 0)
        start = gap.end() if start is None else start
        end = token_end
        words += 1
        position = word.end()
        if token_end != word.end():
            break
    return (start, end) if end is not None else None


def _capitalised(token: str, rules: NameRules) -> bool:
    head, _, rest = token.partition("-")
    if head in rules.particles and rest:  # "al-Assad"
        token = rest
    return (token[:1].isupper() and token not in rules.not_names and not token.isupper()) or _initial(token)


def _initial(token: str) -> bool:
    return (len(token) == 1 and token.isupper()) or bool(_DOTTED_INITIALS.fullmatch(token))


def strip_span(
    text: str, start: int, end: int, type_: str, rules: NameRules | None = None
) -> tuple[int, int]:
    """The name inside a model span: no determiner, no title before a person, no descriptor after an
    organisation, no possessive, no punctuation at the edges. May return an empty span."""
    rules = rules or name_rules()
    start, end = _trim(text, start, end)
    if determiner := rules.determiners.match(text[start:end]):
        start += determiner.end()
    # Names do not start with lower-case words either: "meet Central Board ...", "ministry's Drug ...".
    while (
        (first := _FIRST_WORD.match(text, start, end))
        and first.group(1).islower()
        and first.group(1) not in rules.particles
    ):
        start = first.end()
    if type_ == PERSON:
        for match in rules.titles.finditer(text, start, end):
            if match.end() < end:
                start = match.end()
    elif type_ in (ORGANIZATION, PLACE):
        # Names do not end in lower-case words: "the Islamic State group", "the Hamrin mountains",
        # "University of the Witwatersrand in".
        while (
            (last := _LAST_WORD.search(text, start, end)) and last.start() > start and last.group(1).islower()
        ):
            end = last.start()
    if possessive := re.search(r"['’]s$", text[start:end]):
        end -= len(possessive.group())
    return _trim(text, start, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while (
        end > start
        and text[end - 1] in _EDGE_JUNK
        and not (text[end - 1] == "." and _abbreviation(text, start, end))
    ):
        end -= 1
    return start, end


def _abbreviation(text: str, start: int, end: int) -> bool:
    # Keep the dot of "U.S." and of "Corp." inside a sentence; drop a sentence's full stop, also
    # after "Ltd" when the sentence ends there ("run by Nidd Valley Coaches Ltd. Council officers").
    span = text[start:end]
    if re.search(r"(?:^|\W)(?:[A-Z]\.)+$", span):
        return True
    return bool(re.search(r"\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St)\.$", span)) and not sentence_ends(text, end)


def sentence_ends(text: str, end: int) -> bool:
    """True when the full stop before ``end`` closes a sentence: a line break, the end of the text or
    a capitalised word (or an opening quote) follows."""
    return bool(_SENTENCE_END.match(text, end))


def normalise_name(surface: str) -> str:
    """A surface form as a name: inner whitespace collapsed, curly apostrophes kept."""
    return " ".join(surface.split())


def surname_keys(name: str, rules: NameRules | None = None) -> list[str]:
    """The short forms a full personal name goes by later in a story: "Vladimir Putin" -> ["Putin"],
    "Bashar al-Assad" -> ["al-Assad", "Assad"], "Thomas de Maiziere" -> ["de Maiziere", "Maiziere"],
    "Ban Ki-moon" -> ["Ban"] (a family name that comes first)."""
    rules = rules or name_rules()
    words = name.split()
    if len(words) < 2:
        return []
    last = words[-1]
    head, _, rest = last.partition("-")
    if rest and rest[:1].islower() and head[:1].isupper():  # "Ki-moon": the family name is the first word
        return [words[0]]
    keys = [last]
    if len(words) >= 3 and words[-2] in rules.particles:
        keys = [f"{words[-2]} {last}", last]
    elif rest and head.lower() in rules.particles and rest[:1].isupper():
        keys.append(rest)
    return keys


def acronym(name: str, rules: NameRules | None = None) -> str | None:
    """The initials of a multi-word name, skipping "of", "the", "and": "Islamic State of Iraq and the
    Levant" -> "ISIL", "Agence France-Presse" -> "AFP"; None for fewer than two significant words."""
    rules = rules or name_rules()
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in rules.acronym_skip]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


NAMEABLE_TYPES = (PERSON, ORGANIZATION, PLACE)
