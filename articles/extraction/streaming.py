"""Content a streaming server sent late, put where the page's script would put it.

React's streaming server rendering (Next.js and others) sends a placeholder for a part
of the page that is not ready (``<!--$?--><template id="B:0"></template>`` and a
fallback such as "Loading..." up to ``<!--/$-->``), then, after the rest of the page,
the finished part in ``<div hidden id="S:0">`` with a script call ``$RC("B:0","S:0")``
that swaps it in; ``$RS("S:1","P:1")`` puts a finished segment in place of
``<template id="P:1">``. Without the script the story's paragraphs stand hidden after
the footer and the page shows the fallback in their place, so the calls are done here,
in the order the page makes them.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# $RC (complete a boundary) and $RR (the same, with style sheets to load first) name the
# boundary and the segment; $RS names the segment and the placeholder it replaces.
_CALLS = re.compile(r'\$R([CRS])\("([BSP]:[0-9a-f]+)","([BSP]:[0-9a-f]+)"')
# The comments around a boundary: "$" (shown), "$?" (pending), "$!" (failed) open one, "/$" closes it.
_BOUNDARY_MARK = re.compile(r"<!--(/?)\$[?!]?-->")
_STREAMED_IDS = etree.XPath(
    "//*[@id][starts-with(@id,'B:') or starts-with(@id,'S:') or starts-with(@id,'P:')]"
)


def streamed_calls(text: str) -> list[tuple[str, str, str]]:
    """The page's swap calls in order: (kind, first id, second id); none on most pages."""
    if "$R" not in text:
        return []
    return _CALLS.findall(text)


def without_fallbacks(text: str, calls: list[tuple[str, str, str]]) -> str:
    """``text`` less the fallback of each boundary a call completes (the script removes it).

    The fallback lies between the boundary's template and the comment that closes the
    boundary; the parser drops comments, so it is cut from the text before parsing.
    """
    for kind, boundary, _ in calls:
        if kind == "S":
            continue
        template = f'<template id="{boundary}"></template>'
        start = text.find(template)
        if start < 0:
            continue
        start += len(template)
        depth = 0
        for mark in _BOUNDARY_MARK.finditer(text, start):
            if not mark.group(1):
                depth += 1
            elif depth:
                depth -= 1
            else:
                text = text[:start] + text[mark.start() :]
                break
    return text


def swap_streamed(tree: lxml_html.HtmlElement, calls: list[tuple[str, str, str]]) -> None:
    """Put each finished segment in place of its boundary's template or its placeholder."""
    elements = {element.get("id"): element for element in _STREAMED_IDS(tree)}
    for kind, first, second in calls:
        segment, target = (first, second) if kind == "S" else (second, first)
        source, place = elements.get(segment), elements.get(target)
        if source is None or place is None or source.getparent() is None or place.getparent() is None:
            continue
        if any(ancestor is source for ancestor in place.iterancestors()):
            continue
        _replace(place, source)


def _replace(place: lxml_html.HtmlElement, source: lxml_html.HtmlElement) -> None:
    """``place`` replaced by the content of ``source``, which leaves the tree."""
    if source.text:
        before = place.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + source.text
        else:
            parent = place.getparent()
            parent.text = (parent.text or "") + source.text
        source.text = None
    for child in list(source):
        place.addprevious(child)
    place.drop_tree()
    source.drop_tree()
