"""The alias matcher: every alias of the table in one Aho-Corasick automaton, compiled once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from .text import Lines, at_word_boundaries, fold_case, fold_marks, is_short_caps
from .types import AliasRecord


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """A span of the text that is an alias of one or more entities (several when they share it)."""

    start: int
    end: int
    text: str
    records: tuple[AliasRecord, ...]

    @property
    def blocked(self) -> bool:
        """True when every entity behind this alias is blocked: the span is suppressed."""
        return all(record.blocked for record in self.records)


class AliasMatcher:
    """Finds the table's aliases in a text: case-insensitive on word boundaries, longest match first.

    Short all-caps aliases ("IS", "UN", "AP") and aliases flagged case-sensitive match only as
    written; the short all-caps ones never on a line written in capitals. A case-insensitive
    alias that has a capital letter needs one in the text too, so "Nice" the city does not
    match "nice". Build time and memory grow linearly with the table (50,000 aliases: well under
    a second); matching is linear in the text.
    """

    def __init__(self, records: Iterable[AliasRecord]):
        self.records: tuple[AliasRecord, ...] = tuple(records)
        folded: dict[str, list[int]] = {}
        exact: dict[str, list[int]] = {}
        for index, record in enumerate(self.records):
            text = record.text.strip()
            if not text:
                continue
            if record.case_sensitive or is_short_caps(text):
                exact.setdefault(fold_marks(text), []).append(index)
            else:
                folded.setdefault(fold_case(text), []).append(index)
        self._folded = _automaton(folded)
        self._exact = _automaton(exact)
        self._lookup = {key: tuple(self.records[i] for i in indexes) for key, indexes in folded.items()}
        for key, indexes in exact.items():
            self._lookup.setdefault(fold_case(key), ())
            self._lookup[fold_case(key)] += tuple(self.records[i] for i in indexes)

    def __len__(self) -> int:
        return len(self.records)

    def lookup(self, surface: str) -> tuple[AliasRecord, ...]:
        """The records whose alias is ``surface``, ignoring case (the case rules do not apply here)."""
        return self._lookup.get(fold_case(surface.strip()), ())

    def find(self, text: str, lines: Lines | None = None) -> list[AliasMatch]:
        """Non-overlapping alias matches in text order; where two overlap the longer wins."""
        lines = lines or Lines(text)
        candidates: list[tuple[int, int, tuple[AliasRecord, ...]]] = []
        if self._folded is not None:
            folded = fold_case(text)
            for end, (length, indexes) in self._folded.iter(folded):
                start, stop = end - length + 1, end + 1
                if not at_word_boundaries(text, start, stop):
                    continue
                surface = text[start:stop]
                records = tuple(self.records[i] for i in indexes if _case_fits(self.records[i].text, surface))
                if records:
                    candidates.append((start, stop, records))
        if self._exact is not None:
            for end, (length, indexes) in self._exact.iter(fold_marks(text)):
                start, stop = end - length + 1, end + 1
                if not at_word_boundaries(text, start, stop):
                    continue
                records = tuple(
                    self.records[i]
                    for i in indexes
                    if not (is_short_caps(self.records[i].text) and lines.shouting(start))
                )
                if records:
                    candidates.append((start, stop, records))
        return _longest_first(text, candidates)


def _automaton(keys: dict[str, list[int]]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, indexes in keys.items():
        automaton.add_word(key, (len(key), tuple(indexes)))
    automaton.make_automaton()
    return automaton


def _case_fits(alias: str, surface: str) -> bool:
    # A proper-noun alias must not match an all-lower-case word: "Nice" is not "nice".
    return surface != surface.lower() or alias == alias.lower()


def _longest_first(text: str, candidates: list[tuple[int, int, tuple[AliasRecord, ...]]]) -> list[AliasMatch]:
    merged: dict[tuple[int, int], tuple[AliasRecord, ...]] = {}
    for start, stop, records in candidates:  # the same span from both automata: one match
        merged[start, stop] = merged.get((start, stop), ()) + records
    ordered = sorted(merged.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0]))
    taken = bytearray(len(text))
    chosen = []
    for (start, stop), records in ordered:
        if any(taken[start:stop]):
            continue
        taken[start:stop] = b"\x01" * (stop - start)
        chosen.append(AliasMatch(start, stop, text[start:stop], records))
    chosen.sort(key=lambda m: m.start)
    return chosen
