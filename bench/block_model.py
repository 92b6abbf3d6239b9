"""Fit the block model of ``articles/extraction/fusion.py`` on the fitting pages, chosen by grouped cross-validation.

Every text block of every page gets its feature vector (``fusion.block_features``) and a
label: whether most of its words lie in four-word shingles of the page's true body (the
same shingles the benchmark scores). A logistic regression, each page weighing the same
whatever its length, is fitted on the pages of ``extraction-dev`` and ``extraction-train``.

The regularisation and the threshold are chosen by K-fold cross-validation grouped by
site (the registrable domain of the page's URL), so no site is both fitted and scored in
one fold: a model that learned a site's template scores that site only after fitting on
other sites. Each fold is scored with the benchmark's metric on the blocks the extractor
would choose (the model, then ``fusion.article_runs``; no cleanup). The setting with the
best mean over the folds is then fitted on all the pages and written. ``extraction-holdout``
is never read here. Usage::

    .venv/bin/python bench/block_model.py [--datasets DIR,DIR] [--folds 5]
        [--write articles/extraction/data/block_model.json]

Needs numpy and scipy (dependencies of datasketch, already installed); the extraction
package does not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import tld  # noqa: E402  (trafilatura's URL library courlan depends on it: the public suffix list)
from scipy.optimize import minimize  # noqa: E402

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

DATASETS = ROOT.parent / "shared" / "datasets"
DEFAULT_DATASETS = (DATASETS / "extraction-dev", DATASETS / "extraction-train")
DEFAULT_OUTPUT = ROOT / "articles" / "extraction" / "data" / "block_model.json"
NEVER_FITTED = "holdout"  # a dataset whose name holds this is refused
SEED = 1234
FOLDS = 5
# The grid the cross-validation chooses from: L2 penalty on the standardised weights, and
# the probability at which a block's log-odds turn positive in fusion.article_runs.
PENALTIES = (1e-4, 1e-3, 1e-2, 1e-1)
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
_NUMBERED = re.compile(r"-\d+$")


def site_of(key: str, url: str) -> str:
    """The site a page belongs to: its URL's registrable domain.

    A page without a usable URL is its own site, named by its key less a trailing number
    (``readability-webmd-1`` and ``-2`` are one site).
    """
    domain = tld.get_fld(url, fail_silently=True) if url.startswith("http") else None
    return domain or _NUMBERED.sub("", key)


def grouped_folds(sites: dict[str, str], folds: int, seed: int = SEED) -> list[list[str]]:
    """The page keys split into ``folds`` parts, every site's pages in one part.

    Sites are shuffled with ``seed``, then each goes to the part with the fewest pages so
    far (the largest sites first), so the parts come out about the same size.
    """
    by_site: dict[str, list[str]] = {}
    for key in sorted(sites):
        by_site.setdefault(sites[key], []).append(key)
    order = sorted(by_site)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda site: -len(by_site[site]))  # stable: ties keep the shuffled order
    parts: list[list[str]] = [[] for _ in range(folds)]
    for site in order:
        min(parts, key=len).extend(by_site[site])
    return [sorted(part) for part in parts]


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


@dataclass
class PageRows:
    """One page's blocks, the candidates' feature rows and labels, its truth and trafilatura's text."""

    texts: list[str]
    candidates: list[int]
    x: np.ndarray
    y: np.ndarray
    truth: str
    taken_text: str = ""


def page_rows(dataset: Path, key: str, truth: str, url: str) -> PageRows:
    """The rows of one page, computed as the extractor computes them."""
    page = gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes())
    try:
        tree = parse_html(clean_characters(decode(page, "text/html").text))
        document, taken_text = trafilatura_reading(tree, url if url.startswith("http") else None, Budget())
    except ExtractionError:
        return PageRows([], [], np.zeros((0, len(fusion.FEATURES))), np.zeros(0), truth)
    segmentation = segment(tree)
    jsonld = read_jsonld(tree)
    authors = stated_authors(jsonld, document.author or "")
    features = fusion.block_features(segmentation, [taken_text], stated_article_body(jsonld), authors)
    texts = [block.text for block in segmentation.blocks]
    # Labels need every block (shingles run across blocks); only the candidates are fitted.
    y = np.array(labels(texts, truth))[features.candidates] if features.candidates else np.zeros(0)
    x = np.array(features.rows, dtype=float).reshape(-1, len(fusion.FEATURES))
    return PageRows(texts, features.candidates, x, y, truth, taken_text)


def fit(pages: Sequence[PageRows], penalty: float) -> tuple[np.ndarray, float]:
    """Weights and bias of the logistic model, back on the raw features.

    Each block weighs its share of the page's candidate words, so every page counts the
    same whatever its length. (Weighing words over the page's true words instead let a
    page whose truth the candidates miss outweigh a hundred others, and scored lower in
    cross-validation.) ``penalty`` is the L2 penalty on the weights of the standardised
    features.
    """
    xs, ys, ws = [], [], []
    for page in pages:
        if not page.candidates:
            continue
        words = np.array([len(page.texts[i].split()) for i in page.candidates], dtype=float) + 1
        xs.append(page.x)
        ys.append((page.y >= 0.5).astype(float))
        ws.append(words / words.sum())
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    w = w / w.sum()
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        coef, bias = params[:-1], params[-1]
        margin = z @ coef + bias
        # log(1 + e^m) - y m, written to stay finite for large margins
        value = w @ (np.logaddexp(0.0, margin) - y * margin) + penalty / 2 * coef @ coef
        residual = w * (1 / (1 + np.exp(-margin)) - y)
        return float(value), np.append(z.T @ residual + penalty * coef, residual.sum())

    params = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B").x
    coef, bias = params[:-1], params[-1]
    # Back to the raw features, so the extractor needs no scaling step.
    return coef / scale, float(bias - (coef * mean / scale).sum())


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
        probabilities = (1 / (1 + np.exp(-np.clip(page.x @ coef + bias, -30, 30)))).tolist()
        if runs:
            words = [len(text.split()) for text in page.texts]
            chosen = fusion.article_runs(page.candidates, probabilities, words, threshold)
        else:
            chosen = [i for i, p in zip(page.candidates, probabilities, strict=True) if p >= threshold]
        out[key] = "\n\n".join(page.texts[i] for i in chosen)
    return out


def f1(texts: dict[str, str], pages: dict[str, PageRows]) -> float:
    """The benchmark's F1 of ``texts`` against the pages' truths."""
    return summarise([score_page(texts[key], pages[key].truth) for key in texts]).f1


@dataclass
class CrossValidation:
    """F1 of each fold for every (penalty, threshold), with the runs and block by block; the best setting.

    ``scores`` choose: they are the extractor's choice, the model then ``fusion.article_runs``.
    ``alone`` keeps every block at or above the threshold on its own, to show what the runs add.
    """

    scores: dict[tuple[float, float], list[float]]
    alone: dict[tuple[float, float], list[float]]

    def mean(self, setting: tuple[float, float]) -> float:
        return statistics.fmean(self.scores[setting])

    @property
    def best(self) -> tuple[float, float]:
        return max(self.scores, key=self.mean)


def cross_validate(
    pages: dict[str, PageRows],
    folds: list[list[str]],
    penalties: Sequence[float],
    thresholds: Sequence[float],
) -> CrossValidation:
    """Fit on all folds but one and score that one, for every fold and setting."""
    settings = [(p, t) for p in penalties for t in thresholds]
    cv = CrossValidation({setting: [] for setting in settings}, {setting: [] for setting in settings})
    for scored in folds:
        held = set(scored)
        fitting = [page for key, page in pages.items() if key not in held]
        scored_pages = {key: pages[key] for key in scored}
        for penalty in penalties:
            coef, bias = fit(fitting, penalty)
            for threshold in thresholds:
                for runs, scores in ((True, cv.scores), (False, cv.alone)):
                    texts = chosen_texts(scored_pages, coef, bias, threshold, runs=runs)
                    scores[penalty, threshold].append(f1(texts, scored_pages))
    return cv


def load(datasets: Sequence[Path]) -> tuple[dict[str, PageRows], dict[str, str]]:
    """Every page's rows and its site, over all ``datasets``."""
    pages: dict[str, PageRows] = {}
    sites: dict[str, str] = {}
    for dataset in datasets:
        truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(truth):
            url = truth[key].get("url") or ""
            pages[key] = page_rows(dataset, key, truth[key]["articleBody"], url)
            sites[key] = site_of(key, url)
        print(f"{dataset.name}: {len(truth)} pages read", file=sys.stderr)
    return pages, sites


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options, checked: no dataset may be the holdout set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets",
        default=",".join(str(path) for path in DEFAULT_DATASETS),
        help="comma list of dataset folders to fit on (%(default)s)",
    )
    parser.add_argument("--folds", type=int, default=FOLDS, help="cross-validation folds (%(default)s)")
    parser.add_argument("--write", type=Path, default=DEFAULT_OUTPUT, help="'-' writes nothing")
    args = parser.parse_args(argv)
    args.datasets = [Path(name.strip()).resolve() for name in args.datasets.split(",") if name.strip()]
    if any(NEVER_FITTED in path.name for path in args.datasets):
        parser.error("the holdout set is never fitted on")
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pages, sites = load(args.datasets)
    folds = grouped_folds(sites, args.folds)
    print(f"{len(pages)} pages, {len(set(sites.values()))} sites, {args.folds} folds grouped by site")

    cv = cross_validate(pages, folds, PENALTIES, THRESHOLDS)
    print("\nmean CV F1 (chosen blocks, before cleanup) by L2 penalty and threshold:")
    print(f"{'L2':>8}  " + "  ".join(f"{t:>6}" for t in THRESHOLDS))
    for penalty in PENALTIES:
        print(f"{penalty:>8g}  " + "  ".join(f"{cv.mean((penalty, t)):.4f}" for t in THRESHOLDS))
    penalty, threshold = cv.best
    per_fold = cv.scores[penalty, threshold]
    trafilatura = [f1({k: pages[k].taken_text for k in fold}, pages) for fold in folds]
    print(f"\nchosen: L2 {penalty:g}, threshold {threshold}")
    print(f"{'fold':>4}  {'pages':>5}  {'sites':>5}  {'CV F1':>6}  {'trafilatura reading':>19}")
    for number, (fold, score, baseline) in enumerate(zip(folds, per_fold, trafilatura, strict=True), 1):
        print(
            f"{number:>4}  {len(fold):>5}  {len({sites[k] for k in fold}):>5}  {score:.4f}  {baseline:>19.4f}"
        )
    print(
        f"mean  {'':>5}  {'':>5}  {statistics.fmean(per_fold):.4f}  {statistics.fmean(trafilatura):>19.4f}"
        f"  (sd of folds {statistics.stdev(per_fold):.4f})"
    )

    print(
        f"blocks kept one by one at the threshold, without the runs: mean CV F1 "
        f"{statistics.fmean(cv.alone[penalty, threshold]):.4f}"
    )

    coef, bias = fit(list(pages.values()), penalty)
    print(
        f"\nfinal model on all {len(pages)} pages, scored on them (fitted, so optimistic): "
        f"{f1(chosen_texts(pages, coef, bias, threshold), pages):.4f}"
    )
    for name, weight in sorted(zip(fusion.FEATURES, coef, strict=True), key=lambda item: -abs(item[1])):
        print(f"  {name:26s} {weight:+.3f}")
    if str(args.write) != "-":
        names = " and ".join(path.name for path in args.datasets)
        model = {
            "_about": (
                "Logistic model over fusion.FEATURES: a text block is article text when "
                "1 / (1 + exp(-(bias + sum(weights * features)))) >= threshold. Fitted by bench/block_model.py "
                f"on all {len(pages)} pages of {names}; L2 penalty and threshold chosen by {args.folds}-fold "
                "cross-validation grouped by site (cv_f1: F1 of the chosen blocks on each scored fold)."
            ),
            "fitted": dt.date.today().isoformat(),
            "cv_f1": round(statistics.fmean(per_fold), 4),
            "cv_fold_f1": [round(score, 4) for score in per_fold],
            "l2": penalty,
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
