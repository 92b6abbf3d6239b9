"""The FilterSet behind article lists: agency, status, date range and text search."""

import datetime as dt
import json
import re

import django_filters
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Expression, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.websearch import SearchQuery as ParsedQuery
from articles.websearch import Term, search_query_parse, websearch_text

# Must match the expression of any full-text index on articles, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
# PostgreSQL refuses a tsvector over 1 MB of lexemes and positions ("string is too long for
# tsvector"), and the index computes one for every row it stores, so a body of many distinct
# words (180,000 numbered lines) could not be saved at all. The index reads this many of the
# body's characters: the worst text measured (three-part hyphenated words of four-byte letters)
# takes 7.4 bytes of tsvector per character, so 80,000 stay under 600 KB. That is some 13,000
# words, longer than any news story; a longer body is found by its first 80,000 characters.
# Changing it means a migration that rebuilds the stored column (see 0015_stored_search_document).
SEARCH_BODY_MAX_CHARS = 80_000


class SearchDocument(Expression):
    """The article's stored search vector, ``articles_article.search_document``: the headline
    (weight A) and the body's first ``SEARCH_BODY_MAX_CHARS`` characters (weight B), computed by
    PostgreSQL whenever either changes (a generated column, migration 0015).

    Not a model field: the column exists on PostgreSQL only (SQLite has no text vectors), and a
    field would be read with every story, a few kilobytes each, on every page that lists or
    shows one. The expression names it where a search needs it; it compiles on PostgreSQL only.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_document')}", []


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
    """Stories whose headline or body hold the words of ``text`` (websearch syntax: every word,
    "quoted phrases", ``-word``): PostgreSQL full text (the stored vector and its index), or the
    same reading matched word by word on the embedded SQLite. The API's ``q``, the admin's
    search box and the public search.

    ``since`` keeps only stories published from then on, inside the index search itself, so
    the cost follows the matches of that period rather than of the whole archive
    (``newest_first_search_ids``). ``limit`` keeps at most that many matches, in no order:
    enough to count up to a cap without reading every match.
    """
    parsed = search_query_parse(text)
    if not parsed:
        # Nothing to find but excluded words or punctuation: nothing matches, as on PostgreSQL.
        return queryset.none() if text.strip() else queryset
    text = websearch_text(parsed)
    if settings.DATABASE_IS_POSTGRES:
        # The list's own filters go inside too, so that a limit counts the rows it will show.
        matches = _index_matches(queryset, text)
        if since is not None:
            matches = matches.filter(published_at__gte=since)
        sql, params = matches.order_by().values("id").query.sql_with_params()
        tail = ""
        if limit is not None:
            tail, params = " LIMIT %s", (*params, limit)
        # The matches come from the full-text index first, fenced off: sorted newest first with a
        # small limit, the planner would otherwise walk the date index and test every row's vector.
        # The fence is read lazily, so a limit stops the index search early. The SQL is the ORM's
        # own, its values passed apart.
        fenced = RawSQL(f"WITH matches AS MATERIALIZED ({sql}) SELECT id FROM matches{tail}", params)  # noqa: S608, S611
        return queryset.filter(pk__in=fenced)
    matches = queryset.filter(text_search_q(parsed))
    if since is not None:
        matches = matches.filter(published_at__gte=since)
    if limit is not None:
        return queryset.filter(pk__in=matches.order_by().values("pk")[:limit])
    return matches


def _index_matches(queryset, text: str):
    return queryset.alias(search=SearchDocument()).filter(search=search_tsquery(text))


def search_tsquery(text: str) -> SearchQuery:
    """``text`` as PostgreSQL reads a search box (``websearch_to_tsquery``)."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def text_search_q(query: ParsedQuery) -> Q:
    """``query`` as a filter for a database without full text (SQLite): each group must match,
    an excluded term must not. A word matches as a whole word, any case, in the headline or
    body; a phrase matches its words in order with only spaces or punctuation between."""
    condition = Q()
    for group in query.groups:
        either = Q()
        for term in group:
            if term.negated:
                condition &= ~_term_q(term)
            else:
                either |= _term_q(term)
        if either:
            condition &= either
    return condition


def _term_q(term: Term) -> Q:
    pattern = r"\b" + r"\W+".join(re.escape(word) for word in term.words) + r"\b"
    return Q(headline__iregex=pattern) | Q(body_text__iregex=pattern)


def estimated_matches(queryset, text: str) -> int | None:
    """How many stories of ``queryset`` PostgreSQL expects to hold the words of ``text``, from
    its statistics of the words (``EXPLAIN``: no row is read). ``None`` on SQLite or for no words."""
    text = text.strip()
    if not text or not settings.DATABASE_IS_POSTGRES:
        return None
    sql, params = _index_matches(queryset, text).order_by().values("id").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# How far back a newest-first search looks first; each step is tried only when the one before
# holds too few matches for the page asked for. The full-text index is keyed by date first
# (migrations 0011, 0013), so a try reads the index entries of its period's stories and the words'
# lists only where they meet them: its cost follows the period, not the archive. The first is
# a day, which holds a page of the commonest words' matches on a busy desk; each next one is
# two to three times as long, so the tries that come up short cost less than the one that
# answers, and that one reads at most about three times the stories the page needs.
SEARCH_WINDOWS = tuple(dt.timedelta(days=days) for days in (1, 3, 7, 14, 30, 90, 365))

# Words expected in fewer stories than this are searched over the whole archive at once: their
# lists in the index are short, shorter than even a day's stories on a busy desk, while a try
# by period costs what its period holds whatever the words.
FEW_MATCHES = 2_000


def search_windows(queryset, text: str) -> tuple[dt.timedelta, ...]:
    """The periods a newest-first search of ``text`` tries before the whole archive: none when
    its words are rare. Only the cost depends on it; every way answers the same rows."""
    expected = estimated_matches(queryset, text)
    if expected is not None and expected < FEW_MATCHES:
        return ()
    return SEARCH_WINDOWS


def newest_first_search_ids(
    search, needed: int, cap: int, *, now: dt.datetime | None = None, windows=SEARCH_WINDOWS
) -> tuple[list[int], bool]:
    """The ids of a search's newest matches, newest first, read only as far back as the page
    being shown lies: ``(ids, complete)``.

    ``search(since)`` is the search's queryset, sorted newest first (undated last) and restricted
    to stories published from ``since`` on (``None``: no restriction). The newest ``needed``
    matches of the whole archive are the newest ``needed`` of any period that holds that many,
    so the shortest such period answers exactly: its newest ``cap`` ids are the list's count and
    every page up to there, and ``complete`` is false (older periods may hold more). Only when no
    period holds enough is the whole archive read. A search for common words then costs what a
    day's or a week's stories cost, however long the archive grows.
    """
    now = now or timezone.now()
    needed = min(needed, cap)
    for window in windows:
        ids = list(search(now - window).values_list("pk", flat=True)[:cap])
        if len(ids) >= needed:
            return ids, False
    return list(search(None).values_list("pk", flat=True)[:cap]), True
