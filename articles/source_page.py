"""A stored page as its site showed it, for the frame beside the story, with extraction's choices marked.

Text pages are shown as their lines, those extraction removed struck through. HTML pages are
shown as their markup with scripts, frames, forms and outside resources taken out, each
element whose text is a paragraph of the story outlined in green and each whose text
extraction removed (view counters, site furniture, a repeated passage) struck through in red.
The frame's Content-Security-Policy is the real guard (no script, no request out); taking
the active parts out here keeps the page from even trying.
"""

from __future__ import annotations

import lxml.html
from django.utils.html import format_html, format_html_join
from lxml import etree

from articles.extraction.markup import bound_markup
from articles.extraction.types import ExtractionError

# Markup that could run, fetch or submit; none of it is needed to read the page.
ACTIVE_TAGS = (
    "script",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "base",
    "form",
    "link",
    "meta",
)

STYLE = (
    ".nr-kept{outline:2px solid #2a7d2a!important;background:#eefbee!important}"
    ".nr-removed{outline:2px solid #b00!important;background:#fdd!important;text-decoration:line-through!important}"
    "del{background:#fdd}"
    ".nr-legend{font:13px/1.4 sans-serif;background:#fff;border-bottom:1px solid #ccc;padding:4px 8px;margin:0 0 8px}"
)
LEGEND = (
    '<p class="nr-legend"><span class="nr-kept">kept as the story</span> · '
    '<span class="nr-removed">removed by extraction</span> · the rest is the site around the story</p>'
)


_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def text_page(text: str, removed: list[str]) -> str:
    """A plain-text page as its lines, each line extraction removed struck through."""
    gone = {_key(line) for line in removed} - {""}
    lines = format_html_join(
        "\n",
        "{}",
        ((format_html("<del>{}</del>", line) if _key(line) in gone else line,) for line in text.splitlines()),
    )
    return format_html('<style>{}</style><pre style="white-space:pre-wrap">{}</pre>', STYLE, lines)


def html_page(text: str, *, removed: list[str], kept: list[str]) -> str:
    """An HTML page without its active parts, the story's paragraphs and extraction's removals marked.

    An element is marked when its text is exactly one of those passages (spaces and case aside),
    and only the innermost such element, so a paragraph is outlined rather than the column
    around it.
    """
    try:
        # Bounded as extraction bounds it, so a flood of attributes or tags cannot stall the admin.
        bounded = bound_markup(text).text
        # As bytes: a page that declares its encoding (``<?xml ... encoding=...?>``) parses too.
        root = lxml.html.document_fromstring(bounded.encode("utf-8"), parser=_PARSER)
    except (ValueError, etree.ParserError, ExtractionError):
        return format_html("<style>{}</style><pre>{}</pre>", STYLE, text)
    for element in list(root.iter(*ACTIVE_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            # Event handlers and inline script, whatever the CSP says.
            if name.lower().startswith("on") or element.attrib[name].strip().lower().startswith(
                "javascript:"
            ):
                del element.attrib[name]

    marks = {_key(line): "nr-removed" for line in removed if _key(line)}
    marks.update({_key(line): "nr-kept" for line in kept if _key(line)})
    body = root.find("body")
    if body is None:
        body = root
    covered: set[tuple[lxml.html.HtmlElement, str]] = set()
    # Children before their parents, so the innermost element holding a passage takes the mark.
    for element in reversed(list(body.iter())):
        if not isinstance(element.tag, str):
            continue
        key = _key(element.text_content())
        mark = marks.get(key)
        if mark is None or (element, key) in covered:
            continue
        element.set("class", f"{element.get('class', '')} {mark}".strip())
        for ancestor in element.iterancestors():
            covered.add((ancestor, key))

    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    style = lxml.html.Element("style")
    style.text = STYLE
    head.append(style)
    body.insert(0, lxml.html.fragment_fromstring(LEGEND))
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def source_page(text: str, *, is_html: bool, removed: list[str], kept: list[str]) -> str:
    """The page for the frame: marked HTML, or marked lines of text."""
    if is_html:
        return html_page(text, removed=removed, kept=kept)
    return text_page(text, removed)
