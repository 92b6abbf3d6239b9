"""The tagging engine behind entity tagging: compiled from the alias table, rebuilt when it changes.

The only code that names anything in ``entities.tagging``; a rename there is one edit here.
Each process keeps one compiled tagger (the only process-wide state of the app) and compiles
it again when the stored aliases version moves: an entity or alias changed anywhere.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from entities import tagging
from entities.selectors import ALIASES_VERSION_KEY, AliasRow, alias_table_rows, aliases_version

EXAMPLES_KEPT = 3


@dataclass(frozen=True)
class EntityFound:
    """One entity in an article: every place it is named, summed up."""

    entity_id: int
    count: int
    spans: list[list[int]]
    confidence: float
    method: str


@dataclass(frozen=True)
class NameSuggested:
    """A name the model found that no entity has."""

    name: str
    type: str
    count: int
    examples: list[str]


@dataclass(frozen=True)
class TagFindings:
    entities: list[EntityFound] = field(default_factory=list)
    suggestions: list[NameSuggested] = field(default_factory=list)


def engine_create(*, use_model: bool = True, previous=None):
    """A tagger compiled from the stored alias table, as tagging and ``manage.py tag`` use it.

    A ``previous`` engine lends its loaded model, so only the alias automaton is built again.
    ``settings.ENTITIES_NER_MODEL`` names the spaCy package ("auto": the small English one
    when installed; empty: alias table and rules only).
    """
    return _engine_compile(alias_table_rows(), use_model=use_model, previous=previous)


def _engine_compile(rows: Iterable[AliasRow], *, use_model: bool = True, previous=None):
    records = [
        tagging.AliasRecord(
            entity_key=str(row.entity_id),
            name=row.name,
            type=row.type,
            text=row.text,
            case_sensitive=row.case_sensitive,
            ambiguous=row.ambiguous,
            blocked=row.blocked,
        )
        for row in rows
    ]
    if previous is not None:
        return previous.with_records(records)
    model = settings.ENTITIES_NER_MODEL if use_model else ""
    return tagging.Tagger(records, model=model or None)


def _engine_tag(engine, text: str) -> TagFindings:
    return _engine_findings(engine.tag(text))


def _engine_tag_many(engine, texts: list[str]) -> list[TagFindings]:
    """Tag several texts, the model running over them in batches."""
    return [_engine_findings(result) for result in engine.tag_many(texts)]


def _engine_findings(result) -> TagFindings:
    linked = [m for m in result.mentions if m.entity_key is not None]
    found = [
        EntityFound(
            entity_id=int(group.entity_key),
            count=group.count,
            spans=[list(span) for span in group.spans],
            confidence=float(group.confidence),
            method=group.method,
        )
        for group in tagging.aggregate(linked)
    ]
    suggestions = [
        NameSuggested(name=s.name, type=s.type, count=s.count, examples=list(s.examples)[:EXAMPLES_KEPT])
        for s in result.suggestions
    ]
    return TagFindings(entities=found, suggestions=suggestions)


def engine_starter_records() -> list[tuple[str, str, str, str, bool, bool]]:
    """The seeded knowledge as (key, canonical name, type, alias text, case-sensitive, ambiguous)."""
    return [
        (r.entity_key, r.name, r.type, r.text, r.case_sensitive, r.ambiguous)
        for r in tagging.starter_records()
    ]


# --- The compiled tagger, rebuilt when the alias table changes --------------------------------


@dataclass
class CompiledTagger:
    """The matcher compiled from the entity tables at ``version``, with the names editors blocked."""

    version: str
    engine: object
    blocked_names: frozenset[str]

    def tag(self, text: str) -> TagFindings:
        return self._unblocked(_engine_tag(self.engine, text))

    def tag_many(self, texts: list[str]) -> list[TagFindings]:
        return [self._unblocked(findings) for findings in _engine_tag_many(self.engine, texts)]

    def _unblocked(self, findings: TagFindings) -> TagFindings:
        suggestions = [s for s in findings.suggestions if s.name.casefold() not in self.blocked_names]
        return TagFindings(entities=findings.entities, suggestions=suggestions)


_tagger: CompiledTagger | None = None
_tagger_lock = threading.Lock()


def tagger_get() -> CompiledTagger:
    """This process's tagger, compiled again if an entity or alias changed since it was built."""
    global _tagger
    version = aliases_version()
    tagger = _tagger
    if tagger is None or tagger.version != version:
        with _tagger_lock:
            if _tagger is None or _tagger.version != version:
                _tagger = tagger_build(version=version, previous=_tagger)
            tagger = _tagger
    return tagger


def tagger_build(*, version: str = "", previous: CompiledTagger | None = None) -> CompiledTagger:
    """Compile the matcher from the stored alias table (see ``selectors.alias_table_rows``)."""
    rows = alias_table_rows()
    blocked_names = frozenset(row.text.casefold() for row in rows if row.blocked)
    engine = _engine_compile(rows, previous=previous.engine if previous is not None else None)
    return CompiledTagger(version=version, engine=engine, blocked_names=blocked_names)


def aliases_version_bump() -> None:
    """Tell every worker its matcher is out of date, once the change is committed.

    Bumping before the commit would let a worker compile the old rows under the new stamp.
    """
    transaction.on_commit(lambda: cache.set(ALIASES_VERSION_KEY, uuid.uuid4().hex, timeout=None))
