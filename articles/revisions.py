"""Revisions of an article: who changed what and why, each field's change against the revision before.

Every save of an article is a revision (django-simple-history's ``HistoricalArticle``): an
extraction (by no one: the extractor), an editor's edit, a move of its life. The services
stamp each save with its author and reason (``revision_stamp``); here they are read back as
field-level changes, with a line diff for the long texts.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from articles.models import Article

# The fields a revision shows; counts, derived keywords and timestamps are no one's edit.
SHOWN_FIELDS = (
    "headline",
    "slug",
    "status",
    "agency",
    "published_at",
    "published_precision",
    "publish_at",
    "kill_notice",
    "dateline_text",
    "dateline_place",
    "body_text",
    "language",
    "source_url",
    "legacy_view_count",
)
# Compared line by line (paragraph by paragraph) rather than as one value.
LONG_FIELDS = frozenset({"body_text", "kill_notice"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def long(self) -> bool:
        return self.field in LONG_FIELDS

    def diff_html(self) -> SafeString:
        """The change as lines taken out and put in (``<del>``/``<ins>``), everything escaped."""
        old, new = self.old.split("\n"), self.new.split("\n")
        lines = []
        for line in difflib.unified_diff(old, new, lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                if lines:  # a gap between two changed places
                    lines.append('<div class="diff-hunk">…</div>')
            elif line.startswith("-"):
                lines.append(f"<del>{escape(line[1:])}</del>")
            elif line.startswith("+"):
                lines.append(f"<ins>{escape(line[1:])}</ins>")
            else:
                lines.append(f"<div>{escape(line[1:])}</div>")
        return mark_safe("\n".join(lines))  # noqa: S308 - every piece above is escaped


@dataclass(frozen=True)
class Revision:
    record: object  # a HistoricalArticle row
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def author(self) -> str:
        user = self.record.history_user
        return str(user) if user is not None else "the extractor or the system"

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""


def revision_stamp(article: Article, *, by, reason: str) -> None:
    """Say who makes the next save of ``article`` and why (None: extraction or the system)."""
    article._history_user = by
    article._change_reason = reason[:100]


def article_revisions(article: Article, *, limit: int = 50) -> list[Revision]:
    """The article's revisions, newest first, each with what it changed against the one before."""
    records = list(
        article.history.select_related("history_user", "agency").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    revisions = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        revisions.append(Revision(record, record_changes(record, previous)))
    return revisions[:limit]


def record_changes(record, previous) -> list[FieldChange]:
    """What ``record`` changed against ``previous`` (everything it set, for the first revision)."""
    changes = []
    for name in SHOWN_FIELDS:
        new = _shown(record, name)
        old = _shown(previous, name) if previous is not None else ""
        if new != old:
            label = capfirst(Article._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, str(label), old, new))
    return changes


def _shown(record, name: str) -> str:
    if name == "agency":
        agency_id = record.agency_id
        return str(record.agency) if agency_id else ""
    if name == "status":
        return Article.Status(record.status).label if record.status else ""
    value = getattr(record, name)
    if isinstance(value, dt.datetime):
        # To the second, as the admin shows and saves it (a form drops the microseconds).
        return value.strftime("%Y-%m-%d %H:%M:%S %Z")
    return "" if value is None else str(value)
