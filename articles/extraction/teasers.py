"""Blocks that point elsewhere: teasers for other stories, and breadcrumb trails.

A teaser is a headline link with a line of the other story cut off by an ellipsis
("... the county said the road would stay closed until…"), often with a "Read more"
link; a trail is a row of links with arrows or slashes between them ("Home › News ›
Local"). Neither is the story's text, however the page's markup placed it, and both
are told from the links a block holds, not from its words alone: stories quote people
who trail off too.
"""

from __future__ import annotations

import re
from html import unescape

from .blocks import HEADING_KINDS, IMAGE, LIST_ITEM, PARAGRAPH, Block
from .cleanup import Removal
from .normalize import word_count

_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
_TAG = re.compile(r"<[^>]+>")
# An excerpt cut short: an ellipsis at the end, bare or in brackets ("[…]", "[...]").
CUT_OFF = re.compile(r"(?:\.\.\.|…)\s*\]?\s*$")
# What stands between the links of a breadcrumb trail: its arrows or slashes, nothing else
# ("A | B" and "A · B" are as often a credit line or a pair of shop links).
_SEPARATOR = re.compile(r"\s*[»›>/→]\s*")
_SPACE = re.compile(r"\s*")
# A trail's links are section names or short titles, and the trail a line, not prose.
MAX_TRAIL_LINK_WORDS = 8
MAX_TRAIL_WORDS = 30
MAX_TRAIL_TITLE_WORDS = 16
MIN_TRAIL_SEPARATORS = 2
# A headline link has a few words; "More" or "Read more" alone is not a headline.
MIN_HEADLINE_WORDS = 3
# A "Read more" or "Continue reading" link after a teaser is this short.
MAX_MORE_LINK_WORDS = 4


def link_pieces(block: Block) -> tuple[list[str], list[str]]:
    """The texts of a block's links, and the texts between them (one more than the links)."""
    if not block.html:
        return [], [block.text]
    links: list[str] = []
    between: list[str] = []
    end = 0
    for match in _ANCHOR.finditer(block.html):
        between.append(_plain(block.html[end : match.start()]))
        links.append(_plain(match.group(1)))
        end = match.end()
    between.append(_plain(block.html[end:]))
    return links, between


def is_link_only(block: Block) -> bool:
    """Whether all of a block's words are link text."""
    links, between = link_pieces(block)
    return bool(links) and not any(any(char.isalnum() for char in text) for text in between)


def is_trail(block: Block) -> bool:
    """Whether a block is a breadcrumb trail: links with arrows or slashes between them ("Home › News").

    The trail may end with the current page's title after one more separator; it has two
    separators at least, so "Sleeping bag / quilt" is no trail.
    """
    if word_count(block.text) > MAX_TRAIL_WORDS:
        return False
    links, between = link_pieces(block)
    if len(links) < 2 or any(word_count(link) > MAX_TRAIL_LINK_WORDS for link in links):
        return False
    if not _SPACE.fullmatch(between[0]) or not all(_SEPARATOR.fullmatch(text) for text in between[1:-1]):
        return False
    last = between[-1]
    if _SPACE.fullmatch(last):
        return len(links) >= MIN_TRAIL_SEPARATORS + 1
    # "Home › News › Today's story": a title after a separator; nothing else may follow.
    title = _SEPARATOR.match(last)
    return title is not None and word_count(last[title.end() :]) <= MAX_TRAIL_TITLE_WORDS


def is_cut_excerpt(block: Block) -> bool:
    """Whether a block's own text ends in an ellipsis, before any links that close it ("… Read more")."""
    return CUT_OFF.search(_before_closing_links(block)) is not None


def _before_closing_links(block: Block) -> str:
    links, between = link_pieces(block)
    pieces = [between[0]]
    for link, text in zip(links, between[1:], strict=True):
        pieces += [link, text]
    # Pieces alternate text, link, text, ...: drop the links (and separators) at the end.
    end = len(pieces)
    while end > 1 and (end % 2 == 0 or not any(char.isalnum() for char in pieces[end - 1])):
        end -= 1
    own = "".join(pieces[:end])
    return own if own.strip() else block.text


def drop_teasers(blocks: list[Block]) -> Removal:
    """Remove teasers (a headline link, a cut-off excerpt, a "Read more" link) and breadcrumb trails.

    An excerpt counts as a teaser's when a headline link stands right before it. One that a
    link merely closes ("[…] Read the full review") may be a quotation the story cites.
    """
    drop = [is_trail(block) for block in blocks]
    for index, block in enumerate(blocks):
        if drop[index] or block.kind == IMAGE or not is_cut_excerpt(block):
            continue
        before = index - 1
        if before < 0 or not _is_headline_link(blocks[before]):
            continue
        drop[before] = drop[index] = True
        after = index + 1
        if (
            after < len(blocks)
            and is_link_only(blocks[after])
            and word_count(blocks[after].text) <= MAX_MORE_LINK_WORDS
        ):
            drop[after] = True
    result = Removal(kept=[])
    for block, gone in zip(blocks, drop, strict=True):
        (result.removed if gone else result.kept).append(block)
    return result


def _is_headline_link(block: Block) -> bool:
    return (
        block.kind in (*HEADING_KINDS, PARAGRAPH, LIST_ITEM)
        and word_count(block.text) >= MIN_HEADLINE_WORDS
        and is_link_only(block)
    )


def _plain(html: str) -> str:
    return unescape(_TAG.sub("", html))
