"""bench/extraction.py: several sets in one run, side by side, pages under 0.5 F1, holdout without notes."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.extraction import (
    SECTION_END,
    SECTION_START,
    Page,
    SystemRun,
    build_report,
    overview_headers,
    overview_rows,
    parse_args,
    previous_notes,
    render_section,
    select_pages,
    worst_headers,
    worst_rows,
)
from tests.bench.pages import PARAGRAPHS, write_dataset

ROOT = Path(__file__).resolve().parents[2]
TRUTH = " ".join(PARAGRAPHS)
HALF = " ".join(PARAGRAPHS[:2])


def _report(name: str, outputs: dict[str, dict[str, str]]):
    """A report of ``outputs`` (system -> key -> text) against pages whose truth is TRUTH."""
    keys = sorted(next(iter(outputs.values())))
    pages = [Page(key=key, source="test-pages", url="", truth=TRUTH) for key in keys]
    runs = {}
    for system, texts in outputs.items():
        run = SystemRun()
        run.add(
            {
                "texts": texts,
                "seconds": dict.fromkeys(texts, 0.01),
                "sizes": dict.fromkeys(texts, 1024),
                "errors": {},
                "rss_after_import_mb": 40.0,
                "peak_rss_mb": 50.0,
            }
        )
        runs[system] = run
    return build_report(pages, runs, name)


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row[0] == label)


def test_the_overview_sets_the_sets_side_by_side_and_counts_pages_under_half_f1():
    dev = _report(
        "extraction-dev",
        {
            "newsroom": {"a": TRUTH, "b": TRUTH, "c": ""},
            "trafilatura": {"a": TRUTH, "b": "Subscribe now", "c": HALF},
        },
    )
    holdout = _report(
        "extraction-holdout", {"newsroom": {"d": TRUTH, "e": HALF}, "trafilatura": {"d": TRUTH, "e": TRUTH}}
    )
    rows = overview_rows([dev, holdout])
    assert overview_headers([dev, holdout]) == ["", "extraction-dev (3)", "extraction-holdout (2)"]
    # An empty page and a page of furniture are under 0.5 F1; half the story scores 0.68.
    assert _row(rows, "pages under 0.5 F1, newsroom")[1:] == ["1", "0"]
    assert _row(rows, "pages under 0.5 F1, trafilatura")[1:] == ["1", "0"]
    assert _row(rows, "empty, newsroom")[1:] == ["1", "0"]
    assert _row(rows, "F1, trafilatura")[2] == "1.0000"
    delta = _row(rows, "ΔF1, newsroom − trafilatura")
    assert delta[2].startswith("-0.")  # half the story against all of it, with its paired interval
    assert "(" in delta[1] and " to " in delta[1]


def test_a_holdout_set_lists_its_worst_pages_without_notes():
    outputs = {"newsroom": {"a": HALF, "b": TRUTH}, "trafilatura": {"a": TRUTH, "b": TRUTH}}
    dev, holdout = _report("extraction-dev", outputs), _report("extraction-holdout", outputs)
    notes = {"a": "The truth keeps the second half."}
    assert worst_headers(dev, "newsroom")[-1] == "why"
    assert worst_rows(dev, "newsroom", notes)[0] == [
        "a",
        "test-pages",
        "0.681",
        "1.000",
        "0.516",
        "1.000",
        notes["a"],
    ]
    assert "why" not in worst_headers(holdout, "newsroom")
    assert worst_rows(holdout, "newsroom", notes)[0] == [
        "a",
        "test-pages",
        "0.681",
        "1.000",
        "0.516",
        "1.000",
    ]
    section = render_section([dev, holdout], jobs=1, warmup=0, notes=notes)
    assert section.startswith(SECTION_START) and section.rstrip().endswith(SECTION_END)
    assert section.count(notes["a"]) == 1
    assert "#### Worst pages for newsroom on extraction-holdout" in section


def test_notes_carry_over_from_every_sets_table_and_from_the_one_set_layout_but_none_from_holdout():
    old = """### Worst pages for newsroom

| key | source | F1 | why |
| --- | --- | --- | --- |
| wcxb-1 | wcxb-dev | 0.4 | Truth stops half way. |

#### Worst pages for newsroom on extraction-train

| key | source | F1 | why |
| --- | --- | --- | --- |
| wcxb-2 | wcxb-dev | 0.3 | A gallery after the story. |
| wcxb-3 | wcxb-dev | 0.5 |  |

#### Worst pages for newsroom on extraction-holdout

| key | source | F1 | trafilatura F1 |
| --- | --- | --- | --- |
| test-1 | wcxb-test | 0.2 | 0.3 |

#### Slowest pages

| system | key | why |
| --- | --- | --- |
| newsroom | wcxb-4 | not a note |
"""
    assert previous_notes(old, "newsroom") == {
        "wcxb-1": "Truth stops half way.",
        "wcxb-2": "A gallery after the story.",
    }


def test_one_dataset_or_several_but_not_both(tmp_path):
    one = write_dataset(tmp_path / "extraction-a", ["p1"])
    two = write_dataset(tmp_path / "extraction-b", ["p2"])
    assert parse_args(["--dataset", str(one)]).datasets == [one]
    assert parse_args(["--datasets", f"{one},{two}"]).datasets == [one, two]
    with pytest.raises(SystemExit):
        parse_args(["--dataset", str(one), "--datasets", str(two)])
    with pytest.raises(SystemExit):
        parse_args(["--datasets", str(tmp_path / "missing")])


def test_keys_are_looked_up_in_every_set_and_a_set_without_any_is_left_out(tmp_path):
    one = write_dataset(tmp_path / "extraction-a", ["p1", "p2"])
    two = write_dataset(tmp_path / "extraction-b", ["p3"])
    three = write_dataset(tmp_path / "extraction-c", ["p4"])
    selected = select_pages([one, two, three], ["p3", "p2"], None)
    assert [(dataset.name, [p.key for p in pages]) for dataset, pages in selected] == [
        ("extraction-a", ["p2"]),
        ("extraction-b", ["p3"]),
    ]
    with pytest.raises(SystemExit, match="unknown keys: p9"):
        select_pages([one, two], ["p1", "p9"], None)
    assert [len(pages) for _, pages in select_pages([one, two], None, 1)] == [1, 1]


def test_one_run_scores_every_set_and_times_both_systems_end_to_end(tmp_path):
    dev = write_dataset(tmp_path / "extraction-dev", ["dev-1", "dev-2"])
    holdout = write_dataset(tmp_path / "extraction-holdout", ["hold-1"])
    output = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "extraction.py"),
            "--datasets",
            f"{dev},{holdout}",
            "--rounds",
            "1",
            "--warmup",
            "0",
            "--throughput-rounds",
            "2",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = output.read_text(encoding="utf-8")
    assert "| F1, newsroom | 1.0000 | 1.0000 |" in report
    assert "| pages under 0.5 F1, newsroom | 0 | 0 |" in report
    end_to_end = next(
        line for line in report.splitlines() if line.startswith("End to end on one core (3 pages)")
    )
    wall, cpu = end_to_end.split("Wall clock: ")[1].split(". CPU time: ")
    for line in (wall, cpu):
        ratios = line.split("newsroom ÷ trafilatura ")[1].split(" (")[0].rstrip(".")
        assert len(ratios.split(", ")) == 2  # a ratio per round
    assert "### extraction-dev" in report and "### extraction-holdout" in report
