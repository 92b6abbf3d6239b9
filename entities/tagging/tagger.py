"""The tagger: an alias table compiled once, the NER model when installed, and the in-article rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .matcher import AliasMatcher
from .model import NerModel, load_model
from .resolve import resolve
from .rules import name_rules
from .types import AliasRecord, Capabilities, TaggingResult

AUTO = "auto"


class Tagger:
    """Tags texts with the entities of one alias table.

    ``model`` is ``"auto"`` (the small English spaCy pipeline when installed), a spaCy package
    name, or None for the alias table and rules alone. Without spaCy or the model the tagger
    still works, alias table and rules only, and says so in :attr:`capabilities`. Build one per
    alias table and reuse it: the automaton is compiled here and the model is loaded once per
    process. After an alias change, :meth:`with_records` rebuilds only the automaton.
    """

    def __init__(self, records: Iterable[AliasRecord] = (), *, model: str | None = AUTO):
        self.matcher = AliasMatcher(records)
        self._model: NerModel | None
        if model is None:
            self._model, self.capabilities = None, Capabilities(detail="model switched off")
        else:
            self._model, self.capabilities = load_model(None if model == AUTO else model)
        self._rules = name_rules()

    def with_records(self, records: Iterable[AliasRecord]) -> Tagger:
        """A tagger for a new alias table that shares this one's model."""
        other = object.__new__(Tagger)
        other.matcher = AliasMatcher(records)
        other._model, other.capabilities, other._rules = self._model, self.capabilities, self._rules
        return other

    def with_model(self, model: NerModel | None) -> Tagger:
        """This tagger's alias table and rules with another loaded model (or none)."""
        other = object.__new__(Tagger)
        other.matcher, other._rules, other._model = self.matcher, self._rules, model
        detail = "model switched off" if model is None else f"model {model.name}"
        other.capabilities = Capabilities(
            model=model is not None, model_name=model.name if model else None, detail=detail
        )
        return other

    def tag(self, text: str) -> TaggingResult:
        """The mentions in ``text`` (character offsets into it) and the unknown names found."""
        spans = self._model.spans(text) if self._model else None
        return resolve(text, self.matcher, spans, self._rules)

    def tag_many(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[TaggingResult]:
        """:meth:`tag` for many texts, the model running over them in batches."""
        texts = list(texts)
        if not self._model:
            for text in texts:
                yield resolve(text, self.matcher, None, self._rules)
            return
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            for text, spans in zip(batch, self._model.spans_many(batch, batch_size), strict=True):
                yield resolve(text, self.matcher, spans, self._rules)
