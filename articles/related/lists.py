"""Top-K related lists with one shown story per story cluster; pure Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One computed link: its target, score and the story cluster the target belongs to."""

    target_id: int
    score: float
    cluster_id: int | None = None

    @property
    def group(self) -> tuple[str, int]:
        # Stories of one cluster are one item of the list; any other story is its own.
        return ("cluster", self.cluster_id) if self.cluster_id else ("article", self.target_id)


def diverse_top(entries: Iterable[Entry], *, limit: int, per_cluster: int) -> list[Entry]:
    """The best ``limit`` groups, each with at most ``per_cluster`` more takes, best first.

    A take from a cluster already shown is kept (to be shown as "also from …") instead of
    taking a place of its own.
    """
    groups: dict[tuple[str, int], list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (-e.score, -e.target_id)):
        members = groups.get(entry.group)
        if members is not None:
            if len(members) <= per_cluster:
                members.append(entry)
        elif len(groups) < limit:
            groups[entry.group] = [entry]
    return sorted((e for members in groups.values() for e in members), key=lambda e: (-e.score, -e.target_id))


def group_count(entries: Iterable[Entry]) -> int:
    return len({entry.group for entry in entries})
