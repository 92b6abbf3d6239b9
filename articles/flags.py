"""What extraction flagged, in the words an editor reads: what is wrong and where."""

from __future__ import annotations

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


def _quote(text: str) -> str:
    if not text:
        return ""
    text = Truncator(text).chars(160)
    # A quotation already in its marks is shown as it is.
    return text if text[0] in "“\"'‘" else f"“{text}”"
