"""Template helpers for public pages: the body sanitised once more, dates as precise as known."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_format
from django.utils.safestring import SafeString, mark_safe

from articles.extraction.sanitize import sanitize_html

register = template.Library()

# How ``published_at`` is written for each precision the source stated.
PUBLISHED_FORMATS = {"minute": "j F Y, H:i", "day": "j F Y", "month": "F Y", "year": "Y"}


@register.filter
def article_body(article) -> SafeString:
    """The body as HTML: the stored HTML sanitised again, else the paragraphs escaped.

    Stored HTML was sanitised at extraction, but editors and imports write it too:
    it goes through the same allow-list on its way to the page (defence in depth).
    """
    if article.body_html.strip():
        return mark_safe(sanitize_html(article.body_html))  # noqa: S308 - the output of the sanitiser
    return article.paragraphs_html()


@register.filter
def published_display(article) -> str:
    """``published_at`` written only as far as the source stated it; "" when unknown."""
    fmt = PUBLISHED_FORMATS.get(article.published_precision)
    if article.published_at is None or fmt is None:
        return ""
    return date_format(article.published_at, fmt)


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME
