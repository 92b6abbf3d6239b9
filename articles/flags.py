"""What extraction flagged, in the words an editor reads: what is wrong, where, and its one-click fix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import Truncator


@dataclass(frozen=True)
class FlagNote:
    title: str
    text: str
    paragraph: int | None = None


def flag_note(flag: dict) -> FlagNote:
    """One stored flag (``{"kind", "text", "detail"}``) as an editor reads it."""
    kind, text, detail = flag.get("kind", ""), flag.get("text", ""), flag.get("detail") or {}
    if kind == "repeated_sentence":
        first, again = detail.get("first_paragraph"), detail.get("again_paragraph")
        where = f" (paragraphs {first} and {again})" if first and again else ""
        return FlagNote(f"A sentence appears twice{where}", _quote(text), again)
    if kind == "glued_word":
        parts = detail.get("parts") or []
        fixed = f", probably “{' '.join(parts)}”" if parts else ""
        paragraph = detail.get("paragraph")
        where = f" in paragraph {paragraph}" if paragraph else ""
        return FlagNote(f"Words run together{where}", f"“{text}”{fixed}", paragraph)
    return FlagNote(kind.replace("_", " ").capitalize() or "Flagged", _quote(text))


def flag_fix_label(flag: dict) -> str | None:
    """The one-click fix of a flag, as its button says it, or None when it has none."""
    detail = flag.get("detail") or {}
    if flag.get("kind") == "repeated_sentence" and detail.get("again") and detail.get("again_paragraph"):
        return "Drop the repeated sentence"
    if flag.get("kind") == "glued_word" and detail.get("parts") and detail.get("paragraph"):
        return f"Split into “{' '.join(detail['parts'])}”"
    return None


def flag_fix(body_text: str, flag: dict) -> str | None:
    """``body_text`` with the flag fixed, or None when the text no longer holds what was flagged.

    A repeated sentence is dropped where it is said again (and its paragraph, if nothing else
    is left of it); glued words are split where they were found. Paragraph numbers count from 1.
    """
    if flag_fix_label(flag) is None:
        return None
    detail = flag["detail"]
    paragraphs = [p for p in body_text.split("\n\n") if p.strip()]
    if flag["kind"] == "repeated_sentence":
        number, old, new = detail["again_paragraph"], detail["again"], ""
    else:
        number, old, new = detail["paragraph"], flag["text"], " ".join(detail["parts"])
    if not 1 <= number <= len(paragraphs):
        return None
    paragraph = paragraphs[number - 1]
    pattern = re.escape(old) if flag["kind"] == "repeated_sentence" else rf"\b{re.escape(old)}\b"
    fixed, found = re.subn(pattern, lambda _: new, paragraph, count=1)
    if not found:
        return None
    fixed = re.sub(r"[ \t]{2,}", " ", fixed).strip()
    paragraphs[number - 1 : number] = [fixed] if fixed else []
    return "\n\n".join(paragraphs)


def _quote(text: str) -> str:
    if not text:
        return ""
    text = Truncator(text).chars(160)
    # A quotation already in its marks is shown as it is.
    return text if text[0] in "“\"'‘" else f"“{text}”"
