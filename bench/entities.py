"""Entity tagging benchmark: quality per type against the evaluation stories, and speed.

Scores four systems on ``bench/data/entities/stories.jsonl`` (annotated stories of five kinds of
source, in a fitting part and a held-out part: see its README) and, at document level, on the
demo corpus (``fixtures/demo``, entities listed per story):

- ``full``: the tagger with the starter knowledge, the NER model and the in-article rules;
- ``model``: the spaCy model alone, its PERSON/ORG/GPE/LOC/FAC spans as they come;
- ``alias``: the starter alias table alone (the automaton's matches, nothing else);
- ``alias+rules``: what runs without the model (alias table, title-led names, surname links).

Mention level: a prediction counts when its span and type equal a gold mention's. Document
level: the set of (canonical name, type) per story, names compared case- and accent-folded.
Each part is scored on its own, the held-out part first: it is the figure that counts, since
nothing in the tagger was chosen by looking at it. The fitting part is also scored per kind of
source.
Speed: word tokens (``\\w+``) per second on one core, and the time to re-tag 10,000 articles
after an alias change. Usage::

    .venv/bin/python bench/entities.py [--output docs/benchmarks.md] [--retag-sample 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `entities` importable
    sys.path.insert(0, str(ROOT))

from bench.report import code_version, cpu_description, section_write  # noqa: E402
from entities.tagging import AliasMatcher, AliasRecord, Tagger, load_model, starter_records  # noqa: E402
from entities.tagging.model import LABELS, NerModel, load_pipeline  # noqa: E402
from entities.tagging.text import count_tokens  # noqa: E402

STORIES = ROOT / "bench" / "data" / "entities" / "stories.jsonl"
DEMO = ROOT / "fixtures" / "demo"
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- bench/entities.py: start -->"
SECTION_END = "<!-- bench/entities.py: end -->"
TYPES = ("person", "organization", "place")
SYSTEMS = ("full", "model", "alias", "alias+rules")
PARTS = ("held-out", "fitting")
KINDS = ("wire", "broadsheet", "regional", "business", "agency")
RETAG_ARTICLES = 10_000
LARGE_TABLE = 50_000


def load_stories() -> list[dict]:
    return [json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines()]


def load_demo() -> list[dict]:
    """The demo corpus's plain-text stories with their manifest's entities (document level only)."""
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    stories = []
    for entry in manifest:
        if not entry["file"].endswith(".txt"):
            continue
        gold = {(fold(n), "person") for n in entry["people"]}
        gold |= {(fold(n), "organization") for n in entry["organizations"]}
        gold |= {(fold(n), "place") for n in entry["places"]}
        text = (DEMO / "stories" / entry["file"]).read_text(encoding="utf-8")
        stories.append({"id": entry["file"], "text": text, "documents": gold})
    return stories


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


# --- the systems: each maps a list of texts to lists of (start, end, type, canonical name) -----------


def run_system(name: str, texts: list[str], taggers: dict) -> list[list[tuple[int, int, str, str]]]:
    if name == "model":
        model = taggers["model"]
        out = []
        for _text, doc in zip(texts, model.nlp.pipe(texts, batch_size=32), strict=True):
            out.append(
                [(e.start_char, e.end_char, LABELS[e.label_], e.text) for e in doc.ents if e.label_ in LABELS]
            )
        return out
    if name == "alias":
        matcher = taggers["alias+rules"].matcher
        return [
            [(m.start, m.end, r.type, r.name) for m in matcher.find(text) if (r := _first_live(m.records))]
            for text in texts
        ]
    tagger = taggers[name]
    return [[(m.start, m.end, m.type, m.name) for m in result.mentions] for result in tagger.tag_many(texts)]


def _first_live(records):
    return next((r for r in records if not r.blocked), None)


# --- scoring ----------------------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(gold_sets: list[set], predicted_sets: list[set]) -> dict[str, tuple[int, int, int]]:
    """Counts per type (and ``all``) of true positives, false positives and false negatives."""
    counts = {t: [0, 0, 0] for t in (*TYPES, "all")}
    for gold, predicted in zip(gold_sets, predicted_sets, strict=True):
        for item in predicted:
            key = item[-1] if item[-1] in TYPES else item[-2]
            hit = item in gold
            for bucket in (key, "all"):
                counts[bucket][0 if hit else 1] += 1
        for item in gold - predicted:
            key = item[-1] if item[-1] in TYPES else item[-2]
            for bucket in (key, "all"):
                counts[bucket][2] += 1
    return {k: tuple(v) for k, v in counts.items()}


def groups(stories: list[dict]) -> dict[str, Callable[[dict], bool]]:
    """The subsets of stories scored apart: each part, and each kind of source within the fitting part."""
    selected = {part: (lambda s, part=part: s["part"] == part) for part in PARTS}
    for kind in KINDS:
        selected[kind] = lambda s, kind=kind: s["part"] == "fitting" and s["kind"] == kind
    return selected


def score_group(stories: list[dict], predicted: list, level: str, selects) -> dict[str, tuple[int, int, int]]:
    """``score`` over the stories ``selects`` picks, at mention or document level."""
    chosen = [(s, p) for s, p in zip(stories, predicted, strict=True) if selects(s)]
    if level == "mention":
        gold = [{(e["start"], e["end"], e["type"]) for e in s["entities"]} for s, _ in chosen]
        return score(gold, [mention_sets(p) for _, p in chosen])
    gold = [{(fold(e["canonical"]), e["type"]) for e in s["entities"]} for s, _ in chosen]
    return score(gold, [document_set(p) for _, p in chosen])


def mention_sets(spans) -> set:
    return {(start, end, type_) for start, end, type_, _ in spans}


def document_set(spans) -> set:
    return {(fold(name), type_) for _, _, type_, name in spans}


# --- speed ------------------------------------------------------------------------------------


def time_it(function, repeat: int = 3) -> float:
    """The best of ``repeat`` runs in this process's CPU time (all its threads): a figure for one
    core that other work on a shared machine does not inflate."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def time_turns(first, second, repeat: int = 5) -> tuple[float, float]:
    """The best of ``repeat`` CPU times of each of two functions, run in turn (ABAB...), so that a
    slow spell of a shared machine falls on both."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for index, function in enumerate((first, second)):
            start = time.process_time()
            function()
            best[index] = min(best[index], time.process_time() - start)
    return best[0], best[1]


def synthetic_articles(stories: list[dict], count: int, seed: int = 0) -> list[str]:
    """``count`` articles made by shuffling the evaluation stories' paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for s in stories for p in s["text"].split("\n\n") if p.strip()]
    return ["\n\n".join(rng.sample(paragraphs, 6)) for _ in range(count)]


def synthetic_records(count: int, seed: int = 0) -> list[AliasRecord]:
    """``count`` made-up person aliases (full names and surnames), to pad a table to size."""
    rng = random.Random(seed)
    first = ["Adam", "Bela", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana", "Karim", "Lena"]
    records = []
    for i in range((count + 1) // 2):
        name = f"{rng.choice(first)} Zq{i:05d}son"
        records.append(AliasRecord(f"p{i}", name, "person", name))
        records.append(AliasRecord(f"p{i}", name, "person", f"Zq{i:05d}son"))
    return records[:count]


def phrase_matcher_timings(records: list[AliasRecord], texts: list[str]) -> tuple[float, float] | None:
    """Build seconds and tokens/s of spaCy's PhraseMatcher on the same table, for the choice of automaton."""
    try:
        import spacy
        from spacy.matcher import PhraseMatcher
    except ImportError:
        return None
    nlp = spacy.blank("en")
    start = time.process_time()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    patterns = list(nlp.tokenizer.pipe([r.text for r in records]))
    matcher.add("ALIAS", patterns)
    build = time.process_time() - start
    tokens = sum(count_tokens(t) for t in texts)
    seconds = time_it(lambda: [matcher(nlp.make_doc(t)) for t in texts])
    return build, tokens / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="markdown report; '-' writes none")
    parser.add_argument(
        "--retag-sample", type=int, default=1000, help="articles the full pipeline re-tags to time 10,000"
    )
    args = parser.parse_args(argv)

    stories, demo = load_stories(), load_demo()
    records = list(starter_records())
    model, capabilities = load_model()
    if model is None:
        print(f"The NER model is not installed ({capabilities.detail}): install requirements-ner.txt.")
        return 2
    taggers = {"full": Tagger(records), "alias+rules": Tagger(records, model=None), "model": model}

    texts = [s["text"] for s in stories]
    demo_texts = [s["text"] for s in demo]
    quality = {}
    for system in SYSTEMS:
        predicted = run_system(system, texts, taggers)
        demo_predicted = run_system(system, demo_texts, taggers)
        quality[system] = {
            "demo": score([s["documents"] for s in demo], [document_set(p) for p in demo_predicted]),
            **{
                (level, group): score_group(stories, predicted, level, selects)
                for level in ("mention", "document")
                for group, selects in groups(stories).items()
            },
        }
    sizes = {group: sum(map(selects, stories)) for group, selects in groups(stories).items()}

    # Speed, one process, best of three; the full pipeline against the same pipeline with the model
    # as spaCy loads it (BLIS products, all eighteen labels), their runs taking turns.
    tokens = sum(count_tokens(t) for t in texts)
    baseline = taggers["full"].with_model(NerModel(load_pipeline(model.name, tuned=False), model.name))
    full_seconds, baseline_seconds = time_turns(
        lambda: list(taggers["full"].tag_many(texts)), lambda: list(baseline.tag_many(texts)), repeat=5
    )
    rules_seconds = time_it(lambda: [taggers["alias+rules"].tag(t) for t in texts])
    matcher = taggers["alias+rules"].matcher
    matcher_seconds = time_it(lambda: [matcher.find(t) for t in texts])
    large = records + synthetic_records(LARGE_TABLE - len(records))
    build_small = time_it(lambda: AliasMatcher(records), repeat=3)
    build_large = time_it(lambda: AliasMatcher(large), repeat=3)
    large_matcher = AliasMatcher(large)
    large_seconds = time_it(lambda: [large_matcher.find(t) for t in texts])
    phrase = phrase_matcher_timings(large, texts)

    # Re-tag 10,000 articles after an alias change: rebuild the automaton, then tag them all.
    articles = synthetic_articles(stories, RETAG_ARTICLES)
    article_tokens = sum(count_tokens(a) for a in articles)
    changed = [*large, AliasRecord("islamic-state", "Islamic State", "organization", "Daesh group")]
    start = time.process_time()
    retagger = taggers["full"].with_records(changed)
    rebuild = time.process_time() - start
    sample = articles[: args.retag_sample]
    start = time.process_time()
    for _ in retagger.tag_many(sample):
        pass
    sample_seconds = time.process_time() - start
    full_retag = rebuild + sample_seconds * len(articles) / len(sample)
    rules_retagger = taggers["alias+rules"].with_records(changed)
    start = time.process_time()
    for article in articles:
        rules_retagger.tag(article)
    rules_retag = time.process_time() - start + rebuild

    speed = {
        "tokens": tokens,
        "full": tokens / full_seconds,
        "baseline": tokens / baseline_seconds,
        "alias+rules": tokens / rules_seconds,
        "matcher": tokens / matcher_seconds,
        "matcher_large": tokens / large_seconds,
        "build_small": build_small,
        "build_large": build_large,
        "phrase": phrase,
        "rebuild": rebuild,
        "sample": len(sample),
        "sample_seconds": sample_seconds,
        "full_retag": full_retag,
        "rules_retag": rules_retag,
        "article_tokens": article_tokens,
        "records_small": len(records),
        "records_large": len(large),
    }
    report = render(quality, speed, capabilities.detail, sizes, len(demo), argv)
    print(report)
    if args.output != "-":
        section_write(Path(args.output), report, start=SECTION_START, end=SECTION_END)
    return 0


# --- the report -------------------------------------------------------------------------------


def _row(label: str, counts: tuple[int, int, int]) -> str:
    p, r, f = prf(*counts)
    tp, fp, fn = counts
    return f"| {label} | {p:.3f} | {r:.3f} | **{f:.3f}** | {tp} | {fp} | {fn} |"


def _table(quality: dict, key) -> list[str]:
    lines = [
        "| system / type | precision | recall | F1 | tp | fp | fn |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for system in SYSTEMS:
        for type_ in (*TYPES, "all"):
            lines.append(_row(f"{system} / {type_}", quality[system][key][type_]))
    return lines


def _part_tables(quality: dict, level: str, sizes: dict) -> list[str]:
    title = (
        "Mention level (exact span and type)"
        if level == "mention"
        else "Document level (canonical entities per story)"
    )
    lines = []
    for part in PARTS:
        lines += [f"### {title}, {part} part ({sizes[part]} stories)", ""]
        lines += _table(quality, (level, part)) if sizes[part] else ["No stories in this part."]
        lines.append("")
    return lines


def _kind_table(quality: dict, sizes: dict) -> list[str]:
    lines = [
        "### Mention level by kind of source, fitting part (full pipeline)",
        "",
        "| kind | stories | person F1 | organization F1 | place F1 | all P | all R | all F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        if not sizes[kind]:
            continue
        counts = quality["full"][("mention", kind)]
        by_type = " | ".join(f"{prf(*counts[t])[2]:.3f}" for t in TYPES)
        p, r, f = prf(*counts["all"])
        lines.append(f"| {kind} | {sizes[kind]} | {by_type} | {p:.3f} | {r:.3f} | **{f:.3f}** |")
    return [*lines, ""]


def render(quality: dict, speed: dict, model_detail: str, sizes: dict, demo: int, argv) -> str:
    command = "python bench/entities.py" + ("" if not argv else " " + " ".join(argv))
    cpu = cpu_description()
    commit = code_version()
    phrase = speed["phrase"]
    stories = sizes["held-out"] + sizes["fitting"]
    lines = [
        "## Entity tagging benchmark",
        "",
        "Written by `bench/entities.py`; a new run replaces this section.",
        "",
        f"- Command: `.venv/bin/{command}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {cpu}; Python {platform.python_version()}; {model_detail}",
        f"- Code: {commit}",
        f"- Data: `bench/data/entities/stories.jsonl`, {stories} stories written for the project "
        f"(annotation guidelines beside it): {sizes['fitting']} in the fitting part, {sizes['held-out']} "
        "in the held-out part, which was written separately and looked at to choose nothing; "
        f"demo corpus `fixtures/demo`, {demo} plain-text stories, document level only.",
        f"- Knowledge: `entities.tagging.starter_records()`, {speed['records_small']} alias records "
        "(countries, capitals, cities of 300,000 or more and, as ambiguous aliases, of 100,000 or more, "
        "first-level subdivisions (states, provinces, prefectures), regions, international organisations, "
        "news agencies and broadcasters, political parties, parliaments and state agencies, the largest "
        "companies, exchanges, central banks and regulators, football clubs, universities, NGOs); no people.",
        "- Systems: **full** = starter table + spaCy NER + in-article rules; **model** = spaCy's "
        "PERSON/ORG/GPE/LOC/FAC spans as they come; **alias** = the automaton's matches alone; "
        "**alias+rules** = no model (what runs when it is not installed): table, title-led names, surname and acronym links.",
        "- Mention level: span and type must both be exact. Document level: the set of (canonical name, type) "
        "per story, names case- and accent-folded; the model alone has no canonical names, so its surface form stands in.",
        "",
        *_part_tables(quality, "mention", sizes),
        *_kind_table(quality, sizes),
        *_part_tables(quality, "document", sizes),
        "### Document level, demo corpus (manifest's people, organisations, places)",
        "",
        *_table(quality, "demo"),
        "",
        "### Speed (one core: the process's CPU time, best of three runs; the full pipeline and its baseline best of five, in turn)",
        "",
        f"Tokens are `\\w+` runs: {speed['tokens']:,} in the {stories} stories (both parts).",
        "",
        "| what | figure |",
        "| --- | --- |",
        f"| full pipeline (model, batches of 32) | {speed['full']:,.0f} tokens/s |",
        f"| baseline: the same with the model as spaCy loads it (BLIS, all 18 labels) | "
        f"{speed['baseline']:,.0f} tokens/s (full: {speed['full'] / speed['baseline']:.2f}x as fast) |",
        f"| alias table + rules, no model | {speed['alias+rules']:,.0f} tokens/s |",
        f"| alias matcher alone, starter table ({speed['records_small']:,} aliases) | {speed['matcher']:,.0f} tokens/s |",
        f"| alias matcher alone, {speed['records_large']:,} aliases | {speed['matcher_large']:,.0f} tokens/s |",
        f"| automaton build, {speed['records_small']:,} / {speed['records_large']:,} aliases | "
        f"{speed['build_small']:.3f} s / {speed['build_large']:.3f} s |",
    ]
    if phrase:
        lines.append(
            f"| spaCy PhraseMatcher instead, {speed['records_large']:,} aliases (rejected) | "
            f"build {phrase[0]:.2f} s, {phrase[1]:,.0f} tokens/s |"
        )
    lines += [
        "",
        "### Re-tagging 10,000 articles after an alias change",
        "",
        f"10,000 articles of six paragraphs each, drawn from the evaluation stories ({speed['article_tokens']:,} tokens); "
        f"the table is {speed['records_large']:,} aliases (starter plus made-up people) with one alias added.",
        "",
        "| step | time |",
        "| --- | --- |",
        f"| rebuild the automaton (`Tagger.with_records`, the model reused) | {speed['rebuild']:.2f} s |",
        f"| full pipeline: {speed['sample']:,} articles timed, scaled to 10,000 | {speed['full_retag']:,.0f} s "
        f"({speed['full_retag'] / 60:.1f} min) on one core |",
        f"| alias table + rules (no model), all 10,000 timed | {speed['rules_retag']:,.1f} s |",
        "",
        "The full figure is one process; the re-tag job splits articles over workers, so N worker "
        "processes divide it by about N. Storing mentions is not included (it is the services' part).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
