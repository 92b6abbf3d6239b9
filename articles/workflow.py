"""An article's life: the moves between its states and the permission each one needs.

::

    draft ──submit──► needs review ──mark ready──► ready ──schedule──► scheduled
      │                   ▲    │                    │  ▲                 │
      │                   └────┼──── send back ─────┘  └── unschedule ───┤
      └──────────── publish ───┴──── publish ──────────► published ◄─────┘ (at its time)
                                                          │      │
                                             unpublish ◄──┘      └──kill──► killed ──archive──► archived

Extraction files a story under *needs review* when it flagged something, else *ready*; an
editor writing one starts a *draft*. The moves are carried out by the actions of
``articles.services.workflow``, which check the permission named here; docs/workflow.md
has who holds which.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.models import Article

S = Article.Status


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    done: str  # what the change log says
    sources: frozenset[str]
    target: str
    permission: str


MOVES = {
    move.name: move
    for move in (
        Move(
            "submit",
            "Submit for review",
            "Submitted for review",
            frozenset({S.DRAFT}),
            S.NEEDS_REVIEW,
            "articles.change_article",
        ),
        Move(
            "mark_ready",
            "Mark ready",
            "Marked ready",
            frozenset({S.DRAFT, S.NEEDS_REVIEW}),
            S.READY,
            "articles.review_article",
        ),
        Move(
            "send_back",
            "Send back to review",
            "Sent back to review",
            frozenset({S.READY}),
            S.NEEDS_REVIEW,
            "articles.review_article",
        ),
        Move(
            "schedule",
            "Schedule",
            "Scheduled",
            frozenset({S.DRAFT, S.NEEDS_REVIEW, S.READY, S.SCHEDULED}),
            S.SCHEDULED,
            "articles.publish_article",
        ),
        Move(
            "unschedule",
            "Unschedule",
            "Unscheduled",
            frozenset({S.SCHEDULED}),
            S.READY,
            "articles.publish_article",
        ),
        Move(
            "publish",
            "Publish",
            "Published",
            frozenset({S.DRAFT, S.NEEDS_REVIEW, S.READY, S.SCHEDULED}),
            S.PUBLISHED,
            "articles.publish_article",
        ),
        Move(
            "unpublish",
            "Unpublish",
            "Unpublished",
            frozenset({S.PUBLISHED}),
            S.DRAFT,
            "articles.publish_article",
        ),
        Move(
            "correct",
            "Add a correction or update",
            "Correction or update added",
            frozenset({S.PUBLISHED}),
            S.PUBLISHED,
            "articles.publish_article",
        ),
        Move(
            "kill", "Kill", "Killed", frozenset({S.PUBLISHED, S.SCHEDULED}), S.KILLED, "articles.kill_article"
        ),
        Move("archive", "Archive", "Archived", frozenset({S.KILLED}), S.ARCHIVED, "articles.kill_article"),
    )
}

# Readers never see these: a killed or archived story answers 410 Gone with its notice.
WITHDRAWN = frozenset({S.KILLED, S.ARCHIVED})

# Readers see these stories, or will without an editor looking again: an edit of one is published
# as it is saved, so it needs the permission to publish.
LIVE = frozenset({S.PUBLISHED, S.SCHEDULED})
# The fields that decide when readers see a story (an expiry takes it down): setting them is
# scheduling, which needs the permission to publish.
TIMING_FIELDS = frozenset({"embargo_until", "expire_at"})
PUBLISH = "articles.publish_article"


def edit_permissions(*, status: str, fields=(), created: bool = False) -> list[str]:
    """The permissions an edit of ``fields`` of a story in ``status`` needs (``created``: a new story)."""
    needed = ["articles.add_article" if created else "articles.change_article"]
    if (not created and status in LIVE) or TIMING_FIELDS & set(fields):
        needed.append(PUBLISH)
    return needed


class MoveRefused(Exception):
    """A move the article's state does not allow; the message says why."""


def move_get(name: str) -> Move:
    try:
        return MOVES[name]
    except KeyError:
        raise MoveRefused(f"There is no move called {name!r}.") from None


def moves_from(status: str) -> list[Move]:
    """The moves a story in ``status`` can make, in the order of ``MOVES``."""
    return [move for move in MOVES.values() if status in move.sources]


def move_check(move: Move, status: str) -> None:
    if status not in move.sources:
        label = Article.Status(status).label.lower()
        raise MoveRefused(f"A story that is {label} cannot be moved with “{move.label}”.")
