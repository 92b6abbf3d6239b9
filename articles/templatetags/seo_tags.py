"""Template helpers for what search engines and link previews read in a page's <head>."""

from django import template

from articles.seo.site import absolute_url
from articles.seo.structured_data import article_modified_at, article_structured_data, json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context, path: str = "") -> str:
    """The page's absolute address: ``path``, else the request's path without its query string."""
    request = context["request"]
    return absolute_url(request, path or request.path)


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    """A site path (or an absolute URL) as an absolute URL."""
    return absolute_url(context["request"], path)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """The article's NewsArticle JSON-LD as a ``<script>`` element, safely escaped."""
    request = context["request"]
    # str(), not bool(): django-csp's lazy nonce is falsy until first read.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return json_ld_script(article_structured_data(article=article, request=request), nonce=nonce)


@register.simple_tag(takes_context=True)
def list_canonical_url(context) -> str:
    """A list page's own address: its path, with ``?page=N`` past the first page (each page is its own)."""
    request = context["request"]
    number = context.get("page_number") or 1
    return absolute_url(request, request.path if number == 1 else f"{request.path}?page={number}")


@register.filter
def modified_at(article):
    """The time ``article:modified_time`` and the JSON-LD's ``dateModified`` both give."""
    return article_modified_at(article)
