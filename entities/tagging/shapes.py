"""Names by their shape: capitalised words that end in a head word say what they name ("Finance
Ministry", "Toyota Motor Corp." are organisations; "Kubuqi Desert", "Mavoor Road" places), and so do a
head and its complement ("Ministry of Foreign Affairs", "Province of Alberta") and a place word
before a name ("Lake Toba", "Highway 308").

The model knows few organisations and small places, and the alias table only the larger ones; the
shape of a name says what it is wherever the name comes from. Heads, openers and connectors are
data files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .names import sentence_ends
from .rules import NameRules, name_rules
from .types import ORGANIZATION, PLACE

# A token is a run of non-space characters; the punctuation around it is peeled off and breaks a name.
_TOKEN = re.compile(r"\S+")
_LEADING = "\"'“‘«([{"
_TRAILING = "\"'”’»)]},;:!?."
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys(_LEADING + _TRAILING + "’", " "))
_POSSESSIVE = re.compile(r"['’]s?$")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
_NUMBER = re.compile(r"^\d{1,4}[A-Z]?$")  # "Highway 308", "Route 9A"
_ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")  # "37th Street", "the 11th Circuit"
_COMPLEMENT = frozenset({"of", "for", "on"})  # "Ministry of ...", "Department for ...", "Commission on ..."
# A company's form in brackets inside its name: "(Pty) Ltd", "(Pvt) Ltd", "(Private) Limited".
_BRACKETED_FORM = re.compile(r"\((?:Pty|Pvt|Private)\)")
_BRACKETED_NAME = re.compile(r"\([A-Z][\w.&-]*\)")
_NEXT_TOKEN = re.compile(r"[^\S\n]+([^\s,;:]+)")
# "Albuquerque-based", "London-listed": the word says where a name is, and the name follows it.
_LOCATING = re.compile(r"-(?:based|listed|headquartered|registered|owned|born)$")
# A saint's name before a possessive inside a name: "St John's Hospital", "Saint Mary's College".
_SAINT_BEFORE = re.compile(r"(?<![\w.])(?:St\.?|Saint|Ste\.?)[^\S\n]+$")
_KEEPS_DOT = frozenset({"Co.", "Corp.", "Inc.", "Ltd.", "N.V.", "S.A.", "Mt."})
MAX_OPENED_WORDS = 3
# Names are read at most this many words on either side of their head, so a run of heads costs
# a bounded amount per word ("International Federation of Red Cross and Red Crescent Societies" is 9).
MAX_NAME_WORDS = 12
# Words that may be part of a name: capitalised, a number, a connector or a lower-case head ("plc"),
# each with the punctuation around it; a superset of what _runs keeps.
_STRETCH_WORD = r"[\"'“‘«(\[{]*+(?:[^\W_a-z]|&|(?:of|for|on|and|the|de|du|des|la|plc)(?![\w'’-]))\S*"
# Possessive and preceded by no quote: a run of 30,000 apostrophes is read once, not once per position.
_STRETCH = re.compile(rf"(?<![\"'“‘«(\[{{]){_STRETCH_WORD}(?:[ \t]+{_STRETCH_WORD})*")


# A head whose complement lists single capitalised words: "Department of Tourism, Culture, Arts,
# Gaeltacht, Sport and Media", "Ministry of Health, Labour and Welfare". Commas end other names, so
# these are read on their own and win over the shorter name the comma would leave.
_LISTED = re.compile(
    r"\b([A-Z][a-z]+)[^\S\n]+(?:of|for)[^\S\n]+(?:the[^\S\n]+)?"
    r"([A-Z][a-z]+(?:,[^\S\n]+[A-Z][a-z]+)+,?[^\S\n]+and[^\S\n]+(?:the[^\S\n]+)?[A-Z][a-z]+)\b(?![^\S\n]+[A-Z])"
)

# The same list before a head: "Meteorology, Climatology and Geophysics Agency", "Kenya Medical
# Practitioners, Pharmacists and Dentists Union".
_LISTED_BEFORE = re.compile(
    r"(?<![\w'’-])((?:[A-Z][a-z]+[^\S\n]+){0,2}[A-Z][a-z]+(?:,[^\S\n]+(?:[A-Z][a-z]+[^\S\n]+)?[A-Z][a-z]+)+,?"
    r"[^\S\n]+and[^\S\n]+(?:[A-Z][a-z]+[^\S\n]+){1,3})([A-Z][a-z]+)\b"
)

# A company whose legal form comes first: "PT Kereta Api Indonesia (Persero)", "PJSC Gazprom".
_FORM_FIRST = re.compile(
    r"\b(?:PT|PJSC|JSC|OAO|OOO|PAO)[^\S\n]+[A-Z][\w&'’.-]*"
    r"(?:[^\S\n]+(?:[A-Z][\w&'’.-]*|\(Persero\)|Tbk\.?)){0,5}"
)


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    breaks_before: bool  # punctuation or a line break before the word ends the name before it
    breaks_after: bool


def shaped_names(text: str, rules: NameRules | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` of the names in ``text`` whose shape gives their type, never overlapping."""
    rules = rules or name_rules()
    found = []
    # A regular expression finds the stretches of name-like words first, so that the word-by-word
    # reading below runs only where a head or a place word is.
    for stretch in _STRETCH.finditer(text):
        if not _has_head(stretch.group(), rules):
            continue
        for run in _runs(text, rules, *stretch.span()):
            found.extend(_names_in_run(run, rules))
    listed = list(_listed_names(text, rules)) + [
        (m.start(), m.end() - (text[m.end() - 1] == "."), ORGANIZATION) for m in _FORM_FIRST.finditer(text)
    ]
    if listed:
        found = [n for n in found if not any(n[0] < end and start < n[1] for start, end, _ in listed)]
        found = sorted(found + listed)
    return found


def _listed_names(text: str, rules: NameRules) -> Iterator[tuple[int, int, str]]:
    """Heads whose complement is a list of portfolios (:data:`_LISTED`); no item may be a head, a
    sentence word or a name's opener, so that "the Ministry of Finance, Qatar Petroleum and ..."
    stays three names."""
    for match in _LISTED.finditer(text):
        head = match.group(1)
        items = re.findall(r"[A-Z][a-z]+", match.group(2))
        if head not in rules.heads or rules.heads[head] == PLACE:
            continue
        if any(
            item in rules.heads or item in rules.not_names or item in rules.place_openers for item in items
        ):
            continue
        start = match.start()
        # Capitalised words before the head belong to the name: "Kenya Department of ...".
        while (before := re.search(r"([A-Z][\w'’-]*)[^\S\n]+$", text[max(0, start - 40) : start])) and (
            before.group(1) not in rules.not_names
        ):
            start -= len(before.group())
        yield start, match.end(), rules.heads[head]
    for match in _LISTED_BEFORE.finditer(text):
        head = match.group(2)
        items = list(re.finditer(r"[A-Z][a-z]+", match.group(1)))
        while items and items[0].group() in rules.not_names:  # "The Meteorology, ..."
            items.pop(0)
        if head not in rules.heads or rules.heads[head] == PLACE or not items:
            continue
        if any(
            w.group() in rules.heads or w.group() in rules.not_names or w.group() in rules.place_openers
            for w in items
        ):
            continue
        yield match.start() + items[0].start(), match.end(), rules.heads[head]


def _has_head(stretch: str, rules: NameRules) -> bool:
    words = stretch.split()
    if _headless(words, rules):
        words = stretch.translate(_PUNCTUATION_TO_SPACE).split()  # "(Toyota Motor Corp)," "Ministry's"
        return not _headless(words, rules)
    return True


def _headless(words: list[str], rules: NameRules) -> bool:
    return (
        rules.heads.keys().isdisjoint(words)
        and rules.place_openers.isdisjoint(words)
        and rules.org_openers.isdisjoint(words)
    )


def _form_follows(text: str, end: int, rules: NameRules) -> bool:
    following = _NEXT_TOKEN.match(text, end)
    return bool(following) and following.group(1).rstrip(".") in rules.legal_forms


def _inside_possessive(word: str, rules: NameRules) -> bool:
    """True for the possessive of a group or a post inside a name: "People's Court", "Children's
    Hospital", "Workers' Party", "Prosecutor's Office" (not "Kuwait's" or "Toyota's")."""
    return word in rules.groups or bool(rules.titles.fullmatch(word))


def _words(text: str, start: int, end: int, rules: NameRules) -> Iterator[_Word]:
    previous_end = start
    for match in _TOKEN.finditer(text, start, end):
        start, end = match.span()
        line_break = "\n" in text[previous_end:start]
        previous_end = end
        if _BRACKETED_FORM.fullmatch(match.group()) or (  # "Kgotso Rail (Pty) Ltd": the name goes on
            _BRACKETED_NAME.fullmatch(match.group()) and _form_follows(text, end, rules)
        ):  # "Infineon Technologies (Kulim) Sdn Bhd", "Nissan Motor Manufacturing (UK) Ltd"
            yield _Word(start, end, match.group(), line_break, False)
            continue
        while start < end and text[start] in _LEADING:
            start += 1
        lead = start > match.start()
        core_end = end
        while core_end > start and text[core_end - 1] in _TRAILING:
            if text[core_end - 1] == "." and _keeps_dot(text, start, core_end, end):
                break
            core_end -= 1
        trail = core_end < end
        possessive = _POSSESSIVE.search(text[start:core_end])
        if (
            possessive
            and possessive.group() != text[start:core_end]
            and not _inside_possessive(text[start : core_end - len(possessive.group())], rules)
            and not _SAINT_BEFORE.search(text, max(0, start - 7), start)
        ):  # "Toyota's": the name ends there
            core_end -= len(possessive.group())
            trail = True
        if core_end > start:
            yield _Word(start, core_end, text[start:core_end], lead or line_break, trail)


def _keeps_dot(text: str, start: int, dot_end: int, token_end: int) -> bool:
    """True when the dot ending ``text[start:dot_end]`` belongs to the name: "S.A." always, "Co." unless
    it closes the sentence ("run by Nidd Coaches Ltd. Officers said"). A sentence's full stop does not."""
    token = text[start:dot_end]
    if _INITIALS.match(token):
        return True
    return token in _KEEPS_DOT and (dot_end < token_end or not sentence_ends(text, token_end))


def _runs(text: str, rules: NameRules, start: int, end: int) -> Iterator[list[_Word]]:
    """Runs of capitalised words, connectors and numbers with nothing but spaces between them."""
    run: list[_Word] = []
    for word in _words(text, start, end, rules):
        name_like = not _LOCATING.search(word.text) and (
            word.text[:1].isupper()
            or bool(_BRACKETED_FORM.fullmatch(word.text) or _BRACKETED_NAME.fullmatch(word.text))
            or word.text in rules.heads
            or word.text in rules.org_connectors
            or bool(_NUMBER.match(word.text) or _ORDINAL.match(word.text))
        )
        if run and (word.breaks_before or not name_like):
            yield run
            run = []
        if name_like:
            run.append(word)
            if word.breaks_after:
                yield run
                run = []
    if run:
        yield run


def _names_in_run(run: list[_Word], rules: NameRules) -> Iterator[tuple[int, int, str]]:
    """The names of one run: capitalised words up to a head and the head's complement, or a place
    word and the name after it."""
    last = -1
    for i, word in enumerate(run):
        if i <= last:
            continue
        if word.text in rules.place_openers and (end := _opened_end(run, i, rules)) is not None:
            last = end
            yield run[i].start, run[end].end, PLACE
            continue
        if (
            word.text in rules.org_openers
            and (i == 0 or not run[i - 1].text[:1].isupper())
            and (end := _opened_end(run, i, rules)) is not None
            and (end + 1 >= len(run) or run[end + 1].text not in rules.heads)
        ):
            last = end
            yield run[i].start, run[end].end, ORGANIZATION
            continue
        if word.text not in rules.heads or _defers(run, i, rules):
            continue
        end = _complement_end(run, i, rules)
        begin = _first_name_word(run, last + 1, i, rules)
        if begin == i == end or _NUMBER.match(run[begin].text):
            continue  # a head alone ("Police said") names nothing
        last = end
        # The head that takes the complement decides ("Municipality of the District of Argyle"), else
        # the last head ("Kerry County Council").
        owner = i if i + 1 < len(run) and run[i + 1].text in _COMPLEMENT and end > i + 1 else end
        yield run[begin].start, run[end].end, rules.heads[run[owner].text]


def _opened_end(run: list[_Word], opener: int, rules: NameRules) -> int | None:
    """The last word of the name a place word opens ("Lake Toba", "Highway 308"), or None."""
    end = None
    for j in range(opener + 1, min(len(run), opener + 1 + MAX_OPENED_WORDS)):
        word = run[j].text
        if _NUMBER.match(word) and j == opener + 1:
            return j
        if not word[:1].isupper() or word in rules.not_names or word in rules.heads:
            break
        end = j
    return end


def _defers(run: list[_Word], head: int, rules: NameRules) -> bool:
    """True when a later head of the same name ends it: "Nakuru County Referral and Teaching Hospital",
    "Story County Administration Building". A complement after the head keeps it."""
    if head + 1 < len(run) and run[head + 1].text in _COMPLEMENT:
        return False
    for j in range(head + 1, min(len(run), head + MAX_NAME_WORDS)):
        word = run[j].text
        if word in rules.heads:
            return True
        if not _passable(run, j, rules):
            return False
    return False


def _passable(run: list[_Word], i: int, rules: NameRules) -> bool:
    """True when the name goes on through word ``i``: a capitalised name word, "&", or an "and" between
    two plain words ("Mull and Iona Ferry Committee", not "Kouga Dam and Churchill Dam")."""
    word = run[i].text
    if word == "&" or _BRACKETED_FORM.fullmatch(word) or _BRACKETED_NAME.fullmatch(word):
        return True
    if word == "and":
        before, after = run[i - 1].text if i else "", run[i + 1].text if i + 1 < len(run) else ""
        return (
            before not in rules.heads
            # "HSBC and Lloyds Banking Group": two names ("Bank KSCP and ..." may be one)
            and not (len(before) > 1 and before.isupper() and before not in rules.legal_forms)
            and after[:1].isupper()
            and after not in rules.not_names
            and not _two_names(run, i, rules)
        )
    return (
        word in rules.heads
        or (word[:1].isupper() and word not in rules.not_names)
        or bool(_ORDINAL.match(word))
    )


def _two_names(run: list[_Word], i: int, rules: NameRules) -> bool:
    """True when the "and" at ``i`` stands between two names of two words or more each, the second
    ending in a head: "World Mosquito Program and Gadjah Mada University". One word on either side
    stays one name: "Mull and Iona Ferry Committee", "Nakuru County Referral and Teaching Hospital"."""
    before = 0
    for j in range(i - 1, -1, -1):
        if not run[j].text[:1].isupper() or run[j].text in rules.not_names:
            break
        before += 1
    for after, word in enumerate(w.text for w in run[i + 1 :]):
        if word in rules.heads:
            return before >= 2 and after >= 2
        if not word[:1].isupper() or word in rules.not_names:
            return False
    return False


def _complement_end(run: list[_Word], head: int, rules: NameRules) -> int:
    """The last word of "of Foreign Affairs" after a head, or the head itself when none follows.

    A day, a month or a pronoun ends the complement, and so do a title followed by a name
    ("Ministry of Finance Secretary Ali Saleh") and an "and" that starts another name.
    """
    end = head
    if head + 1 < len(run) and run[head + 1].text in _COMPLEMENT:
        for i in range(head + 2, min(len(run), head + MAX_NAME_WORDS)):
            word = run[i].text
            if (
                _sentence_word(word, rules)  # "the Central Bank on Monday"
                or _titles_a_name(run, i, rules)
                or (word == "and" and _starts_a_name(run, i + 1, rules))  # "Ministry of Finance and the ..."
                or _NUMBER.match(word)
            ):
                break
            if word not in rules.org_connectors:
                end = i
    # More heads straight after extend the name: "Kenya Police Service", "Toyota Motor Corp.".
    while end + 1 < min(len(run), head + MAX_NAME_WORDS) and run[end + 1].text in rules.heads:
        end += 1
    return end


def _starts_a_name(run: list[_Word], i: int, rules: NameRules) -> bool:
    """True when the words from ``i`` open a new name: "the ...", or a head within two words
    ("... and Bank of Adra", "... and Reserve Bank of Orla")."""
    following = [word.text for word in run[i : i + 2]]
    return following[:1] == ["the"] or any(word in rules.heads for word in following)


def _titles_a_name(run: list[_Word], i: int, rules: NameRules) -> bool:
    following = run[i + 1].text if i + 1 < len(run) else ""
    return (
        bool(rules.titles.fullmatch(run[i].text))
        and bool(following)
        and following not in rules.org_connectors
    )


def _sentence_word(word: str, rules: NameRules) -> bool:
    """True for "The", "Monday", "He" and the like, which end or open no name."""
    return word in rules.not_names and word not in rules.heads


def _first_name_word(run: list[_Word], begin: int, head: int, rules: NameRules) -> int:
    """The first word of the name that ends at ``head``: after the last connector before the head
    ("Linda Chan of the [Hong Kong High Court]"), after an "and" before a place's head, and after
    the words that open sentences ("The")."""
    begin = max(begin, head - MAX_NAME_WORDS + 1)
    place = rules.heads[run[head].text] == PLACE
    for i in range(head - 1, begin - 1, -1):
        # An "and" before a place's head joins two places: "between Harrogate and Pateley Bridge".
        if not _passable(run, i, rules) or (place and run[i].text == "and"):
            begin = i + 1
            break
    while begin < head and (_sentence_word(run[begin].text, rules) or run[begin].text in ("&", "and")):
        begin += 1
    return begin
