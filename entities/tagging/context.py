"""What the words around a name say it names: "residents of Kariega" (a place), "the manufacturer
Alstom" (an organisation), "Cleusa Marques, 58," (a person).

The small model reads unfamiliar names (towns, firms, people from outside its training news) by
their letters and often gets the type wrong; the words next to a name are a better guide. The
word lists are data (``data/context_words.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .rules import NameRules, data_json, name_rules
from .text import word_starts
from .types import ORGANIZATION, PERSON, PLACE

_GAP = r"[^\S\n]+"
_NAME_WORD = r"[A-Z][\w'’&.-]*"
_WORD_AFTER = re.compile(rf"{_GAP}([a-z][\w-]*)")
# "Cleusa Marques, 58, who ...", "Rohit Kumar Mandal (24) and ..."
_AGE = re.compile(r",[^\S\n]*\d{1,3}[^\S\n]*,|[^\S\n]+\(\d{1,3}\)")
# Who speaks after a quotation: '... heavier," [Chow] said.'
_QUOTE_BEFORE = re.compile(r"[,.?!][\"”’'][^\S\n]+$")
_SPEAKS = re.compile(rf"{_GAP}(?:said|says|added|told|asked|explained|warned)\b")
_RESIDENCE = re.compile(r",[^\S\n]*\d{1,3}[^\S\n]*,[^\S\n]+of[^\S\n]+$")  # "Baines, 19, of Moraine"
_WHO = re.compile(r",[^\S\n]+who\b")
# An appositive: ", a former world junior medallist," / ", the capital of North Darfur".
# After an article, up to three capitalised words may name whose it is: ", an SIU spokesperson",
# ", the Bank of Japan governor".
_APPOSITIVE = re.compile(
    r",[^\S\n]+(?:(?:a|an|the)[^\S\n]+(?:[A-Z][\w&'’.-]*[^\S\n]+(?:(?:of|for|and)[^\S\n]+)?){0,3})?"
    r"((?:[a-z0-9][\w'’-]*[^\S\n]+){0,5}[a-z][\w'’-]*)"
)
_ARTICLE_AFTER_COMMA = re.compile(r",[^\S\n]+(?:a|an|the)[^\S\n]")
_APPOSITIVE_END = frozenset(
    {"of", "at", "in", "for", "on", "with", "from", "who", "which", "that", "and", "to", "by"}
)
_ROLE_PREPOSITIONS = frozenset({"at", "of", "for", "with"})
_HOLDINGS = frozenset({"stake", "stakes", "shares", "shareholding", "shareholdings"})
# A market's listing and a company's deal: "listed on the Nasdaq", "a deal with Sinopec".
_DEALINGS = frozenset(
    {("listed", "on"), ("listing", "on")}
    | {(deal, "with") for deal in ("deal", "deals", "partnership", "venture", "merger", "contract")}
)
_BASED = "-based"
# "Karoo chief executive", "Castellan's shares", "Micron's headquarters": a company's, before these.
_ORG_AFTER = re.compile(
    rf"(?:['’]s)?{_GAP}(?:chief{_GAP}executive|CEO)\b|['’]s{_GAP}(?:shares|headquarters)\b"
)
# "the Santa Clara, California-based company": a place before its region's "-based".
_PLACE_THEN_BASED = re.compile(rf",{_GAP}[A-Z][\w'’.]*(?:{_GAP}[A-Z][\w'’.]*){{0,2}}-based\b")
_OPENS = re.compile(r"(?:\n|[.!?:][\"'”’]?[^\S\n]+)$")
_CUE_OPENING = re.compile(rf"([A-Z][a-z]+){_GAP}(?:of|for|at|in){_GAP}(?:the{_GAP})?(?=[A-Z])")
_ALONE = re.compile(
    r"(?:[.,;:)!?\"”’]|['’]s\b|$|[^\S\n]+(?:on|at|in|and|or|where|which|who|to|for|from|as|after|before|"
    r"since|with|near|by|was|were|is|are|has|have|had|last|this|next|over|until|during)\b)"
)
# Who a story's figures or words come from, when the model read no person there.
_SOURCE_BEFORE = re.compile(
    rf"\b(?:told|[Aa]ccording{_GAP}to(?:{_GAP}(?:a|an|the))?|compiled{_GAP}by|data{_GAP}from|estimates{_GAP}by|"
    rf"(?:a|the){_GAP}(?:report|survey|review|study|poll){_GAP}by){_GAP}$"
)
_SENTENCE_STOP = re.compile(r"(?<=[a-z]{3})\.[^\S\n]+(?=[A-Z])")
_ROLE_THEN_NAME = re.compile(rf"\b([a-z][\w-]*),{_GAP}$")
# A role with its complement before the comma: "the general coordinator of the universities, [name],",
# "The Chief Minister of Kerala, [name],".
_ROLE_OF = re.compile(rf"\b([A-Za-z][\w-]*){_GAP}(?:of|for|at){_GAP}")
_ROLE_COMPLEMENT = re.compile(rf"[^,.;:\"“”\n]{{1,40}},{_GAP}$")
_NAME_SET_OFF = re.compile(rf",|{_GAP}(?:said|says|told|added)\b")
# A body named by its function alone, capitalised after "the": "the Commission said", "the Cabinet
# approved", "the Corporation promised" (lower case, "the commission", it is no name).
_BODIES = (
    "Commission|Council|Cabinet|Parliament|Senate|Congress|Assembly|Corporation|Ministry|Government|"
    "Judiciary|Legislature|Garda|Bundestag|Knesset|Duma"
)
_THE_BODY = re.compile(rf"\b[Tt]he[^\S\n]+({_BODIES})\b(?![^\S\n]+(?:[A-Z]|of\b|for\b|on\b))(?!-\w)")
_BODY = frozenset(_BODIES.split("|"))
# "counties such as Kildare and Meath", "the worst-hit areas were Talamban, Mabolo and Kamputhaw",
# "three towns, including Iwanai and Kyowa": a list of names after a plural of places.
_LIST_ITEM = rf"[A-Z][\w'’-]*(?:{_GAP}[A-Z][\w'’-]*){{0,2}}"
_PLACE_LIST = re.compile(
    r"\b(?:towns|villages|counties|districts|provinces|areas|cities|regions|communities|municipalities|"
    r"neighbourhoods|neighborhoods|suburbs|islands|states|townships|boroughs|parishes|localities|"
    r"hamlets|settlements|barangays|wards|prefectures)"
    rf",?{_GAP}(?:such{_GAP}as|including|like|namely|were|are){_GAP}(?:the{_GAP})?"
    rf"({_LIST_ITEM}(?:,{_GAP}{_LIST_ITEM})*,?{_GAP}and{_GAP}{_LIST_ITEM})"
)


@dataclass(frozen=True)
class ContextWords:
    """The word lists of ``data/context_words.json`` (see its ``_about``), and the patterns built of them."""

    place_prepositions: frozenset[str]
    place_at: frozenset[str]
    place_for: frozenset[str]
    not_after_in: frozenset[str]
    place_of: frozenset[str]
    place_after: frozenset[str]
    months: frozenset[str]  # "in March" names no place
    org_after: frozenset[str]
    org_before: frozenset[str]
    people: frozenset[str]
    places: frozenset[str]
    org_roles: frozenset[str]  # one or two words, before "at", "of", "for" or "with" and a name
    leads: frozenset[str]  # org_roles and place_of: the cue words that may open a sentence
    names: re.Pattern[str]  # capitalised words, with connectors and name particles between them


@cache
def context_words() -> ContextWords:
    data = data_json("context_words.json")
    return ContextWords(
        place_prepositions=frozenset(data["place_prepositions"]),
        place_at=frozenset(data["place_at"]),
        place_for=frozenset(data["place_for"]),
        not_after_in=frozenset(data["not_after_in"]),
        place_of=frozenset(data["place_of"]),
        place_after=frozenset(data["place_after"]),
        org_after=frozenset(data["org_after"]),
        months=frozenset(data["months"]),
        org_before=frozenset(data["org_before"]),
        people=frozenset(data["people"]),
        places=frozenset(data["places"]),
        org_roles=frozenset(data["org_roles"]),
        leads=frozenset(data["org_roles"]) | frozenset(data["place_of"]),
        names=re.compile(_names_pattern()),
    )


def _alternatives(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _GAP) for w in sorted(words, key=len, reverse=True))


def _names_pattern() -> str:
    # "and" would join two names of a list ("the town of Adra and the Orrin district"); names that
    # hold one ("Mull and Iona Ferry Committee") end in a head, which shapes.py reads.
    rules = name_rules()
    inner = _alternatives((rules.org_connectors | rules.particles) - {"and"})
    return rf"{_NAME_WORD}(?:{_GAP}(?:(?:{inner}){_GAP})*{_NAME_WORD}){{0,4}}"


def context_type(text: str, start: int, end: int, rules: NameRules | None = None) -> str | None:
    """The type the words just around ``text[start:end]`` give a name there, or None when they say nothing.

    A person's age or "who" after the name, or an appositive headed by a person noun or a title, make
    a person; an appositive headed by an organisation noun, such a noun just before the name, or a
    role before "at", "of", "for" ("an analyst at ...") make an organisation; a place appositive, a
    place preposition ("in", "near", "across"), "the town of" or a place noun after it
    ("... district", "... police") make a place. The first cue in that order wins.
    """
    rules = rules or name_rules()
    if text[start:end] in _BODY:  # "clashed in Parliament": the body, not the building
        return ORGANIZATION
    words = context_words()
    after = text[end : end + 80]
    before = text[max(0, start - 60) : start]
    if _AGE.match(after) or _WHO.match(after) or (_QUOTE_BEFORE.search(before) and _SPEAKS.match(after)):
        return PERSON
    if _PLACE_THEN_BASED.match(after):  # "Shares of the [Santa Clara], California-based company"
        return PLACE
    if appositive := _appositive_type(after, words, rules):
        return appositive
    if _org_before(before, words):
        return ORGANIZATION
    name = text[start:end].split()
    if len(name) > 1 and rules.heads.keys().isdisjoint(name) and _role_before(before, after, words, rules):
        return PERSON  # "Its chairman, Ruaraidh MacLeod, said"; not "Its largest shareholder, Norges Bank"
    if _org_after(after, words):
        return ORGANIZATION
    if _place_after(after, words):
        return PLACE
    # "inside [Mikkel Glover]'s left-hand post": before a possessive, the preposition is the thing's.
    if _place_before(before, words) and not _possessive(text, end):
        return PLACE
    return None


def cued_names(text: str, rules: NameRules | None = None) -> list[tuple[int, int, str]]:
    """Capitalised names the model may have missed, typed by the words before or after them:
    "the state logistics company [Transnet]", "an analyst at [ATB Capital]", "the town of [Adre]",
    "the [Zindajan] district", "[Le Minh Tuan], vice chairman of ..." (two words or more)."""
    rules = rules or name_rules()
    words = context_words()
    found = []
    for body in _THE_BODY.finditer(text):
        found.append((*body.span(1), ORGANIZATION))
    for name in words.names.finditer(text):
        start, end = _name_span(text, *name.span())
        # "told The Standard": a capital "The" inside a sentence opens a newspaper's name.
        the = (
            start
            if text.startswith("The ", start) and start and not _OPENS.search(text, max(0, start - 3), start)
            else None
        )
        while (space := text.find(" ", start, end)) > 0 and text[start:space] in rules.not_names:
            start = space + 1  # "A CalMac spokesman": the name starts after "A"
        if (lead := _CUE_OPENING.match(text, start, end)) and lead.group(1).lower() in words.leads:
            start = lead.end()  # "Shares of Tenaga rose", "Residents of Molo": the cue opens the sentence
        if text.endswith(_BASED, start, end) and end - len(_BASED) > start:  # "the Dhahran-based company"
            found.append((start, end - len(_BASED), PLACE))
            continue
        if end <= start or text[start:end].split()[0] in rules.not_names or rules.titles.match(text, start):
            continue  # "The ...", "Chief Executive John Smith"
        before, after = text[max(0, start - 40) : start], text[end : end + 80]
        paper = the if the is not None and the + len("The ") == start else start  # "told [The Hindu]."
        if _org_before(before, words):
            found.append((start, end, ORGANIZATION))
        elif " " in text[start:end] and _role_before(before, after, words, rules):
            found.append((start, end, PERSON))  # "Its regional director, Tamer Ramadan, told ..."
        elif (source := _SOURCE_BEFORE.search(text[max(0, paper - 40) : paper])) and (
            _ALONE.match(after) or source.group().endswith(("a ", "an "))
        ):
            found.append((paper, end, ORGANIZATION))  # "told Handelsblatt.", "according to a Caixin review"
        elif _org_after(after, words) and not _capital_says_nothing(text, start, end):
            found.append((start, end, ORGANIZATION))  # "A CalMac spokesman", "Tigres coach Guido Pizarro"
        elif (
            _place_of(before, words)
            or _place_after(after, words)
            or _unread_place(text, start, end, before, after, words)
        ):
            found.append((start, end, PLACE))
        elif " " in text[start:end] and _person_after(after, words, rules):
            found.append((start, end, PERSON))  # "Olumide Adeyemi, a spokesman for ..."
    return found


def follows_place_word(text: str, start: int) -> bool:
    """True when the words just before ``start`` read the name there as a place: "in", "near", "the
    reactor at", "the town of"."""
    return _place_before(text[max(0, start - 40) : start], context_words())


def listed_places(text: str, rules: NameRules | None = None) -> list[tuple[int, int]]:
    """The names listed after a plural of places ("counties such as Kildare and Meath"): places."""
    rules = rules or name_rules()
    found = []
    for listing in _PLACE_LIST.finditer(text):
        for item in re.finditer(_LIST_ITEM, listing.group(1)):
            if item.group().split()[0] not in rules.not_names:
                found.append((listing.start(1) + item.start(), listing.start(1) + item.end()))
    return found


def _name_span(text: str, start: int, end: int) -> tuple[int, int]:
    # "told Handelsblatt. According to ...": two sentences, not one name.
    if stop := _SENTENCE_STOP.search(text, start, end):
        end = stop.start() + 1
    if text.endswith(("'s", "’s"), start, end):  # "Huxin's shares": the name ends before the "'s"
        end -= 2
    while end > start and text[end - 1] in ".'’":  # a sentence's full stop, a possessive's apostrophe
        end -= 1
    return start, end


def _role_before(before: str, after: str, words: ContextWords, rules: NameRules) -> bool:
    """True for a name set off after a person's role: "its regional director, [Tamer Ramadan],"."""
    if not _NAME_SET_OFF.match(after):
        return False
    roles = [role.group(1)] if (role := _ROLE_THEN_NAME.search(before)) else []
    roles += [m.group(1) for m in _ROLE_OF.finditer(before) if _ROLE_COMPLEMENT.match(before, m.end())]
    return any(
        word.lower() in words.people or word.lower() in words.org_roles or rules.titles.fullmatch(word)
        for word in roles
    )


def _person_after(after: str, words: ContextWords, rules: NameRules) -> bool:
    return bool(_AGE.match(after) or _WHO.match(after)) or _appositive_type(after, words, rules) == PERSON


def _appositive_type(after: str, words: ContextWords, rules: NameRules) -> str | None:
    match = _APPOSITIVE.match(after)
    if not match or _SPEAKS.match(after, match.start(1) - 1):  # "Velto, said its chief financial officer"
        return None
    head = follows = None
    for word in match.group(1).split():
        if word in _APPOSITIVE_END:
            follows = word
            break
        head = word
    if head is None:
        return None
    if head in words.people or rules.titles.fullmatch(head):
        return PERSON
    if follows == "at" and head in words.org_roles and _ARTICLE_AFTER_COMMA.match(after):
        return PERSON  # "Shirin Rahimi, a partner at ...", not "Dubai South, priced its shares at"
    if head in words.org_before:
        return ORGANIZATION
    if head in words.places:
        return PLACE
    return None


def _org_before(before: str, words: ContextWords) -> bool:
    """True after "the manufacturer", "an analyst at (the)" or "a stake in"."""
    tail = before[-40:].split()
    if not tail or before[-1:] not in (" ", "\t"):
        return False
    if tail[-1] in words.org_before:
        return True
    if tail[-1] == "in" and len(tail) > 1 and tail[-2].lower() in _HOLDINGS:  # "Shares in Fonterra fell"
        return True
    if tail[-1] == "the":
        tail = tail[:-1]
    if len(tail) > 1 and (tail[-2].lower(), tail[-1]) in _DEALINGS:  # "listed on the Nasdaq"
        return True
    if len(tail) < 2 or tail[-1] not in _ROLE_PREPOSITIONS:
        return False
    role = tail[-2].lower()
    return role in words.org_roles or (len(tail) > 2 and f"{tail[-3].lower()} {role}" in words.org_roles)


def _possessive(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is a possessive (the "'s" within it or just after)."""
    return text.endswith(("'s", "’s"), 0, end) or text.startswith(("'s", "’s"), end)


def _place_before(before: str, words: ContextWords) -> bool:
    """True after "in", "near", "across" (not "a stake in"), after "the reactor at" (not "an analyst
    at"), after "the MP for" and after "the town of"."""
    tail = before[-40:].split()
    if not tail or before[-1:] not in (" ", "\t"):
        return False
    if (preposition := tail[-1].lower()) in words.place_prepositions:  # "In Kamputhaw, ..." too
        return not (preposition == "in" and len(tail) > 1 and tail[-2].lower() in words.not_after_in)
    if preposition == "at" and len(tail) > 1:
        return tail[-2].lower() in words.place_at
    if preposition == "for" and len(tail) > 1:  # "the MP for Ablekuma North"
        return tail[-2].lower() in words.place_for
    return _place_of(before, words)


def _place_of(before: str, words: ContextWords) -> bool:
    if _RESIDENCE.search(before):
        return True
    tail = before[-40:].split()
    if tail[-1:] == ["the"]:
        tail = tail[:-1]
    return len(tail) > 1 and tail[-1] == "of" and tail[-2].lower() in words.place_of and before[-1:] == " "


def _capital_says_nothing(text: str, start: int, end: int) -> bool:
    """True for one word opening a sentence or a line, where its capital says nothing: "Local
    councillor ...", "Project manager ..."."""
    surface = text[start:end]
    if " " in surface or not surface[1:].islower():  # "CalMac", "GoTo", "SIU"
        return False
    if start and not _OPENS.search(text, max(0, start - 3), start):
        return False
    # A word that opens a sentence is a name when the text capitalises it inside a sentence too.
    return not any(
        start and not _OPENS.search(text, max(0, start - 3), start) for start in word_starts(text, surface)
    )


def common_word_opening(text: str, start: int, end: int) -> bool:
    """True for one word opening a sentence or a line that the text writes in lower case elsewhere
    and never capitalises inside a sentence: "Cholera outbreak in ...", "Venture funding for ..."."""
    surface = text[start:end]
    return (
        _capital_says_nothing(text, start, end) and next(word_starts(text, surface.lower()), None) is not None
    )


def _org_after(after: str, words: ContextWords) -> bool:
    if _ORG_AFTER.match(after):
        return True
    word = _WORD_AFTER.match(after)
    return bool(word) and word.group(1) in words.org_after


def _unread_place(text: str, start: int, end: int, before: str, after: str, words: ContextWords) -> bool:
    """True for a name nothing else read after "in", "near" or "from" that stands alone: a stop or a
    small word follows it ("break-ins in Caerleon at night", "a plant in Chitose."), not a noun it
    qualifies ("in Test cricket", "in Latin American infrastructure"); no month, no number. ("at" and
    "to" lead to companies as often as to places: "the repair job at Transnet".)"""
    surface = text[start:end]
    if surface in words.months or any(ch.isdigit() for ch in surface) or not _ALONE.match(after):
        return False
    if any(not word[:1].isupper() for word in surface.split()):  # "Jordan on Monday"
        return False
    return _place_before(before, words) or before.endswith((" from ", " From "))


def _place_after(after: str, words: ContextWords) -> bool:
    if after.startswith("-based") or _PLACE_THEN_BASED.match(after):
        return True
    word = _WORD_AFTER.match(after)
    return bool(word) and word.group(1) in words.place_after
