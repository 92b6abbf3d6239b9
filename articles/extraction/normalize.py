"""Text normal forms: folded text for output, and the keys rules are compared on."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that scrapes leave in text. ZWJ and ZWNJ are kept: Persian
# and Indic scripts need them. A pattern, not a str.translate table: translate with a
# table walks a long text character by character, the pattern searches it in C.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u180e]")
_SPACE_RUN = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f]\d{3})*(?:\.\d+)?")
_LEADING_BULLETS = re.compile(r"^[\s•·»«›‹>|*~▶►▸◆■□●○✓✔→⇒-]+")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """NFC, invisible characters dropped, every run of whitespace one space, trimmed."""
    if text.isascii():  # already NFC, with no invisible characters; split() is the same \s+
        return " ".join(text.split())
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE_RUN.sub(" ", text).strip()


def light_form(text: str) -> str:
    """The form regular-expression rules see: case folded, numbers as 0, punctuation kept."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text).casefold())
    text = _NUMBER.sub("0", text)
    text = _LEADING_BULLETS.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip()


def phrase_key(text: str) -> str:
    """The form whole-line phrases are compared on: ``light_form`` without punctuation."""
    return light_phrase_key(light_form(text))


def light_phrase_key(light: str) -> str:
    """``phrase_key`` of a text already in its ``light_form``."""
    return _NON_WORD.sub(" ", light.replace("©", " copyright ")).strip()


def word_count(text: str) -> int:
    return len(text.split())
