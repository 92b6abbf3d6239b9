"""Template helpers for public pages: the body sanitised once more, dates as precise as known,
the dateline as place and credit, the read count in words, the agencies in the header."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_format
from django.utils.safestring import SafeString, mark_safe

from articles.extraction.sanitize import sanitize_html
from articles.presentation import DatelineParts, dateline_parts, read_count_phrase
from articles.selectors import agencies_in_nav

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


@register.filter
def article_dateline(article) -> DatelineParts:
    """The story's dateline as place and credit ("Kuwait City", "KUNA"), never the raw text."""
    return dateline_parts(
        text=article.dateline_text,
        place=article.dateline_place,
        agency=article.agency.name if article.agency else "",
    )


@register.filter
def read_count(count) -> str:
    """ "Read once", "Read 12,345 times"; "" when nobody has read the story yet."""
    return read_count_phrase(int(count or 0))


@register.simple_tag
def nav_agencies() -> list:
    """The agencies the header links to (cached: the header costs no query)."""
    return agencies_in_nav()


@register.filter
def grouped(number) -> str:
    """12345 -> "12,345"."""
    return f"{int(number or 0):,}"
