"""The FilterSet behind article lists: agency, status, date range and text search."""

import datetime as dt

import django_filters
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils import timezone

from articles.models import Article

# Must match the expression of any full-text index on articles, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
# PostgreSQL refuses a tsvector over 1 MB of lexemes and positions ("string is too long for
# tsvector"), and the index computes one for every row it stores, so a body of many distinct
# words (180,000 numbered lines) could not be saved at all. The index reads this many of the
# body's characters: the worst text measured (three-part hyphenated words of four-byte letters)
# takes 7.4 bytes of tsvector per character, so 80,000 stay under 600 KB. That is some 13,000
# words, longer than any news story; a longer body is found by its first 80,000 characters.
# Changing it means a migration that rebuilds the index (see 0011_search_index_body_prefix).
SEARCH_BODY_MAX_CHARS = 80_000


def article_search_vector() -> SearchVector:
    """The text search reads: the headline and the start of the body, as the index stores them."""
    return SearchVector("headline", Left("body_text", SEARCH_BODY_MAX_CHARS), config=SEARCH_CONFIG)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class ArticleFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug", help_text="Agency slug.")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    published_after = django_filters.DateFilter(
        method="filter_published_after", help_text="Published on or after this day (YYYY-MM-DD)."
    )
    published_before = django_filters.DateFilter(
        method="filter_published_before", help_text="Published on or before this day (YYYY-MM-DD)."
    )
    q = django_filters.CharFilter(method="filter_text", help_text="Words to find in the headline or body.")

    class Meta:
        model = Article
        fields = ["agency", "status", "published_after", "published_before", "q"]

    # Day bounds are compared as datetimes, not with ``__date``, so the published_at index serves them.
    def filter_published_after(self, queryset, name, value):
        return queryset.filter(published_at__gte=_day_start(value))

    def filter_published_before(self, queryset, name, value):
        return queryset.filter(published_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_text(self, queryset, name, value):
        return article_text_search(queryset, value)


def article_text_search(queryset, text: str, *, since: dt.datetime | None = None, limit: int | None = None):
    """Stories whose headline or body hold the words of ``text``: PostgreSQL full text (its index),
    or a substring match on the embedded SQLite. The API's ``q`` and the admin's search box.

    ``since`` keeps only stories published from then on, inside the index search itself, so
    the cost follows the matches of that period rather than of the whole archive
    (``newest_first_search_page``). ``limit`` keeps at most that many matches, in no order:
    enough to count up to a cap without reading every match.
    """
    text = text.strip()
    if not text:
        return queryset
    if settings.DATABASE_IS_POSTGRES:
        # The list's own filters go inside too, so that a limit counts the rows it will show.
        matches = queryset.annotate(search=article_search_vector()).filter(
            search=SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        )
        if since is not None:
            matches = matches.filter(published_at__gte=since)
        sql, params = matches.order_by().values("id").query.sql_with_params()
        tail = ""
        if limit is not None:
            tail, params = " LIMIT %s", (*params, limit)
        # The matches come from the full-text index first, fenced off: sorted newest first with a
        # small limit, the planner would otherwise walk the date index and test every row's text.
        # The fence is read lazily, so a limit stops the index search early. The SQL is the ORM's
        # own, its values passed apart.
        fenced = RawSQL(f"WITH matches AS MATERIALIZED ({sql}) SELECT id FROM matches{tail}", params)  # noqa: S608, S611
        return queryset.filter(pk__in=fenced)
    matches = queryset.filter(Q(headline__icontains=text) | Q(body_text__icontains=text))
    if since is not None:
        matches = matches.filter(published_at__gte=since)
    if limit is not None:
        return queryset.filter(pk__in=matches.order_by().values("pk")[:limit])
    return matches


# How far back a newest-first search looks first; each step is tried only when the one before
# holds too few matches for the page asked for. Each try is one reading of the full-text index,
# so the first is a week: a week's matches of even the commonest words are few enough to read.
SEARCH_WINDOWS = (dt.timedelta(days=7), dt.timedelta(days=30), dt.timedelta(days=365))


def newest_first_search_page(search, bottom: int, top: int, *, now: dt.datetime | None = None):
    """Rows ``bottom:top`` of a search sorted newest first, reading only as far back as they lie.

    ``search(since, limit)`` is the search's queryset, sorted newest first (undated last),
    restricted to stories published from ``since`` on (``None``: no restriction) and to at most
    ``limit`` matches (``None``: all; the count uses a limit). The newest ``top``
    matches of the whole archive are the newest ``top`` of any period that holds ``top``
    matches, so the shortest such period answers exactly; only when none does is the whole
    archive read. A search for common words then costs what a day's or a week's matches cost,
    however long the archive grows.
    """
    now = now or timezone.now()
    wanted = top - bottom
    for window in SEARCH_WINDOWS:
        # A full page from the period means the period holds ``top`` matches: the answer.
        rows = list(search(now - window, None)[bottom:top])
        if len(rows) == wanted:
            return rows
    return list(search(None, None)[bottom:top])
