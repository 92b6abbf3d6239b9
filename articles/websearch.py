"""What a reader typed in the search box, read the way PostgreSQL's ``websearch_to_tsquery`` reads it.

Words are all required; ``"quoted words"`` must stand together, in that order; ``-word`` (or
``-"a phrase"``) must not appear; ``or`` between two terms accepts either. PostgreSQL parses
the same text itself; this reading serves the embedded SQLite, which has no full text, and
bounds what a query may ask for on both. Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A query longer than this is cut: more words only narrow the matches, and each one costs the
# database an index lookup (see docs/search.md).
MAX_QUERY_CHARS = 200
MAX_TERMS = 12

# Letters and digits, as PostgreSQL's parser splits words; an apostrophe or hyphen inside a
# word ("al-Sisi", "Nato's") splits it too.
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word or phrase: its words in order, and whether it must be absent."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class SearchQuery:
    """A query as groups ANDed together; each group is one or more terms ORed."""

    groups: tuple[tuple[Term, ...], ...] = field(default_factory=tuple)
    truncated: bool = False

    def __bool__(self) -> bool:
        return any(not term.negated for group in self.groups for term in group)

    @property
    def words(self) -> tuple[str, ...]:
        """Every word the reader wants to find (not the excluded ones), for highlighting."""
        return tuple(w for group in self.groups for term in group if not term.negated for w in term.words)


def query_text(text: str) -> str:
    """The text a search uses: at most ``MAX_QUERY_CHARS`` characters, no NUL or control characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def search_query_parse(text: str) -> SearchQuery:
    """``text`` as groups of terms. Unbalanced quotes close at the end; an ``or`` with nothing on
    one side, a lone ``-`` and punctuation are ignored, as ``websearch_to_tsquery`` does."""
    groups: list[list[Term]] = []
    pending_or = False
    count = 0
    truncated = len(text) > MAX_QUERY_CHARS
    for match in _TOKEN.finditer(query_text(text)):
        minus, quoted, bare = match.groups()
        if quoted is not None:
            term = Term(tuple(w.lower() for w in _WORD.findall(quoted)), negated=bool(minus))
        elif bare.lower() == "or":
            pending_or = bool(groups)
            continue
        else:
            negated = bare.startswith("-")
            words = tuple(w.lower() for w in _WORD.findall(bare))
            # "al-Sisi" is one term of two words that stand together, as in PostgreSQL.
            term = Term(words, negated=negated)
        if not term.words:
            continue
        if count >= MAX_TERMS:
            truncated = True
            break
        count += 1
        if pending_or and not term.negated:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return SearchQuery(tuple(tuple(g) for g in groups), truncated=truncated)


def websearch_text(query: SearchQuery) -> str:
    """``query`` written back in ``websearch_to_tsquery``'s syntax: what PostgreSQL is asked, so
    both databases search the same (cut, cleaned) terms."""

    def term_text(term: Term) -> str:
        text = " ".join(term.words)
        if term.is_phrase:
            text = f'"{text}"'
        return f"-{text}" if term.negated else text

    return " ".join(" or ".join(term_text(t) for t in group) for group in query.groups)
