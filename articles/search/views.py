"""The search page, ``/search/?q=``: the box in every page's masthead sends readers here."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from articles.models import Agency
from articles.paging import PAGE_SIZE, page_number
from articles.search.results import Outcome, article_search

FILTERS = ("agency", "entity", "published_after", "published_before")


@require_GET
def search(request):
    text = request.GET.get("q", "")
    number = page_number(request)
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    page = article_search(text=text, filters=filters, page_number=number, page_size=PAGE_SIZE)
    context = {
        "query": page.text,
        "page": page,
        "filters": filters,
        "agency_options": _agency_options(filters["agency"]),
        "page_number": number,
        "has_next": page.has_next,
        "outcome": Outcome,
        "prev_query": _page_query(page.text, filters, number - 1),
        "next_query": _page_query(page.text, filters, number + 1),
    }
    # Too slow is the server's limit, not the reader's mistake; it says so, and a cache or a
    # crawler does not keep it.
    status = 503 if page.outcome == Outcome.TOO_SLOW else 200
    response = render(request, "articles/search.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "10"
    return response


def _agency_options(selected: str):
    # Joined here rather than looped in the template: a few hundred agencies render in a
    # fraction of the time.
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (slug, mark_safe(" selected") if slug == selected else "", name)
            for slug, name in Agency.objects.order_by("name").values_list("slug", "name")
        ),
    )


def _page_query(text: str, filters: dict, number: int) -> str:
    return urlencode({"q": text, **{k: v for k, v in filters.items() if v}, "page": number})
