"""The public search: ranked, highlighted, filtered, and bounded in time whatever is typed.

On PostgreSQL the matches come from the stored vector's index (``articles.filters``), newest
first, from the shortest recent period that holds ``RANK_STEP`` of them (a day, 3 days, a
week... then the archive: ``recent_matches``); at most ``RANK_POOL`` of those are ranked
(``ts_rank``: a headline match, weight A, above a body match, weight B), and only the page's
rows are highlighted. Ranking every match of two common words would read tens of thousands
of vectors, and a phrase of common words is checked story by story; news readers want recent
stories first anyway, so the best recent matches are shown (docs/search.md says more). Every
statement runs under ``SEARCH_STATEMENT_TIMEOUT_MS``: a search that would take longer is
cancelled by PostgreSQL and answered "too slow", never holding a worker.

On SQLite the same reading of the query (``articles.websearch``) is matched word by word and
ranked by how many terms the headline holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db import OperationalError, connections, transaction
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Left, Replace
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import hooks
from articles.filters import (
    SEARCH_CONFIG,
    SearchDocument,
    article_text_search,
    search_tsquery,
    search_windows,
    text_search_q,
)
from articles.models import Article
from articles.selectors import ARTICLE_ORDERING, article_list
from articles.websearch import SearchQuery, search_query_parse, websearch_text

# At most this many of the newest matches are ranked; pages run out after them.
RANK_POOL = 500
# The newest matches are read by period until this many are found (two pages), or the next
# multiple for a later page: pages 1 and 2 rank the same stories, so none repeats or goes missing.
RANK_STEP = 40
# Past this many days of stories, reading a period's entries costs more than reading the words'
# lists over the whole archive, for words whose matches are that sparse (``recent_matches``).
SPARSE_DAYS = 90
# Snippets are cut from the body's start: ts_headline parses all the text it is given.
SNIPPET_BODY_CHARS = 20_000
SNIPPET_OPTIONS = {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}
# Marks the database puts round a found word; the text is escaped first, then they become <mark>.
START, STOP = "\x02", "\x03"
# ts_headline's parser reads "<...>" as markup and drops it; a story quoting "<script>" must show
# it as text, so "<" travels as this character and comes back as "&lt;" after escaping.
LESS_THAN = "\x01"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
# PostgreSQL's code for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


class Outcome:
    FOUND = "found"
    NOTHING = "nothing"
    NO_WORDS = "no_words"
    TOO_SLOW = "too_slow"


@dataclass
class SearchHit:
    article: Article
    headline: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    """One page of a search, and what the page says about it."""

    text: str
    outcome: str
    hits: list[SearchHit] = field(default_factory=list)
    page_number: int = 1
    has_next: bool = False
    # The ranking read only recent matches: older ones exist.
    capped: bool = False
    truncated: bool = False
    # What the filters narrowed to, in words ("Mentioning Angela Merkel").
    filter_labels: list[str] = field(default_factory=list)


def marked_html(text: str) -> SafeString:
    """``text`` escaped, with the words the database marked (``START``...``STOP``) in ``<mark>``."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text)).replace(LESS_THAN, "&lt;")
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped above


def search_queryset(*, filters: dict) -> tuple:
    """Published stories narrowed by the agency and date filters and by those other apps register
    (the entity): ``(queryset, labels)``."""
    own = {k: filters[k] for k in ("agency", "published_after", "published_before") if filters.get(k)}
    queryset = article_list(filters=own)
    labels = []
    for parameter, apply in hooks.registered(hooks.PUBLIC_FILTERS):
        value = filters.get(parameter)
        if value:
            queryset, label = apply(queryset, value)
            if label:
                labels.append(label)
    return queryset, labels


def article_search(*, text: str, filters: dict, page_number: int, page_size: int) -> SearchPage:
    """Page ``page_number`` of the stories matching ``text`` (websearch syntax), best first."""
    parsed = search_query_parse(text)
    query = websearch_text(parsed)
    page = SearchPage(
        text=query, outcome=Outcome.NO_WORDS, page_number=page_number, truncated=parsed.truncated
    )
    if not parsed:
        return page
    queryset, page.filter_labels = search_queryset(filters=filters)
    if queryset.query.is_empty():  # a filter that names nothing (an unknown entity)
        page.outcome = Outcome.NOTHING
        return page
    offset = (page_number - 1) * page_size
    if settings.DATABASE_IS_POSTGRES:
        try:
            found = _postgres_page(queryset, query, offset, page_size)
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != QUERY_CANCELED:
                raise
            page.outcome = Outcome.TOO_SLOW
            return page
        if found is None:  # stop words only: PostgreSQL has nothing to look for
            return page
        page.hits, page.has_next, page.capped = found
    else:
        page.hits, page.has_next = _sqlite_page(queryset, parsed, offset, page_size)
    page.outcome = Outcome.FOUND if page.hits else Outcome.NOTHING
    return page


def _postgres_page(queryset, query: str, offset: int, page_size: int):
    db = queryset.db
    nested = connections[db].in_atomic_block
    # One transaction, so SET LOCAL bounds every statement of the search and ends with it.
    with transaction.atomic(using=db), connections[db].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true), numnode(websearch_to_tsquery(%s::regconfig, %s))",
            [f"{settings.SEARCH_STATEMENT_TIMEOUT_MS}ms", SEARCH_CONFIG, query],
        )
        # No words left once stop words go ("the of and"): nothing to look for.
        found = _ranked_page(queryset, query, offset, page_size) if cursor.fetchone()[1] else None
        if nested:  # inside a caller's transaction, which goes on after the search
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    return found


def _ranked_page(queryset, query: str, offset: int, page_size: int):
    tsquery = search_tsquery(query)
    needed = min(RANK_POOL, -(-(offset + page_size + 1) // RANK_STEP) * RANK_STEP)
    pool, complete = recent_matches(queryset, query, needed, windows=search_windows(queryset, query))
    ranked = list(
        Article.objects.filter(pk__in=pool)
        .annotate(rank=SearchRank(SearchDocument(), tsquery))
        .order_by("-rank", *ARTICLE_ORDERING)
        .values_list("pk", flat=True)[offset : offset + page_size + 1]
    )
    shown = ranked[:page_size]
    # Highlighted for the page's rows only: ts_headline parses the text it is given.
    rows = (
        Article.objects.filter(pk__in=shown)
        .select_related("agency")
        .annotate(
            headline_marked=SearchHeadline(
                _without_markup("headline"),
                tsquery,
                config=SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
            snippet_marked=SearchHeadline(
                _without_markup(Left("body_text", SNIPPET_BODY_CHARS)),
                tsquery,
                config=SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                **SNIPPET_OPTIONS,
            ),
        )
    )
    by_id = {row.pk: row for row in rows}
    hits = [
        SearchHit(by_id[pk], marked_html(by_id[pk].headline_marked), marked_html(by_id[pk].snippet_marked))
        for pk in shown
        if pk in by_id
    ]
    return hits, len(ranked) > page_size, not complete or len(pool) >= RANK_POOL


def recent_matches(queryset, query: str, needed: int, *, windows) -> tuple[list[int], bool]:
    """The ids of the newest matches of ``query``, newest first, read period by period until
    ``needed`` are found (at most ``RANK_POOL``): ``(ids, complete)``.

    As ``newest_first_search_ids``, but each period keeps only the stories older than the one
    before it (a day, then the two days before it...), so no story is counted twice.

    That bound is applied outside the index search, never inside it: the date-first index reads
    each condition on the date as a scan of its own, and ``published_at < t`` is a scan from the
    oldest story up to ``t``, the whole archive. Inside, a period is only ``published_at >= since``:
    the entries of the period, re-reading the newer ones (at most 1.4 times the last period read
    in all), and the archive is the words alone.
    """
    now = timezone.now()
    ids: list[int] = []
    newer = None
    for window in windows:
        since = now - window
        found = article_text_search(queryset, query, since=since).order_by(*ARTICLE_ORDERING)
        if newer is not None:
            found = found.filter(published_at__lt=newer)
        ids += found.values_list("pk", flat=True)[: RANK_POOL - len(ids)]
        if len(ids) >= needed:
            return ids, False
        newer = since
        # Matches so sparse that the period holding enough would be longer than SPARSE_DAYS:
        # words that seldom meet ("oil asylum"). Their lists meet in few stories over the whole
        # archive, which the words alone find faster than the entries of so long a period.
        if window.days * needed / max(len(ids), 0.5) > SPARSE_DAYS:
            break
    found = article_text_search(queryset, query).order_by(*ARTICLE_ORDERING)
    if newer is not None:
        found = found.filter(Q(published_at__lt=newer) | Q(published_at__isnull=True))
    ids += found.values_list("pk", flat=True)[: RANK_POOL - len(ids)]
    return ids, len(ids) < RANK_POOL


def _without_markup(text):
    return Replace(text, Value("<"), Value(LESS_THAN))


def _sqlite_page(queryset, parsed: SearchQuery, offset: int, page_size: int):
    wanted = [term for group in parsed.groups for term in group if not term.negated]
    # Headline matches first: one point for each term the headline holds, then newest first.
    score = sum(
        (
            Case(When(headline__iregex=_term_pattern(term.words), then=Value(1)), default=Value(0))
            for term in wanted
        ),
        start=Value(0),
    )
    rows = list(
        queryset.filter(text_search_q(parsed))
        .annotate(score=score)
        .order_by("-score", *ARTICLE_ORDERING)[offset : offset + page_size + 1]
    )
    words = re.compile(
        "|".join(_term_pattern(term.words) for term in sorted(wanted, key=lambda t: -len(t.words))),
        re.IGNORECASE,
    )
    hits = [
        SearchHit(a, marked_html(_mark(words, a.headline)), marked_html(_snippet(words, a.body_text)))
        for a in rows[:page_size]
    ]
    return hits, len(rows) > page_size


def _term_pattern(words) -> str:
    return r"\b" + r"\W+".join(re.escape(word) for word in words) + r"\b"


def _mark(words: re.Pattern, text: str) -> str:
    return words.sub(lambda m: f"{START}{m.group(0)}{STOP}", text.replace(START, "").replace(STOP, ""))


def _snippet(words: re.Pattern, body: str, width: int = 240) -> str:
    """About ``width`` characters of ``body`` round its first match, cut at spaces."""
    body = " ".join(body.split())
    found = words.search(body)
    start = max(0, (found.start() if found else 0) - width // 3)
    if start:
        start = body.find(" ", start) + 1
    end = min(len(body), start + width)
    if end < len(body):
        end = body.rfind(" ", start, end) if body.rfind(" ", start, end) > start else end
    text = _mark(words, body[start:end])
    return ("… " if start else "") + text + (" …" if end < len(body) else "")
