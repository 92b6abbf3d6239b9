"""Names of events, storms, weather patterns, stock indices and currencies, which news NER does
not mark, nor the names inside them: "the Asian Cup", "the Boston Marathon", "the Nobel Prize",
"Storm Daniel", "Cyclone Freddy", "El Niño", "the Jakarta Composite Index", "the Topix index", "the
benchmark KOSPI", the "US" of "US$40 million", and of laws, treaties and programmes ("the Clean
Air Act", "the Paris Agreement").

The model reads such names as organisations, places or people, and the alias table finds the
place inside them ("Boston"). An event's name is capitalised words ending in a word that names a
contest, a prize or a gathering; a storm's is a storm word before a name.
"""

from __future__ import annotations

import re

_GAP = r"[^\S\n]+"
_EVENT_WORDS = (
    rf"Cup|Marathon|Olympics|Paralympics|Grand{_GAP}Prix|Championships?|Open{_GAP}Championship|"
    rf"Festival|Film{_GAP}Festival|Summit|Expo|Awards|Prize|Trophy|World{_GAP}Series|Super{_GAP}Bowl"
)
# Names that are events on their own, with or without capitalised words before them.
_GAMES = rf"(?:Olympic|Paralympic|Commonwealth|Asian|Pan{_GAP}American|African|Island){_GAP}Games|Olympics|Paralympics"
# One to four capitalised words (or a number, "T20", "2026") before the event word.
_EVENT = re.compile(
    rf"\b(?:(?:[A-Z][\w'’.-]*|\d{{4}}|T20){_GAP}){{1,4}}(?:{_EVENT_WORDS})\b"
    rf"|\b(?:(?:[A-Z][\w'’.-]*|\d{{4}}){_GAP}){{0,3}}(?:{_GAMES})\b"
)
# Weather patterns and seasonal winds, the Moon and the Sun.
_NATURE = re.compile(r"\b(?:El[^\S\n]+Ni[ñn]o|La[^\S\n]+Ni[ñn]a|Harmattan)\b|(?<=\bthe )(?:Moon|Sun)\b")
# A currency's country letters: "US$", "NZ$", "HK$".
_CURRENCY = re.compile(r"\b[A-Z]{1,3}(?=\$)")
_STORM = re.compile(
    rf"\b(?:(?:Super|Severe|Tropical|Extratropical|Post-Tropical){_GAP})*"
    rf"(?:Storm|Cyclone|Typhoon|Hurricane|Depression){_GAP}[A-Z][a-z]+\b"
)
# Laws, treaties and programmes: "the Prevention of Money Laundering Act", "the British Museum Act
# 1963", "the National Semiconductor Strategy", "the Paris Agreement", "the Home Improvement
# Programme", "Oman Vision 2040" (not "Bill Gates"). A body the alias table knows by such a name
# ("World Food Programme") is still read as the body (resolve.py).
_LAW_NAMES = (
    "Act|Bill|Scheme|Strategy|Initiative|Treaty|Accord|Convention|Agreement|Programme|Mechanism|Vision"
)
_LAW_WORDS = rf"(?:{_LAW_NAMES})\b"
_LAW = re.compile(
    rf"\b(?:(?!{_LAW_WORDS})[A-Z][\w'’.-]*{_GAP}(?:(?:of|on|and|for|the|to|in){_GAP})*){{1,7}}"
    rf"{_LAW_WORDS}(?!{_GAP}[A-Z])(?:{_GAP}\d{{4}}\b)?"
)
# An index named with its word ("Jakarta Composite Index", "CSI 300 Index"), one written before
# "index" or "gauge" ("the broader Topix index"), and one after "benchmark" ("the benchmark KOSPI").
_INDEX = re.compile(
    rf"\b(?:(?:[A-Z][\w&.-]*|\d{{1,4}}){_GAP}){{1,4}}Index\b"
    rf"|\b(?:[A-Z][\w&.-]*{_GAP}){{0,2}}[A-Z][\w&.-]*(?:{_GAP}\d{{1,4}})?(?=(?:['’]s)?{_GAP}(?:composite{_GAP})?(?:index|gauge)\b)"
    rf"|(?<=\bbenchmark )[A-Z][\w&.-]*(?:{_GAP}\d{{1,4}})?"
)
# Every name above ends in (or holds) one of these words: a text with none of them is not searched.
_ANY_WORD = re.compile(
    r"\b(?:Cup|Marathon|Olympics|Paralympics|Prix|Championships?|Festival|Summit|Expo|Awards|Prize|"
    r"Trophy|Series|Bowl|Games|Index|index|gauge|benchmark|Storm|Cyclone|Typhoon|Hurricane|Depression|"
    rf"{_LAW_NAMES})\b"
)
# Words that open a sentence rather than a name: "The World Cup" keeps "The" outside.
_OPENERS = re.compile(rf"^(?:The|A|An|This|That|Last|Next|Every|Each|At|In|On|For|From|After|Before){_GAP}")


def event_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the names of events, storms, weather patterns, indices and currencies in ``text``."""
    spans = [match.span() for match in _NATURE.finditer(text)]
    spans += [match.span() for match in _CURRENCY.finditer(text)]
    if not _ANY_WORD.search(text):
        return sorted(spans)
    for match in _EVENT.finditer(text):
        start = match.start()
        while opener := _OPENERS.match(text, start, match.end()):
            start = opener.end()
        spans.append((start, match.end()))
    for match in (*_INDEX.finditer(text), *_LAW.finditer(text)):
        start = match.start()
        while opener := _OPENERS.match(text, start, match.end()):
            start = opener.end()
        spans.append((start, match.end()))
    spans += [match.span() for match in _STORM.finditer(text)]
    return sorted(spans)
