"""Move pending view counts from Redis into the database: once, or every few seconds until stopped."""

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import counters

PAUSE_ENV = "NEWSROOM_FLUSH_PAUSE_AT"


class Command(BaseCommand):
    help = (
        "Flush the view counts waiting in Redis into article totals and daily rows (what the beat "
        "task does). With --interval, flush every INTERVAL seconds until SIGTERM or SIGINT, then "
        "flush one last time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=0, help="Seconds between flushes; 0: flush once."
        )

    def handle(self, *args, interval, **options):
        pause = _pause_hook()
        if not interval:
            moved = counters.view_counts_flush(pause=pause)
            self.stdout.write(f"moved {moved} views")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"flushing every {interval:g} s until stopped")
        self.stdout.flush()
        total = runs = 0
        while not stopping:
            started = time.monotonic()
            total += counters.view_counts_flush(pause=pause)
            runs += 1
            while not stopping and time.monotonic() - started < interval:
                time.sleep(0.05)
        total += counters.view_counts_flush(pause=pause)
        self.stdout.write(f"moved {total} views in {runs + 1} flushes")


def _pause_hook():
    """For the crash tests: ``NEWSROOM_FLUSH_PAUSE_AT=<point>`` stops the flush there for a kill.

    It says ``paused at <point>`` on stdout and sleeps (``NEWSROOM_FLUSH_PAUSE_SECONDS``,
    default an hour). Honoured only with DEBUG on, so a production flush never sleeps.
    """
    point = os.environ.get(PAUSE_ENV, "")
    if not point:
        return None
    if point not in counters.PAUSE_POINTS:
        raise CommandError(f"{PAUSE_ENV} must be one of {', '.join(counters.PAUSE_POINTS)}")
    if not settings.DEBUG:
        raise CommandError(f"{PAUSE_ENV} is a test hook and needs DEBUG on")
    seconds = float(os.environ.get("NEWSROOM_FLUSH_PAUSE_SECONDS", "3600"))

    def pause(reached: str) -> None:
        if reached == point:
            sys.stdout.write(f"paused at {point}\n")
            sys.stdout.flush()
            time.sleep(seconds)

    return pause
