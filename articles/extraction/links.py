"""Related-story links found on the page, in "related" blocks and under "Read more" headings."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from .html import absolute_url
from .normalize import fold, phrase_key
from .rules import related_rules
from .types import FoundLink

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# A "related" class on the whole page or its main wrapper says nothing about its links.
_TOO_BROAD = frozenset({"html", "body", "main", "article"})
_MAX_LINKS_IN_BLOCK = 100


def related_links(
    tree: lxml_html.HtmlElement, base_url: str | None, page_url: str | None = None
) -> list[FoundLink]:
    """Links to other stories in the page's related blocks, in page order, without repeats."""
    rules = related_rules()
    blocks = []
    # Pages repeat their class names ("menu-item", "card card--small"): each is read once.
    related: dict[str, bool] = {}
    for element in tree.iter(etree.Element):
        tag = element.tag
        marker = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
        if marker and tag not in _TOO_BROAD:
            says = related.get(marker)
            if says is None:
                says = related[marker] = rules.says_related(marker)
            if says:
                blocks.append(element)
                continue
        if tag in _HEADINGS and phrase_key(element.text_content()) in rules.heading_phrases:
            parent = element.getparent()
            if parent is not None and parent.tag not in _TOO_BROAD:
                blocks.append(parent)

    links: list[FoundLink] = []
    seen = {page_url} if page_url else set()
    done: set[lxml_html.HtmlElement] = set()
    for block in blocks:
        if any(ancestor in done for ancestor in block.iterancestors()) or block in done:
            continue
        done.add(block)
        anchors = list(block.iter("a"))
        if len(anchors) > _MAX_LINKS_IN_BLOCK:
            continue
        for anchor in anchors:
            text = fold(anchor.text_content())
            url = absolute_url(anchor.get("href") or "", base_url)
            if not url or not url.startswith(("http://", "https://")) or url in seen:
                continue
            if len(text.split()) < rules.min_link_words:
                continue
            seen.add(url)
            links.append(FoundLink(url=url, text=text))
            if len(links) >= rules.max_links:
                return links
    return links
