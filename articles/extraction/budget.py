"""A time budget for one page, checked between the stages of its extraction.

Size and nesting limits bound what any one stage can cost; the budget bounds their sum.
It is cooperative: a stage that has started runs to its end (none is long on a page
within the size limits), and the next one is skipped or cut short when the budget is
spent. The Celery task's own time limits are the backstop for anything this misses.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .types import ExtractionError

# A typical page takes a few tens of milliseconds; the slowest pages in the development set
# take a little over one second.
DEFAULT_SECONDS = 5.0


class BudgetSpent(ExtractionError):
    """The page used up its time budget before it could be read."""


@dataclass
class Budget:
    """``seconds`` of work for one page, counted from creation on ``clock``."""

    seconds: float = DEFAULT_SECONDS
    clock: Callable[[], float] = time.perf_counter
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def left(self) -> float:
        return self.seconds - self.elapsed()

    def spent(self) -> bool:
        return self.left() <= 0

    def check(self, stage: str) -> None:
        """Raise BudgetSpent, naming the stage that could not start, when the budget is gone."""
        if self.spent():
            raise BudgetSpent(
                f"The page took more than its {self.seconds:g}-second budget; stopped before {stage}."
            )
