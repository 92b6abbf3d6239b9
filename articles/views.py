"""Public pages: the front page, article pages, agency pages and the no-script view pixel."""

import base64

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles import counters
from articles.models import Agency
from articles.selectors import (
    agency_articles,
    article_is_published,
    article_list,
    article_related,
    articles_recent,
)

PAGE_SIZE = 20
RELATED_ON_PAGE = 5
# The smallest transparent GIF.
PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("No such page.") from None
    if number < 1:
        raise Http404("No such page.")
    return number


def _page(fetch, number: int) -> tuple[list, bool]:
    """One page of a list and whether another follows, without counting the whole list."""
    rows = fetch(limit=PAGE_SIZE + 1, offset=(number - 1) * PAGE_SIZE)
    if not rows and number > 1:
        raise Http404("No such page.")
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@require_GET
def index(request):
    query = request.GET.get("q", "").strip()
    number = _page_number(request)
    if query:
        matches = article_list(filters={"q": query})
        articles, has_next = _page(lambda limit, offset: list(matches[offset : offset + limit]), number)
    else:
        articles, has_next = _page(articles_recent, number)
    context = {"articles": articles, "page_number": number, "has_next": has_next, "query": query}
    return render(request, "articles/index.html", context)


@require_GET
def article_detail(request, slug):
    article = get_object_or_404(article_list(user=request.user), slug=slug)
    context = {
        "article": article,
        "views_shown": article.total_views + counters.article_pending_views(article_id=article.pk),
        # Lazy, so a cached page fragment skips the query.
        "related": SimpleLazyObject(lambda: article_related(article=article, limit=RELATED_ON_PAGE)),
    }
    return render(request, "articles/article_detail.html", context)


@require_GET
def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    number = _page_number(request)
    articles, has_next = _page(
        lambda limit, offset: agency_articles(agency=agency, limit=limit, offset=offset), number
    )
    context = {"agency": agency, "articles": articles, "page_number": number, "has_next": has_next}
    return render(request, "articles/agency_detail.html", context)


@never_cache
@require_GET
def article_view_pixel(request, article_id):
    """Count a view for readers without JavaScript (the page's ``<noscript>`` image)."""
    if not article_is_published(article_id=article_id):
        raise Http404("No such article.")
    counters.article_view_record(article_id=article_id)
    response = HttpResponse(PIXEL_GIF, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
