"""What the input is: refuse what is not a page, and tell HTML from plain text."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache

from .rules import _data_json, signature_rules
from .types import ExtractionError, NoArticleError

HTML = "html"
TEXT = "text"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SNIFF_WINDOW = 65536
_HTML_START = re.compile(
    r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<(?:!doctype|html))", re.I
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|title|meta|link|script|style|div|span|p|a|br|img|table|tr|td|ul|ol|li|h[1-6]"
    r"|article|section|header|footer|nav|main|aside|figure|iframe|form|input|strong|em|b|i)\b[^<>]{0,2000}>",
    re.I,
)
# A plain-text file with a few tags in it (an inline <b>) is still plain text.
_MIN_TAGS = 3
# Share of control characters above which decoded text is binary data after all;
# a few strays in a short text are only dropped.
_MAX_CONTROL_SHARE = 0.02
_MAX_STRAY_CONTROLS = 16
# Control characters (Unicode Cc) other than tab, line feed and carriage return (and NUL, refused).
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Any character clean_characters would change; most pages hold none, and one search says so.
_UNCLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A few NUL characters in a real page are debris from a broken CMS; more are binary data.
_MAX_STRAY_NULS = 16
_MAX_NUL_SHARE = 0.001
# The element that opens an XML document, after its declaration, doctype, comments and
# processing instructions.
_XML_ROOT = re.compile(
    rb"\s*(?:<\?xml[^>]{0,500}>\s*)?(?:(?:<!--.{0,2000}?-->|<!doctype[^>]{0,2000}>|<\?[^>]{0,500}>)\s*)*"
    rb"<([\w:.-]{1,64})",
    re.IGNORECASE | re.DOTALL,
)
_UTF8_BOM = b"\xef\xbb\xbf"
_OUTCOMES = {"no_article": NoArticleError, "failed": ExtractionError}


@dataclass(frozen=True)
class NonPageRules:
    xml_roots: dict[str, tuple[str, type[ExtractionError]]]
    content_types: tuple[tuple[str, str, type[ExtractionError]], ...]
    followable: frozenset[str] = frozenset()  # the roots and media types of feeds and sitemaps


@cache
def non_page_rules() -> NonPageRules:
    data = _data_json("non_pages.json")
    return NonPageRules(
        xml_roots={
            item["root"].lower(): (item["what"], _OUTCOMES[item["outcome"]]) for item in data["xml_roots"]
        },
        content_types=tuple(
            (item["type"], item["what"], _OUTCOMES[item["outcome"]]) for item in data["content_types"]
        ),
        followable=frozenset(
            item.get("root", item.get("type", "")).lower()
            for item in [*data["xml_roots"], *data["content_types"]]
            if item.get("followable")
        ),
    )


def media_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def refuse_binary(data: bytes, content_type: str = "") -> None:
    """Raise ExtractionError when the bytes or their content type are not a page."""
    rules = signature_rules()
    mime = media_type(content_type)
    if mime and mime.startswith(rules.binary_content_types):
        raise ExtractionError(f"The input is {mime}, not a web page or text.")
    head = data[:1024]
    has_nul = b"\x00" in head
    for signature in rules.signatures:
        if signature.needs_nul and not has_nul:
            continue
        if head[signature.offset : signature.offset + len(signature.magic)] == signature.magic:
            raise ExtractionError(f"The input is {signature.what}, not a web page or text.")
    refuse_other_documents(data, mime)


def refuse_other_documents(data: bytes, mime: str = "") -> None:
    """Raise for text that is a document of another kind: a feed or sitemap (NoArticleError: it
    lists articles but is none), JSON, an SVG image, a style sheet (ExtractionError)."""
    rules = non_page_rules()
    for prefix, what, error in rules.content_types:
        if mime.startswith(prefix):
            raise error(f"The input is {what} ({mime}), not a web page.")
    body = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    match = _XML_ROOT.match(body, 0, 8192)
    if match:
        root = match.group(1).decode("ascii", "replace").lower()
        if root in rules.xml_roots:
            what, error = rules.xml_roots[root]
            raise error(f"The input is {what}, not a web page.")
    if body.lstrip()[:1] in (b"{", b"[") and _is_json(body):
        raise ExtractionError("The input is JSON data, not a web page.")


def followable_kind(data: bytes, content_type: str = "") -> str | None:
    """What feed or sitemap the bytes are ("an RSS feed", "a sitemap index"), or None for anything else.

    These list stories rather than being one: they are followed as a source, not ingested.
    """
    rules = non_page_rules()
    body = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    match = _XML_ROOT.match(body, 0, 8192)
    if match:
        root = match.group(1).decode("ascii", "replace").lower()
        if root in rules.followable:
            return rules.xml_roots[root][0]
        return None
    mime = media_type(content_type)
    for prefix, what, _ in rules.content_types:
        if prefix in rules.followable and mime.startswith(prefix):
            return what
    return None


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


def clean_characters(text: str) -> str:
    """Text without control characters and lone surrogates; refuse it if it is mostly those.

    Lone surrogates cannot be encoded and control characters are not allowed in
    HTML or XML, so either would break the parsers downstream. A few stray NUL
    characters are dropped too; many mean binary data.
    """
    if _UNCLEAN.search(text) is None:
        return text
    if "\x00" in text:
        nuls = text.count("\x00")
        if nuls > _MAX_STRAY_NULS or nuls > _MAX_NUL_SHARE * len(text):
            raise ExtractionError("The input contains NUL characters: it is binary data, not a page.")
        text = text.replace("\x00", "")
    text = _SURROGATE.sub("\ufffd", text)
    # Vertical tabs and form feeds separate lines in old text dumps; XML forbids them.
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    text, controls = _CONTROL.subn("", text)
    if controls > _MAX_STRAY_CONTROLS and controls > _MAX_CONTROL_SHARE * (len(text) + controls):
        raise ExtractionError("The input is full of control characters: it is binary data, not a page.")
    return text


def content_kind(text: str, content_type: str = "") -> str:
    """HTML or TEXT, from the content type when it says, else from the markup itself."""
    mime = media_type(content_type)
    head = text[:_SNIFF_WINDOW]
    if mime in _HTML_TYPES:
        return HTML
    if _HTML_START.match(head):
        # Servers label pages text/plain often enough; a document that opens as HTML is HTML.
        return HTML
    if mime == "text/plain":
        return TEXT
    tags = _HTML_TAG.finditer(head)
    return HTML if sum(1 for _ in itertools.islice(tags, _MIN_TAGS)) >= _MIN_TAGS else TEXT
