"""Adding counted views to the database: article totals and daily rows, in bulk statements."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection
from django.db.models import BigIntegerField, Case, F, Value, When

from articles.models import Article, ArticleViewDay

# Rows per statement: big enough to make a flush a handful of statements, small enough
# for the parameter limits of both databases.
CHUNK = 500


def article_totals_add(views: Mapping[int, int]) -> set[int]:
    """Add views to ``Article.view_count``; the ids of the articles that still exist."""
    existing: set[int] = set()
    for chunk in _chunks(sorted(views)):
        found = list(Article.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        if not found:
            continue
        existing.update(found)
        # One UPDATE a chunk; articles that got the same number of views share a branch.
        by_increment: dict[int, list[int]] = defaultdict(list)
        for article_id in found:
            by_increment[views[article_id]].append(article_id)
        increment = Case(
            *(When(pk__in=ids, then=Value(n)) for n, ids in sorted(by_increment.items())),
            default=Value(0),
            output_field=BigIntegerField(),
        )
        # update(), not save(): updated_at stays, and so do the caches keyed on it.
        Article.objects.filter(pk__in=found).update(view_count=F("view_count") + increment)
    return existing


def article_days_add(
    views: Mapping[tuple[int, dt.date], int], *, uniques: Mapping[tuple[int, dt.date], int]
) -> None:
    """Add views to the daily rows, creating them as needed; unique visitors are set, never added.

    ``uniques`` holds the HyperLogLog count of each (article, day) at the time of the flush:
    a later count replaces an earlier one, and a smaller one (its key expired) changes nothing.
    The figure is kept at or below the day's views (the estimate can overshoot by about 1%).
    """
    table = connection.ops.quote_name(ArticleViewDay._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    rows = sorted(views.items())
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            params: list = []
            for (article_id, day), count in chunk:
                unique = uniques.get((article_id, day), 0)
                params += [article_id, connection.ops.adapt_datefield_value(day), count, unique]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (article_id, day, views, unique_visitors) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (article_id, day) DO UPDATE SET views = {table}.views + excluded.views, "
                f"unique_visitors = {greatest}({table}.unique_visitors, excluded.unique_visitors)",
                params,
            )
            if any(uniques.get(key, 0) for key, _ in chunk):
                ArticleViewDay.objects.filter(
                    article_id__in={article_id for (article_id, _), _ in chunk},
                    day__in={day for (_, day), _ in chunk},
                    unique_visitors__gt=F("views"),
                ).update(unique_visitors=F("views"))


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
