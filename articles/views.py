"""Public pages: the front page, article pages (with the most-read block), agency pages and the view pixel."""

import base64

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from articles import counters, hooks, workflow
from articles.models import Agency, Article
from articles.paging import page_number, page_of
from articles.presentation import front_page_layout
from articles.related.cache import related_list, related_list_cached
from articles.related.display import related_items
from articles.related.http import LimitError, etag_matches, related_cache_control, related_limit
from articles.selectors import agency_articles, article_list, articles_recent

RELATED_ON_PAGE = 5
MOST_READ_ON_PAGE = 5
# The smallest transparent GIF.
PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def index(request):
    if request.GET.get("q", "").strip():
        # Searches have their own page; links and bookmarks to /?q= still land there.
        return redirect(f"{reverse('articles:search')}?{request.GET.urlencode()}")
    query = ""
    number = page_number(request)
    articles, has_next = page_of(articles_recent, number)
    context = {
        "articles": articles,
        "page_number": number,
        "has_next": has_next,
        "query": query,
        # The first page of the latest stories, laid out as a front page (one query for all of it).
        "front": front_page_layout(articles) if number == 1 and not query else None,
        **_most_read_context(),
    }
    return render(request, "articles/index.html", context)


@require_GET
def article_detail(request, slug):
    article = article_list(user=request.user).filter(slug=slug).first()
    if article is None or article.status in workflow.WITHDRAWN:
        # Asked only when the story is not there to read: a reader's page costs no extra query.
        withdrawn = article or Article.objects.filter(slug=slug, status__in=workflow.WITHDRAWN).first()
        if withdrawn is None:
            raise Http404("No such story.")
        # Gone for good, and said so: search engines drop it, readers learn why.
        return render(request, "articles/article_withdrawn.html", {"article": withdrawn}, status=410)
    context = {
        "article": article,
        "views_shown": article.total_views + counters.article_pending_views(article_id=article.pk),
        # Lazy, so a cached page fragment skips the query.
        "related": SimpleLazyObject(lambda: related_items(article=article, limit=RELATED_ON_PAGE)),
        # What other apps show with the story (its entities): templates they register.
        "panels": hooks.registered(hooks.PAGE_PANELS),
        **_most_read_context(),
    }
    return render(request, "articles/article_detail.html", context)


@require_GET
def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    number = page_number(request)
    articles, has_next = page_of(
        lambda limit, offset: agency_articles(agency=agency, limit=limit, offset=offset), number
    )
    context = {"agency": agency, "articles": articles, "page_number": number, "has_next": has_next}
    return render(request, "articles/agency_detail.html", context)


def _most_read_context() -> dict:
    # Lazy, and cached by the counters for a minute: most requests pay no query for the block.
    return {
        "most_read_day": SimpleLazyObject(
            lambda: counters.articles_most_read(window="24h", limit=MOST_READ_ON_PAGE)
        ),
        "most_read_week": SimpleLazyObject(
            lambda: counters.articles_most_read(window="7d", limit=MOST_READ_ON_PAGE)
        ),
    }


@never_cache
@require_GET
def article_view_pixel(request, article_id):
    """Count a view for readers without JavaScript (the page's ``<noscript>`` image)."""
    if (
        counters.article_view_hit(request=request, article_id=article_id, fetch_dest="image")
        == counters.Outcome.NOT_FOUND
    ):
        raise Http404("No such article.")
    response = HttpResponse(PIXEL_GIF, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


# --- The embeddable related-articles widget ---------------------------------------------------

# Part of the widget's ETag: bump it when templates/widgets/related.html changes.
WIDGET_VERSION = 1


@xframe_options_exempt  # framing is governed by the CSP frame-ancestors below instead
@require_GET
def related_widget(request, article_id):
    """A published article's related list as a small page for an iframe on the allowed origins."""
    try:
        limit = related_limit(request.GET.get("limit"))
    except LimitError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    related = related_list_cached(article_id=article_id)
    if related is None:
        article = Article.objects.published().filter(pk=article_id).first()
        if article is None:
            raise Http404("No such article.")
        related = related_list(article=article)
    items, etag = related.head(limit)
    items = [{**item, "url": request.build_absolute_uri(item["url"])} for item in items]
    # Another representation of the same list: its own validator, changed with the template.
    etag = f'"widget-{WIDGET_VERSION}-{etag.strip(chr(34))}"'
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        response = render(request, "widgets/related.html", {"items": items})
    response["ETag"] = etag
    response["Cache-Control"] = related_cache_control(public=True)
    # The site's policy (CSPMiddleware, with the nonce of the page's <style>), framed by the allowed origins.
    response._csp_replace = {
        "frame-ancestors": ["'self'", *settings.WIDGET_ALLOWED_ORIGINS],
        "form-action": ["'none'"],
    }
    return response
