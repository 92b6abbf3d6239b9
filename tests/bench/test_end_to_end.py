"""bench/end_to_end.py: the page files, the ratio per round, and a run that reports fewer files fails."""

import os

import pytest

from bench.end_to_end import Throughput, one_cpu, run_once, write_pages
from tests.bench.pages import article_page, write_dataset


def test_pages_are_written_decompressed_one_file_per_key(tmp_path):
    dataset = write_dataset(tmp_path / "extraction-a", ["p1", "p2"])
    files = write_pages(tmp_path / "pages", [(dataset, "p2"), (dataset, "p1")])
    assert files == [str(tmp_path / "pages" / "p1.html"), str(tmp_path / "pages" / "p2.html")]
    assert (tmp_path / "pages" / "p1.html").read_text() == article_page("p1")


def test_speeds_and_ratios_are_per_round_of_wall_clock_or_cpu_time():
    throughput = Throughput(
        pages=100,
        cpu=0,
        seconds={"newsroom": [4.0, 5.0], "trafilatura": [2.5, 2.0]},
        cpu_seconds={"newsroom": [4.0, 4.0], "trafilatura": [2.0, 2.0]},
    )
    assert throughput.speeds("newsroom") == [25.0, 20.0]
    assert throughput.ratios("newsroom", "trafilatura") == [0.625, 0.4]
    assert throughput.best_ratio("newsroom", "trafilatura") == 0.5
    assert throughput.speeds("newsroom", cpu_time=True) == [25.0, 25.0]
    assert throughput.ratios("newsroom", "trafilatura", cpu_time=True) == [0.5, 0.5]


def test_a_run_reports_its_wall_clock_and_cpu_time(tmp_path):
    dataset = write_dataset(tmp_path / "extraction-a", ["p1", "p2"])
    files = write_pages(tmp_path / "pages", [(dataset, "p1"), (dataset, "p2")])
    seconds, cpu_seconds = run_once("trafilatura", files, tmp_path, one_cpu())
    assert 0 < cpu_seconds <= seconds * 1.1
    assert (tmp_path / "trafilatura.jsonl").read_text().count("\n") == 2


def test_the_runs_are_pinned_to_one_cpu_this_process_may_use():
    cpu = one_cpu()
    assert cpu is None or cpu in os.sched_getaffinity(0)


def test_a_run_that_does_not_report_every_file_fails(tmp_path):
    with pytest.raises(RuntimeError, match="trafilatura reported 0 of 1 files"):
        run_once("trafilatura", [str(tmp_path / "missing.html")], tmp_path, one_cpu())
