"""Bylines and credit lines: "By Jane Doe and John Roe, Reuters" into people and a credited source."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache

from .blocks import PARAGRAPH, Block
from .normalize import fold
from .rules import _data_json, agencies, agency_index, agency_key

# A byline is a line; anything longer is prose that happens to mention someone.
MAX_BYLINE_CHARS = 200
MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 6
# Lower-case words a byline may hold besides its prefixes, conjunctions, particles and roles.
MAX_PROSE_WORDS = 2
# Credit lines are short too: "(Reuters)", "— AFP", "Source: Kuwait News Agency".
MAX_CREDIT_LINE_CHARS = 80
# Agency acronyms this short ("AP", "AA", "dpa") are only taken as written, so that "Aa"
# (a font-size button) or "Ana" (a first name) is no agency.
_MAX_CASE_FREE_CHARS = 4
_CREDIT = r"(?P<credit>[^()\d]{2,60}?)"
_CREDIT2 = r"(?P<credit2>[^()\d]{2,60}?)"
_JOINT_CREDIT = re.compile(r"\s*(?:/|,|&|\+|\band\b)\s*")
# Parts of a byline: separators that never occur inside a name.
_PART_SEPARATORS = re.compile(r"\s*(?:[|;•·/\n]|\s[-–—―]\s|,)\s*")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[^\W\d_]+")
_URLISH = re.compile(r"://|www\.|@|\.(?:com|org|net)\b|_", re.IGNORECASE)
_EDGE_PUNCTUATION = " \t:,;.-–—|·•"


@dataclass
class Byline:
    """The people a byline names and the organisations it credits, each in order, without repeats."""

    authors: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    def add_author(self, name: str) -> None:
        if name.casefold() not in {a.casefold() for a in self.authors}:
            self.authors.append(name)

    def add_credit(self, name: str) -> None:
        if agency_key(name) and agency_key(name) not in {agency_key(c) for c in self.credits}:
            self.credits.append(name)

    def merge(self, other: Byline) -> None:
        for author in other.authors:
            self.add_author(author)
        for credit in other.credits:
            self.add_credit(credit)


@dataclass(frozen=True)
class CreditLine:
    """A credit stated as a line or at the end of one.

    ``credit`` is the text credited ("Agence France-Presse"), ``agency`` the known agency
    it names ("AFP"), ``line`` the credit as it stood ("— AFP") and ``rest`` the text that
    stood before it on the same line ("" for a line of its own).
    """

    credit: str
    agency: str
    line: str = ""
    rest: str = ""


@dataclass(frozen=True)
class _BylineRules:
    prefixes: re.Pattern[str]
    skip_prefixes: re.Pattern[str]
    conjunctions: re.Pattern[str]
    roles: frozenset[str]
    byline_words: frozenset[str]
    organisation_words: frozenset[str]
    particles: frozenset[str]
    credentials: frozenset[str]


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@cache
def _rules() -> _BylineRules:
    data = _data_json("metadata.json")
    return _BylineRules(
        prefixes=re.compile(rf"^(?:{_alternation(data['byline_prefixes'])})\b\s*:?\s*", re.IGNORECASE),
        skip_prefixes=re.compile(rf"^(?:{_alternation(data['byline_skip_prefixes'])})\b", re.IGNORECASE),
        conjunctions=re.compile(rf"\s+(?:{_alternation(data['byline_conjunctions'])})\s+", re.IGNORECASE),
        roles=frozenset(r.casefold() for r in data["byline_roles"]),
        byline_words=frozenset(
            word.casefold()
            for name in ("byline_prefixes", "byline_conjunctions", "byline_roles", "name_particles")
            for phrase in data[name]
            for word in phrase.split()
        ),
        organisation_words=frozenset(w.casefold() for w in data["organisation_words"]),
        particles=frozenset(p.casefold() for p in data["name_particles"]),
        credentials=frozenset(c.casefold() for c in data["name_credentials"]),
    )


@cache
def _credit_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    data = _data_json("metadata.json")
    whole = tuple(re.compile(line.replace("{credit}", _CREDIT)) for line in data["credit_lines"])
    trailing = data["trailing_credit"].replace("{credit}", _CREDIT).replace("{credit2}", _CREDIT2)
    return whole, re.compile(trailing, re.DOTALL)


@cache
def _exact_names() -> dict[str, str]:
    """Every agency name and alias as written, for the short ones that must match exactly."""
    return {
        name: agency.name
        for agency in agencies()
        for name in (agency.name, agency.full_name, *agency.aliases)
    }


def known_agency(text: str) -> str | None:
    """The canonical name of the agency ``text`` names, if it is in the agency list.

    A joint credit ("AFP/Reuters", "AP and Reuters") names the first of its agencies,
    but only when every part of it is one: "Staff and doctors" names none.
    """
    text = fold(text).strip(_EDGE_PUNCTUATION)
    if not text or len(text) > MAX_CREDIT_LINE_CHARS:
        return None
    found = _agency(text)
    if found is not None:
        return found
    parts = [part for part in _JOINT_CREDIT.split(text) if part]
    if len(parts) > 1:
        names = [_agency(part) for part in parts]
        if all(names):
            return names[0]
    return None


def _agency(text: str) -> str | None:
    found = agency_index().get(agency_key(text))
    if found is None:
        return None
    if len(text) <= _MAX_CASE_FREE_CHARS:
        return _exact_names().get(text)
    return found.name


def is_generic_agency(name: str) -> bool:
    found = agency_index().get(agency_key(name))
    return bool(found and found.generic)


def parse_byline(text: str, site_name: str | None = None, *, labelled: bool = False) -> Byline:
    """The people and credited organisations of a byline as pages print it or meta tags state it.

    "By Jane Doe, Reuters" names Jane Doe and credits Reuters; "Jane Doe and John Roe"
    names two people; roles ("Senior Correspondent"), credentials, dates, photo credits
    and the site's own name are left out. Known agencies are credits, never people.
    A name of one word ("Zach") counts only in a ``labelled`` byline, one the page marks
    as its author (a meta tag, an itemprop); printed text has too many one-word labels.
    """
    byline = Byline()
    text = fold(text)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return byline
    if site_name and agency_key(text) == agency_key(site_name):
        return byline
    if _prose_words(text) > MAX_PROSE_WORDS:
        # "Dan is the Security Editor at Ars Technica, which he joined after working for the
        # Associated Press": an author's biography, not a byline.
        return byline
    text = _PARENTHESES.sub(_bracket, text)
    for part in _PART_SEPARATORS.split(text):
        if _rules().skip_prefixes.match(part.strip(_EDGE_PUNCTUATION)):
            # "Photo: Jane Doe/AFP" credits the picture, to the end of the line.
            break
        part = _strip_prefix(part)
        if not part:
            continue
        if known_agency(part) or _looks_like_organisation(part):
            byline.add_credit(part)
            continue
        for piece in _rules().conjunctions.split(part):
            _add_piece(byline, _strip_prefix(piece), site_name, labelled)
    return byline


def _bracket(match: re.Match[str]) -> str:
    """A bracket in a byline: a credit ("(AFP)") or co-authors ("(avec Damien Leloup et Morgane Tual)")
    become a part of their own; anything else ("Bruno (Henrique Zecchin) Rodrigues") is a nickname or
    an aside, and goes."""
    inner = match.group(1).strip()
    if known_agency(inner) or _rules().prefixes.match(inner):
        return f" | {inner} | "
    return " "


def person_name(text: str, site_name: str | None = None) -> str | None:
    """``text`` as a person's name as a typed source states it, or None when it is no name at all.

    Lenient: for names a page labels as a person (JSON-LD Person, microdata name). A URL,
    a user name ("q_admin"), an agency or the site's own name is not one.
    """
    name = _tidy_name(_strip_prefix(fold(text)))
    if not name or len(name) > MAX_NAME_CHARS or _URLISH.search(name):
        return None
    if site_name and agency_key(name) == agency_key(site_name):
        return None
    if known_agency(name) or not any(_capitalised(word) for word in name.split()):
        return None
    return name


def credit_line(text: str, *, bare: bool = False) -> CreditLine | None:
    """The agency a whole line credits: "(Reuters)", "— AFP", "Source: KUNA", "© AFP 2015".

    With ``bare``, a line that is only an agency's name ("AFP") counts too: true at the
    end of an article's text, not of any paragraph on a page (a menu item "Agencies").
    """
    text = fold(text)
    if not text or len(text) > MAX_CREDIT_LINE_CHARS:
        return None
    whole, _ = _credit_patterns()
    for pattern in whole:
        match = pattern.fullmatch(text)
        if match:
            agency = known_agency(match["credit"])
            if agency:
                return CreditLine(credit=fold(match["credit"]), agency=agency, line=text)
    if bare and (agency := known_agency(text)):
        return CreditLine(credit=text.strip(_EDGE_PUNCTUATION), agency=agency, line=text)
    return None


def trailing_credit(text: str) -> CreditLine | None:
    """A credit that ends a paragraph ("... the minister said. — AFP"), with the text before it."""
    text = fold(text)
    _, trailing = _credit_patterns()
    tail = text[-(MAX_CREDIT_LINE_CHARS + 2000) :]
    match = trailing.fullmatch(tail) if tail else None
    if match is None:
        return None
    credit = match["credit"] or match["credit2"]
    agency = known_agency(credit)
    if not agency:
        return None
    rest = text[: len(text) - len(tail)] + match["rest"]
    return CreditLine(
        credit=fold(credit), agency=agency, line=tail[match.end("rest") :].strip(), rest=fold(rest)
    )


def take_credit_line(blocks: list[Block], *, trim: bool = True) -> CreditLine | None:
    """Split a credit off the end of an article's text (in place), and return it.

    A last paragraph that is only a credit ("(Reuters)", "— AFP", "AFP") goes whole; a
    last paragraph that ends with one ("... the minister said. — AFP") loses that end,
    unless ``trim`` is false: a plain-text page keeps its paragraphs as printed. Only
    known agencies count, so a closing "— John" stays. ``line`` of the result is the
    text taken out.
    """
    index = len(blocks) - 1
    if index < 0 or blocks[index].kind != PARAGRAPH:
        return None
    last = blocks[index]
    line = credit_line(last.text, bare=True)
    if line is not None:
        del blocks[index]
        return line
    line = trailing_credit(last.text)
    if line is not None and line.rest:
        if not trim:
            return dataclasses.replace(line, line="", rest=last.text)
        blocks[index] = last.with_text(line.rest)
        return line
    return None


def _add_piece(byline: Byline, piece: str, site_name: str | None, labelled: bool) -> None:
    if not piece:
        return
    if known_agency(piece) or _looks_like_organisation(piece):
        byline.add_credit(piece)
        return
    name = _tidy_name(piece)
    if (
        name
        and _looks_like_name(name, min_words=1 if labelled else 2)
        and not (site_name and agency_key(name) == agency_key(site_name))
    ):
        byline.add_author(name)


def _strip_prefix(text: str) -> str:
    text = text.strip(_EDGE_PUNCTUATION)
    previous = None
    while previous != text:
        previous = text
        text = _rules().prefixes.sub("", text, count=1).strip(_EDGE_PUNCTUATION)
    return text


def _prose_words(text: str) -> int:
    byline_words = _rules().byline_words
    return sum(1 for word in _WORD.findall(text) if word.islower() and word not in byline_words)


def _tidy_name(name: str) -> str:
    name = fold(name).strip(_EDGE_PUNCTUATION)
    words = name.split()
    # "Jeffrey A. Slotnick CPP", "Brenda Goodman MA": the credentials are not the name.
    while len(words) > 2 and words[-1].casefold().strip(",") in _rules().credentials:
        words.pop()
    name = " ".join(words).strip(_EDGE_PUNCTUATION)
    if name.isupper() and sum(ch.isalpha() for ch in name) > 3:
        # "JANE DOE" as some CMSs print it; particles stay lower case ("Ludwig van Beethoven").
        particles = _rules().particles
        name = " ".join(
            word.lower() if i and word.lower() in particles else word.capitalize()
            for i, word in enumerate(name.split())
        )
    return name


def _looks_like_organisation(text: str) -> bool:
    words = text.split()
    if not 1 < len(words) <= MAX_NAME_WORDS or _has_digit(text) or _URLISH.search(text):
        return False
    rules = _rules()
    folded = [word.casefold() for word in words]
    if any(word in rules.roles for word in folded):
        return False
    if not all(
        _capitalised(word) for word, low in zip(words, folded, strict=True) if low not in {"of", "and", "&"}
    ):
        return False
    return folded[0] == "the" or any(word in rules.organisation_words for word in folded)


def _looks_like_name(name: str, min_words: int = 2) -> bool:
    """A few capitalised words (or words of a script without case), no digits, roles or links."""
    if len(name) > MAX_NAME_CHARS or _has_digit(name) or _URLISH.search(name):
        return False
    words = name.split()
    if not min_words <= len(words) <= MAX_NAME_WORDS:
        return False
    rules = _rules()
    folded = [word.casefold() for word in words]
    if (
        any(word in rules.roles or word in rules.credentials for word in folded)
        or name.casefold() in rules.roles
    ):
        return False
    return all(_capitalised(word) or low in rules.particles for word, low in zip(words, folded, strict=True))


def _has_digit(text: str) -> bool:
    # Not only 0-9: "²" and other digit characters are no part of a name either.
    return any(ch.isdigit() for ch in text)


def _capitalised(word: str) -> bool:
    first = next((ch for ch in word if ch.isalpha()), "")
    # Arabic, Chinese and other scripts have no case: any letter will do.
    return bool(first) and (first.isupper() or first.lower() == first.upper())
