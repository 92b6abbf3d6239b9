"""Shared pieces of the benchmark reports: the machine and the code a run measured."""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_description() -> str:
    """How many CPUs and which model, as /proc/cpuinfo names it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{os.cpu_count()} CPUs ({line.split(':', 1)[1].strip()})"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def code_version() -> str:
    """The checked-out commit, and whether the tree had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "--no-optional-locks", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        # The benchmarks write docs/benchmarks.md themselves: a report of an earlier run in the same
        # batch is no change to the code measured.
        dirty = subprocess.run(
            [
                "git",
                "--no-optional-locks",
                "status",
                "--porcelain",
                "--",
                ".",
                ":(exclude)docs/benchmarks.md",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def command_line() -> str:
    """The command that is running, with the interpreter relative to the working directory."""
    python = Path(sys.executable)
    if python.is_relative_to(Path.cwd()):
        python = python.relative_to(Path.cwd())
    return shlex.join([str(python), *sys.argv])


def section_write(path: Path, report: str, *, start: str, end: str) -> None:
    """Put ``report`` between the ``start`` and ``end`` markers of ``path``; the other sections stay.

    The markers are appended, with the report, when the file does not have them yet.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"{start}\n{report}\n{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        updated = before + section + after
    else:
        updated = current.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(updated, encoding="utf-8")
