"""What the input is: refuse what is not a page, and tell HTML from plain text."""

from __future__ import annotations

import itertools
import re

from .rules import signature_rules
from .types import ExtractionError

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


def clean_characters(text: str) -> str:
    """Text without control characters and lone surrogates; refuse it if it is mostly those.

    Lone surrogates cannot be encoded and control characters are not allowed in
    HTML or XML, so either would break the parsers downstream.
    """
    if "\x00" in text:
        raise ExtractionError("The input contains NUL characters: it is binary data, not a page.")
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
