"""End-to-end throughput of article extraction: ``manage.py extract`` against trafilatura on one core.

Each system runs as a user runs it, as a subprocess over a temporary directory of the
decompressed pages: interpreter start, imports, reading the files, extraction and
writing one JSON line per file are all timed, from start to exit. ``manage.py extract``
gets a temporary SQLite database (it writes none, but settings name one); trafilatura
runs as ``bench/trafilatura_extract.py`` (library defaults, the same files). Both are
pinned to the same single CPU, and the rounds alternate the order of the systems.
"""

from __future__ import annotations

import gzip
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The commands of each system; the page files are appended.
COMMANDS = {
    "newsroom": [str(ROOT / "manage.py"), "extract", "--format", "jsonl"],
    "trafilatura": [str(ROOT / "bench" / "trafilatura_extract.py")],
}


@dataclass
class Throughput:
    """Seconds of each system in each round over ``pages`` files, on ``cpu`` (None: not pinned).

    ``seconds`` is wall-clock time, what a user waits; ``cpu_seconds`` is the process's user
    and system time, which other work on a shared machine does not inflate.
    """

    pages: int
    cpu: int | None
    seconds: dict[str, list[float]] = field(default_factory=dict)
    cpu_seconds: dict[str, list[float]] = field(default_factory=dict)

    def speeds(self, system: str, cpu_time: bool = False) -> list[float]:
        """Pages per second (of wall-clock or CPU time) of ``system`` in each round."""
        times = self.cpu_seconds if cpu_time else self.seconds
        return [self.pages / seconds for seconds in times[system]]

    def ratios(self, system: str, baseline: str, cpu_time: bool = False) -> list[float]:
        """``system``'s pages/s over ``baseline``'s, round by round."""
        times = self.cpu_seconds if cpu_time else self.seconds
        return [b / s for s, b in zip(times[system], times[baseline], strict=True)]

    def best_ratio(self, system: str, baseline: str) -> float:
        """``system``'s pages/s over ``baseline``'s in the fastest round of each."""
        return min(self.seconds[baseline]) / min(self.seconds[system])


def one_cpu() -> int | None:
    """The CPU the runs are pinned to: the last this process may use (None where pinning is unsupported)."""
    return max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def write_pages(folder: Path, pages: Sequence[tuple[Path, str]]) -> list[str]:
    """Decompress each (dataset, key) page to ``folder/<key>.html``; the file names, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    for dataset, key in pages:
        page = gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes())
        (folder / f"{key}.html").write_bytes(page)
    return sorted(str(path) for path in folder.glob("*.html"))


def run_once(system: str, files: Sequence[str], workdir: Path, cpu: int | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``system`` over ``files``, checked to have reported every file.

    ``manage.py extract`` ends with status 1 when some file held no article; that is a
    result, not a failed run, so the run is checked by its output: one line per file.
    """
    output = workdir / f"{system}.jsonl"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'newsroom.sqlite3'}"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the project's settings, as manage.py chooses them
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    with output.open("wb") as stdout:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *COMMANDS[system], *files],
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=environment,
            preexec_fn=pin,
            check=False,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = output.read_bytes().count(b"\n")
    if done.returncode not in (0, 1) or lines != len(files):
        tail = done.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(
            f"{system} reported {lines} of {len(files)} files (status {done.returncode}): {tail}"
        )
    return seconds, cpu_seconds


def measure(systems: Sequence[str], pages: Sequence[tuple[Path, str]], rounds: int) -> Throughput:
    """Time every system end to end over ``pages`` for ``rounds`` rounds, alternating their order."""
    cpu = one_cpu()
    with tempfile.TemporaryDirectory(prefix="extraction-end-to-end-") as temporary:
        workdir = Path(temporary)
        files = write_pages(workdir / "pages", pages)
        result = Throughput(
            len(files), cpu, {system: [] for system in systems}, {system: [] for system in systems}
        )
        for round_number in range(rounds):
            for system in systems if round_number % 2 == 0 else list(reversed(systems)):
                seconds, cpu_seconds = run_once(system, files, workdir, cpu)
                result.seconds[system].append(seconds)
                result.cpu_seconds[system].append(cpu_seconds)
                print(f"  end to end: {system}, round {round_number + 1} done", file=sys.stderr)
    return result
