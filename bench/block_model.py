"""Fit the block model of ``articles/extraction/fusion.py`` on the development pages.

Every text block of every page gets its feature vector (``fusion.block_features``) and a
label: whether most of its words lie in four-word shingles of the page's true body (the
same shingles the benchmark scores). A logistic regression, with each page weighing the
same whatever its length, is fitted on a fixed two thirds of the pages; the last third
is held out, and both parts are scored with the benchmark's metric so a model that only
fits its own pages shows. Usage::

    .venv/bin/python bench/block_model.py [--dataset ../shared/datasets/extraction-dev]
        [--write articles/extraction/data/block_model.json]

Needs numpy (a dependency of datasketch, already installed); the extraction package does not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from articles.extraction import fusion  # noqa: E402
from articles.extraction.budget import Budget  # noqa: E402
from articles.extraction.candidates import stated_article_body, stated_authors, trafilatura_reading  # noqa: E402
from articles.extraction.decode import decode  # noqa: E402
from articles.extraction.html import parse_html  # noqa: E402
from articles.extraction.jsonld import read_jsonld  # noqa: E402
from articles.extraction.segment import segment  # noqa: E402
from articles.extraction.sniff import clean_characters  # noqa: E402
from articles.extraction.types import ExtractionError  # noqa: E402
from bench.scoring import score_page, shingles, summarise, tokens  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "datasets" / "extraction-dev"
DEFAULT_OUTPUT = ROOT / "articles" / "extraction" / "data" / "block_model.json"
SEED = 1234
HELD_OUT_SHARE = 1 / 3
L2 = 1e-3
STEPS = 4000
# The model is fitted for probabilities, so 0.5 is the unbiased cut; the others are shown
# to see how flat the score is around it, not to pick the best-fitting one.
THRESHOLD = 0.5
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)


def split(keys: list[str]) -> tuple[list[str], list[str]]:
    """The fitting pages and the held-out pages: a fixed random third is held out."""
    held = set(random.Random(SEED).sample(keys, int(len(keys) * HELD_OUT_SHARE)))
    return [k for k in keys if k not in held], [k for k in keys if k in held]


def labels(block_texts: list[str], truth: str) -> list[float]:
    """For each block, the share of its words covered by shingles it shares with the truth."""
    available = Counter(shingles(truth))
    words: list[str] = []
    owner: list[int] = []
    for index, text in enumerate(block_texts):
        found = tokens(text)
        words += found
        owner += [index] * len(found)
    covered = [0] * len(words)
    for i in range(len(words) - 3):
        gram = tuple(words[i : i + 4])
        if available[gram] > 0:
            available[gram] -= 1
            covered[i : i + 4] = [1, 1, 1, 1]
    totals, hits = Counter(owner), Counter(o for o, c in zip(owner, covered, strict=True) if c)
    return [hits[i] / totals[i] if totals[i] else 0.0 for i in range(len(block_texts))]


class PageRows(NamedTuple):
    """One page's blocks, the candidates' feature rows and labels, and trafilatura's text."""

    texts: list[str]
    candidates: list[int]
    x: np.ndarray
    y: np.ndarray
    taken_text: str

    @classmethod
    def empty(cls) -> PageRows:
        return cls([], [], np.zeros((0, len(fusion.FEATURES))), np.zeros(0), "")


def page_rows(dataset: Path, key: str, truth: str, url: str) -> PageRows:
    page = gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes())
    try:
        tree = parse_html(clean_characters(decode(page, "text/html").text))
        document, taken_text = trafilatura_reading(tree, url if url.startswith("http") else None, Budget())
    except ExtractionError:
        return PageRows.empty()
    segmentation = segment(tree)
    jsonld = read_jsonld(tree)
    authors = stated_authors(jsonld, document.author or "")
    features = fusion.block_features(segmentation, [taken_text], stated_article_body(jsonld), authors)
    texts = [block.text for block in segmentation.blocks]
    # Labels need every block (shingles run across blocks); only the candidates are fitted.
    y = np.array(labels(texts, truth))[features.candidates] if features.candidates else np.zeros(0)
    x = np.array(features.rows, dtype=float).reshape(-1, len(fusion.FEATURES))
    return PageRows(texts, features.candidates, x, y, taken_text)


def fit(pages: list[PageRows]) -> tuple[np.ndarray, float]:
    xs, ys, ws = [], [], []
    for page in pages:
        if not page.candidates:
            continue
        y = page.y
        words = np.array([len(page.texts[i].split()) for i in page.candidates], dtype=float)
        truth_words = words[y >= 0.5].sum() or 1.0
        xs.append(page.x)
        ys.append((y >= 0.5).astype(float))
        ws.append((words + 1) / truth_words)
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    coef, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(z @ coef + bias)))
        gradient = (p - y) * w
        coef -= z.T @ gradient / w.sum() + L2 * coef
        bias -= gradient.sum() / w.sum()
    # Back to the raw features, so the extractor needs no scaling step.
    return coef / scale, bias - float((coef * mean / scale).sum())


def chosen_texts(
    pages: dict[str, PageRows], coef: np.ndarray, bias: float, threshold: float, runs: bool = True
) -> dict[str, str]:
    """The text of each page's blocks as the extractor chooses them: the model, then fusion.article_runs.

    With ``runs`` off, every candidate at or above the threshold is kept on its own (to
    show what the runs add).
    """
    out = {}
    for key, page in pages.items():
        if not page.candidates:
            out[key] = ""
            continue
        probabilities = (1 / (1 + np.exp(-(page.x @ coef + bias)))).tolist()
        if runs:
            words = [len(text.split()) for text in page.texts]
            chosen = fusion.article_runs(page.candidates, probabilities, words, threshold)
        else:
            chosen = [i for i, p in zip(page.candidates, probabilities, strict=True) if p >= threshold]
        out[key] = "\n\n".join(page.texts[i] for i in chosen)
    return out


def score(texts: dict[str, str], truths: dict[str, str], keys: list[str]):
    return summarise([score_page(texts[k], truths[k]) for k in keys])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--write", type=Path, default=DEFAULT_OUTPUT, help="'-' writes nothing")
    args = parser.parse_args(argv)

    truth_data = json.loads((args.dataset / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth_data)
    fitting, held_out = split(keys)
    truths = {k: truth_data[k]["articleBody"] for k in keys}
    pages = {}
    for key in keys:
        pages[key] = page_rows(args.dataset, key, truths[key], truth_data[key].get("url") or "")

    coef, bias = fit([pages[k] for k in fitting])
    trafilatura_texts = {k: pages[k].taken_text for k in keys}
    best = None
    print(f"{'threshold':>9}  {'fit F1':>7}  {'held-out F1':>11}")
    for threshold in THRESHOLDS:
        texts = chosen_texts(pages, coef, bias, threshold)
        fit_f1, held_f1 = score(texts, truths, fitting).f1, score(texts, truths, held_out).f1
        print(f"{threshold:>9}  {fit_f1:>7.4f}  {held_f1:>11.4f}")
        if threshold == THRESHOLD:
            best = (threshold, fit_f1, held_f1)
    threshold = THRESHOLD
    single = chosen_texts(pages, coef, bias, threshold, runs=False)
    print(
        f"threshold {threshold}: fit {best[1]:.4f}, held out {best[2]:.4f} (blocks alone, before cleanup); "
        f"blocks kept one by one, without runs: fit {score(single, truths, fitting).f1:.4f}, "
        f"held out {score(single, truths, held_out).f1:.4f}; "
        f"trafilatura's text alone: fit {score(trafilatura_texts, truths, fitting).f1:.4f}, "
        f"held out {score(trafilatura_texts, truths, held_out).f1:.4f}"
    )
    for name, weight in sorted(zip(fusion.FEATURES, coef, strict=True), key=lambda item: -abs(item[1])):
        print(f"  {name:26s} {weight:+.3f}")
    if str(args.write) != "-":
        model = {
            "_about": (
                "Logistic model over fusion.FEATURES: a text block is article text when "
                "1 / (1 + exp(-(bias + sum(weights * features)))) >= threshold. Fitted by bench/block_model.py "
                f"on {len(fitting)} of the {len(keys)} extraction-dev pages (seed {SEED}; the rest held out)."
            ),
            "fitted": dt.date.today().isoformat(),
            "fit_f1": round(best[1], 4),
            "held_out_f1": round(best[2], 4),
            "threshold": threshold,
            "bias": round(float(bias), 5),
            "features": list(fusion.FEATURES),
            "weights": [round(float(w), 5) for w in coef],
        }
        args.write.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
