"""In-article resolution: alias matches, model spans and name rules merged into one mention per span."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from .context import (
    common_word_opening,
    context_type,
    context_words,
    cued_names,
    follows_place_word,
    listed_places,
)
from .datelines import byline_names, dateline_names
from .events import event_spans
from .matcher import AliasMatch, AliasMatcher
from .model import ModelSpan
from .names import acronym, name_after, normalise_name, strip_span, surname_keys, title_spans, titled_names
from .rules import NameRules, name_rules
from .shapes import shaped_names
from .teams import reads_as_team
from .text import Lines, title_case, word_starts
from .types import (
    METHOD_ALIAS,
    METHOD_LINK,
    METHOD_MODEL,
    ORGANIZATION,
    PERSON,
    PLACE,
    AliasRecord,
    FoundMention,
    Suggestion,
    TaggingResult,
)

# Confidence by how a mention was found; the small spaCy model gives no scores of its own.
ALIAS = 0.9
ALIAS_CONFIRMED = 0.98  # the model read the same span as the same type
AMBIGUOUS = 0.6
AMBIGUOUS_CONFIRMED = 0.85
SHARED_ALIAS_PENALTY = 0.1  # the alias names several entities and one had to be chosen
MODEL = 0.7
TITLED = 0.8  # a capitalised name after a title, no model
TITLED_MODEL = 0.9  # both
LINKED = 0.85  # a surname or acronym tied to a fuller form in the same text
SHAPED = 0.8  # a name typed by its shape ("Finance Ministry", "Kubuqi Desert"), no model
SHAPED_MODEL = 0.9  # both
DATELINE = 0.85  # the place and agency of a dateline ("KUWAIT CITY, Oct 7 (KUNA) --")
CUED = 0.75  # a name typed by the word before or after it ("the manufacturer Alstom"), no model
EXAMPLE_CHARS = 70
MAX_EXAMPLES = 3
_WORD_AFTER = re.compile(r"[^\S\n]+([^\W\d_][\w'’-]*)")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)[^\S\n]+$")
_LIST_GAP = re.compile(r"(?:,|,? and|,? or| &)[^\S\n]+(?:the[^\S\n]+)?")
_MODEL_ONLY = frozenset({"model"})
_SWALLOWERS = frozenset({"model", "shape", "context"})
_COMMA_GAP = re.compile(r",[^\S\n]+")
_GAP = re.compile(r"[^\S\n]+")
_NAME_GOES_ON = re.compile(r"[^\S\n]+[A-Z]|-[A-Z]")
# A surname with its particles: "van der Merwe", "von der Leyen", "Van der Heijden", "ter Horst".
_PARTICLED = re.compile(
    r"(?<![\w'’.-])((?:[Vv]an|[Vv]on|[Dd]e|[Tt]er|[Dd]er|[Dd]en)(?:[^\S\n]+(?:der|den|de|la|le|ter))?)"
    r"[^\S\n]+[A-Z][\w'’-]*[a-z][\w'’-]*(?![\w'’-])"
)
_NAME_PARTICLES = frozenset({"van", "von", "ter"})
_NAME_BEFORE = re.compile(r"(?<![\w'’.-])([^\W\d_][\w'’-]*) $")
# A list of one- to three-word capitalised names, the last after "and" or "or": "Naivasha, Molo and
# Gilgil", "Kapit, Belaga, Tongod and Pitas".
_LIST_NAME = r"[A-Z][\w'’-]*(?:[^\S\n]+[A-Z][\w'’-]*){0,2}"
_NAME_LIST = re.compile(
    rf"(?<![\w'’-]){_LIST_NAME}(?:,[^\S\n]+{_LIST_NAME})*,?[^\S\n]+(?:and|or)[^\S\n]+{_LIST_NAME}"
    r"(?![\w'’-]|[^\S\n]*[A-Z&(])"
)
_LIST_ITEM = re.compile(_LIST_NAME)
# Family ties before the names of the kin: "his wife Fiona", "sons Callum and Iain".
_KIN_LIST = re.compile(
    r"\b(?:wife|husband|widow|widower|sons?|daughters?|brothers?|sisters?|children|"
    r"grandchildren|grandsons?|granddaughters?|stepsons?|stepdaughters?|nephews?|nieces?|parents|"
    r"mother|father|fiancée?)(?:[^\S\n]+of[^\S\n]+\d+[^\S\n]+years)?,?[^\S\n]+"
    rf"({_LIST_NAME}(?:(?:,|,? and)[^\S\n]+{_LIST_NAME})*)"
)
_NOT_LOCATING = re.compile(r"['’]s\b|-")  # "Japan's biggest carmaker", "California-based"
# A place's adjective is its name, less an ending, with one of these: "Ukrain-e" "Ukrain-ian",
# "Liby-a" "Liby-an", "Kuwait" "Kuwait-i", "Kurd-istan" "Kurd-ish", "Mexic-o" "Mexic-an"; and
# "Kazakh-stan" "Kazakh".
_DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "an", "i", "n")
_PLACE_ENDINGS = ("", "a", "e", "ia", "y", "o", "istan", "land")
_DEMONYM_STEM = 4
_DIVISION_AFTER = re.compile(
    r"[^\S\n]+(?:province|prefecture|governorate|oblast|regency)\b"
    r"(?![^\S\n]+of\b)"
)
_TEAM_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|from|of|at|across|around|near|into|visit|visited|toured|tour)[^\S\n]+(?:the[^\S\n]+)?\Z"
)
# Lower-case words that join two names a model span runs together, before a capitalised word.
_SPLIT = re.compile(r"[^\S\n]+(?:in|on|at|near)[^\S\n]+(?=[A-Z])")
_SPLIT_PLACES = re.compile(r"[^\S\n]+(?:in|on|at|near|and)[^\S\n]+(?=[A-Z])")
# A comma between two capitalised names: "Athenry, Tuam", "Summerhall, Edinburgh", "Bosch, ZF".
_COMMA_BETWEEN = re.compile(r",[^\S\n]+(?=[A-Z])")
_FORM_AFTER_COMMA = re.compile(r"[A-Z][\w.]*")
# A capitalised word before a full name of two or more capitalised words.
_DESCRIPTOR = re.compile(r"([A-Z][a-z]{2,})[^\S\n]+(?=[A-Z][\w'’.-]*[^\S\n]+[A-Z])")
_SENTENCE_OPENS = re.compile(r"(?:^|\n|[.!?][\"'”’]?[^\S\n]+|[\"“‘][^\S\n]*)$")
# Occupations named by their suffix: "Orchardist", "Seismologist", "Fishmonger".
_DESCRIPTOR_SUFFIXES = ("ist", "monger")
_LISTING_NAME = re.compile(r"[^\S\n](?:of|for|&)[^\S\n]")
# Verbs of speech after a one-word name: "Lula said", "Ding stressed" read it as a person.
_SPEECH_VERBS = frozenset(
    {"said", "says", "told", "added", "stressed", "noted", "wrote", "explained", "argued", "warned"}
    | {"asked", "replied", "insisted", "urged", "announced"}
)
_RULED = frozenset({"shape", "context", "dateline"})  # found or typed by a rule, not by the model alone
# "(ABC)", or a short form with small letters ("(Sabic)", "(DepEd)"): one word in brackets.
_PARENTHESISED_ACRONYM = re.compile(r"[^\S\n]*\(([A-Z][A-Za-z0-9&]{1,9})\)")
_ACRONYM_IN_BRACKETS = re.compile(r"[^\S\n]\(([A-Z]{2,8})\)")
_PHRASE_WORD = re.compile(r"[^\s()\[\],;:\"“”]+")
MAX_SPELLED_WORDS = 12
# Forms that open a company's name and that the story drops later: "Grupo Alvorada" ... "Alvorada".
_LEADING_FORMS = frozenset({"Grupo", "Groupe", "Gruppo", "Grupa", "PT"})
# A post's complement: "of the" before a name, or a list of one-word portfolios ("of Tourism and
# Antiquities", "of Youth, Sports, Arts and Culture") before another capitalised word.
_POST_OF = re.compile(r"[^\S\n]+of[^\S\n]+(?:the[^\S\n]+)?")
# "of Health", "for Foreign Affairs": up to three capitalised words after a post.
_PORTFOLIO = re.compile(r"[^\S\n]+(?:of|for)[^\S\n]+((?:[A-Z][\w-]*[^\S\n]+){0,2}[A-Z][\w-]*)")
_PORTFOLIOS = re.compile(
    r"[^\S\n]+(?:of|for)[^\S\n]+(?:[A-Z][\w-]*,[^\S\n]+)*[A-Z][\w-]*,?[^\S\n]+and[^\S\n]+[A-Z][\w-]*"
    r"(?=[^\S\n]+[A-Z])"
)


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    type: str
    method: str
    confidence: float
    records: tuple[AliasRecord, ...] = ()
    entity_key: str | None = None
    name: str = ""
    model_type: str | None = None
    sources: set[str] = field(default_factory=set)

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: _Candidate) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, other: _Candidate) -> bool:
        return other.start <= self.start and self.end <= other.end

    @property
    def ambiguous(self) -> bool:
        return bool(self.records) and all(record.ambiguous for record in self.records)


def resolve(
    text: str,
    matcher: AliasMatcher,
    model_spans: list[ModelSpan] | None = None,
    rules: NameRules | None = None,
) -> TaggingResult:
    """Tag one text: the alias matches, the model's spans (None without a model) and the name rules."""
    rules = rules or name_rules()
    lines = Lines(text)
    matches = matcher.find(text, lines)
    # Events and storms are no entities, nor the names inside them ("the Boston Marathon").
    # A programme's name the table knows as a body stays the body's: "World Food Programme".
    bodies = {
        m.end: m.start
        for m in matches
        if not m.blocked and m.records[0].type == ORGANIZATION and " " in text[m.start : m.end]
    }
    events = [(s, e) for s, e in event_spans(text) if not (e in bodies and s <= bodies[e])]
    blocked = [(m.start, m.end) for m in matches if m.blocked] + events
    mentions = [
        _from_alias(m)
        for m in matches
        if not m.blocked and not any(s <= m.start and m.end <= e for s, e in events)
    ]
    titles = title_spans(text, rules)
    # A portfolio before a post is no body: "Labour Minister Bärbel Bas" (the table knows "Labour").
    after_portfolio = {start - 1 for start, _ in titles}
    mentions = [
        m for m in mentions if not (m.end in after_portfolio and text[m.start : m.end] in rules.portfolios)
    ]

    title_starts = {start for start, _ in titles}
    shaped = [
        _Candidate(start, end, type_, METHOD_LINK, SHAPED, sources={"shape"})
        for start, end, type_ in shaped_names(text, rules)
        if not lines.shouting(start)
        and not (type_ == PLACE and _titled_person(text, start, end, title_starts))
    ]
    shaped += [
        _Candidate(start, end, type_, METHOD_LINK, DATELINE, sources={"dateline"})
        for start, end, type_ in dateline_names(text)
        if not any(s.overlaps(_Candidate(start, end, type_, "", 0)) for s in shaped)
    ]
    people = [
        _Candidate(start, end, PERSON, METHOD_LINK, TITLED, sources={"title"})
        for _, start, end in titled_names(text, rules, titles)
        if not lines.shouting(start)
    ]
    people += [
        _Candidate(start, end, PERSON, METHOD_LINK, TITLED, sources={"title"})
        for start, end in byline_names(text, rules.not_names | rules.heads.keys())
    ]
    others = list(shaped)
    for candidate in _model_candidates(text, model_spans or (), titles, shaped, rules):
        (people if candidate.type == PERSON else others).append(candidate)
    read = people + others
    listed = listed_places(text, rules)
    for candidate in read:
        if (candidate.start, candidate.end) in listed and candidate.type != PLACE:
            candidate.type = PLACE
            candidate.sources.add("context")
    for start, end, type_ in cued_names(text, rules) + [(s, e, PLACE) for s, e in listed]:
        cued = _Candidate(start, end, type_, METHOD_LINK, CUED, sources={"context"})
        if not lines.shouting(start) and not any(c.overlaps(cued) for c in read):
            others.append(cued)

    candidates = [
        c for c in _merge_people(people) + others if not any(s <= c.start and c.end <= e for s, e in blocked)
    ]
    for candidate in sorted(candidates, key=lambda c: (-c.length, c.start)):
        _place(text, candidate, mentions, rules)

    mentions = [
        m for m in mentions if not (m.ambiguous and not m.model_type and _inside_name(text, m, rules))
    ]
    mentions = [_place_body(text, m, mentions, rules) for m in mentions]
    mentions = [m for m in (_identify(text, m, matcher) for m in mentions) if m is not None]
    mentions = [m for m in mentions if not _demonym(text, m, matcher)]
    mentions = _drop_lone_model_people(text, mentions)
    _given_names(text, mentions, rules)
    mentions = _particle_names(text, mentions, rules)
    mentions += [
        c for c in _listed_with_known(text, lines, mentions, rules) if not _demonym(text, c, matcher)
    ]
    mentions += _kin(text, mentions, rules)
    mentions = _spelled_by_acronyms(text, mentions, rules)
    mentions = _people_after_posts(text, titles, mentions, rules)
    _link(text, lines, mentions, matcher, rules, blocked)
    _choose_shared(mentions)
    _coordinate(text, mentions)
    _teams(text, mentions)
    _places_before_places(text, mentions)
    mentions = _outside_title_case(text, mentions)
    _unify_unknown_types(mentions)
    mentions.sort(key=lambda m: m.start)
    found = [_found(text, m) for m in mentions]
    return TaggingResult(mentions=found, suggestions=_suggestions(text, found))


def _titled_person(text: str, start: int, end: int, title_starts: set[int]) -> bool:
    """True for a place's head that is a name's first word after a title: "Chief Financial Officer
    Park Seo-yeon" is no park ("King Abdulaziz Port in Dammam" is a port)."""
    return start in title_starts and bool(_NAME_GOES_ON.match(text, end))


def _from_alias(match: AliasMatch) -> _Candidate:
    records = tuple(r for r in match.records if not r.blocked)
    ambiguous = all(r.ambiguous for r in records)
    # An alias written with its article ("The Netherlands") leaves a lower-case "the" outside the name.
    start = match.start + 4 if match.text.startswith("the ") else match.start
    return _Candidate(
        start,
        match.end,
        records[0].type,
        METHOD_ALIAS,
        AMBIGUOUS if ambiguous else ALIAS,
        records=records,
        sources={"alias"},
    )


def _dateline_place(text: str, start: int, end: int) -> bool:
    """True for a capitalised name that opens a line and a dateline: "WOLFSBURG, Germany, Sept 3 (AP)"."""
    surface = text[start:end]
    at_line_start = start == 0 or text[start - 1] == "\n"
    return at_line_start and surface.isupper() and len(surface) > 2 and text[end : end + 2] in (", ", " (")


def _model_candidates(
    text: str,
    spans: Iterable[ModelSpan],
    titles: list[tuple[int, int]],
    shaped: list[_Candidate],
    rules: NameRules,
) -> Iterator[_Candidate]:
    """The model's spans cut to the name and typed by the words around them where those say more."""
    for span in spans:
        start, end = strip_span(text, span.start, span.end, span.type, rules)
        if (bracket := text.find(" (", start, end)) > start:  # "Democratic Alliance (DA": the name ends first
            end = bracket
        # A list before a title is a minister's portfolios ("Investment, Trade and Industry Minister"):
        # _model_candidate drops it whole.
        listed = not any(s == end + 1 for s, _ in titles)
        for piece_start, piece_end in _pieces(text, start, end, span.type, rules, commas=listed):
            if candidate := _model_candidate(text, piece_start, piece_end, span.type, titles, shaped, rules):
                yield candidate


def _pieces(
    text: str, start: int, end: int, type_: str, rules: NameRules, listed: bool = False, commas: bool = True
) -> list[tuple[int, int]]:
    """A model span cut where it runs over two names: "Matarani in Arequipa", "Heredia Theater on
    June", "Bachupally near Hyderabad", "Athenry, Tuam" (``commas``: not before a post, where the
    list is a portfolio), and, for places and after a comma, "Oban and Craignure" ("Trinidad and
    Tobago" is the table's, which wins)."""
    places = listed or type_ == PLACE or _place_before_span(text, start, rules)
    match = (_SPLIT_PLACES if places else _SPLIT).search(text, start, end)
    comma = _COMMA_BETWEEN.search(text, start, end) if commas else None
    if comma and _LISTING_NAME.search(text, start, end):
        comma = None  # "Department for Environment, Food and Rural Affairs", "Keefe, Bruyette & Woods"
    while comma and _FORM_AFTER_COMMA.match(text, comma.end(), end).group().rstrip(".") in rules.legal_forms:
        comma = _COMMA_BETWEEN.search(text, comma.end(), end)  # "Samsung Electronics Co., Ltd."
    if comma and (not match or comma.start() < match.start()):
        match = comma
    if not match:
        return [(start, end)]
    # After a comma the names are a list, and its "and" parts them too: "Nîmes, Avignon and Grenoble".
    return [(start, match.start()), *_pieces(text, match.end(), end, type_, rules, listed or match is comma)]


def _place_before_span(text: str, start: int, rules: NameRules) -> bool:
    """True after a word that reads the name after it as a place: "in", "near", "between"."""
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return bool(before) and before.group(1).lower() in rules.place_cues | {"between"}


def _model_candidate(
    text: str,
    start: int,
    end: int,
    type_: str,
    titles: list[tuple[int, int]],
    shaped: list[_Candidate],
    rules: NameRules,
) -> _Candidate | None:
    """One model span as a candidate, typed by the words around it, or None when it names nothing."""
    if title_end := next((e for s, e in titles if s <= start < e < end), None):
        start, type_ = _skip_gap(text, title_end), PERSON  # "Prof Takahiro Moriyama" read as ORG
    elif (
        type_ == PERSON
        and (descriptor := _DESCRIPTOR.match(text, start, end))
        and _describes(text, descriptor)
    ):
        start = descriptor.end()  # "Retiree Ravi Chandran, 71, said", "Seismologist Hernán Villacorta"
    surface = text[start:end]
    if end <= start or "\n" in surface or surface == surface.lower() or surface in rules.not_names:
        return None
    if any(s <= start and end <= e for s, e in titles):  # "State" of "Secretary of State"
        return None
    if any(s == end + 1 for s, _ in titles) and (
        (" " not in surface and (text[end + 1 : end + 2].isupper() or surface in rules.portfolios))
        # "Energy" of "Energy Minister" (not "Petrobras" of "Petrobras chief executive")
        or ((" and " in surface or ", " in surface) and rules.heads.keys().isdisjoint(surface.split()))
    ):  # "Investment, Trade and Industry" of "... Minister Tengku Zafrul"
        return None
    if type_ != ORGANIZATION and any(ch.isdigit() for ch in surface):  # "Oct 2", "T20"
        return None
    if common_word_opening(text, start, end):  # "Cholera outbreak in ...": a capital that says nothing
        return None
    sources = {"model"}
    if _dateline_place(text, start, end):
        type_ = PLACE
    elif read := context_type(text, start, end, rules):
        type_ = read
        sources.add("context")
    candidate = _Candidate(start, end, type_, METHOD_MODEL, MODEL, sources=sources)
    return None if _shaped_over(candidate, shaped) else candidate


def _describes(text: str, descriptor: re.Match[str]) -> bool:
    """True for a capitalised word that opens a sentence and says what the person after it is."""
    opening = _SENTENCE_OPENS.search(text[max(0, descriptor.start() - 3) : descriptor.start()])
    return bool(opening) and _descriptor_word(descriptor.group(1))


def _descriptor_word(word: str) -> bool:
    """True for a word naming what a person is or does: "Retiree", "Organizer", "Seismologist"."""
    word = word.lower()
    words = context_words()
    return (
        word in words.people
        or word in words.org_roles
        or word.removesuffix("s") in words.people
        or word.endswith(_DESCRIPTOR_SUFFIXES)
    )


def _drop_lone_model_people(text: str, mentions: list[_Candidate]) -> list[_Candidate]:
    """Without a person's one-word name the model alone read, unless the text backs it.

    The small model reads many unfamiliar one-word names as people ("Karnataka", "Summerbridge",
    "Garda", "Cyclone Freddy"'s "Freddy"). Such a word stays a person when a verb of speech follows it
    ("Tedros told") or it is a word of a longer person's name in the same text ("Ding" of "Ding
    Xuexiang"); title-led names, names typed by their context and table entries are not touched.
    """
    people_words = set()
    for m in mentions:
        if m.type == PERSON and len(words := text[m.start : m.end].split()) > 1:
            people_words.update(words)
    kept = []
    for mention in mentions:
        surface = text[mention.start : mention.end]
        lone = mention.type == PERSON and mention.sources <= _MODEL_ONLY and not mention.records
        if lone and not any(ch.isspace() for ch in surface) and surface not in people_words:
            after = _WORD_AFTER.match(text, mention.end)
            if not (after and after.group(1) in _SPEECH_VERBS):
                continue
        kept.append(mention)
    return kept


def _given_names(text: str, mentions: list[_Candidate], rules: NameRules) -> None:
    """A person's name the model began at a particle takes the capitalised word before it: "Jabor
    [bin Ali Al Dosari]", "Maryam [bint Ali]": a name never starts with "bin", "de" or "van"."""
    taken = [(m.start, m.end) for m in mentions]
    for mention in mentions:
        if mention.type != PERSON or mention.records or "model" not in mention.sources:
            continue
        before = _NAME_BEFORE.search(text, max(0, mention.start - 40), mention.start)
        if not before or any(s < mention.start and before.start() < e for s, e in taken):
            continue
        word = before.group(1)
        if text[mention.start : mention.end].split()[0] not in rules.particles and not _given_name(
            text, before.start(), word, rules
        ):
            continue
        if word[:1].isupper() and word not in rules.not_names and not rules.titles.fullmatch(word):
            mention.start = before.start()
            mention.name = normalise_name(text[mention.start : mention.end])


def _particle_names(text: str, mentions: list[_Candidate], rules: NameRules) -> list[_Candidate]:
    """A person's name with a surname particle as one name: the model often reads "Nadia van der
    Merwe" as a place and a person, or "Dirk van" and "Berg". The given names before the particle
    (up to two capitalised words, no title) and the particled surname become one person's name
    where the model read a person in it and the alias table no place or organisation."""
    for match in _PARTICLED.finditer(text):
        start, end = match.start(), match.end()
        for _ in range(2):
            before = _NAME_BEFORE.search(text, max(0, start - 40), start)
            word = before.group(1) if before else ""
            if (
                not (word[:1].isupper() and word[1:].islower())
                or word in rules.not_names
                or rules.titles.fullmatch(word)
            ):
                break
            start = before.start()
        if start == match.start() and match.group(1).islower():
            continue  # "... de Maiziere" with no given name: the model's reading stands
        inside = [m for m in mentions if m.start < end and start < m.end]
        # An alias inside is a place or body, unless it is the particle itself ("Van" in Turkey).
        if any(m.records and not (m.start >= match.start() and m.end <= match.end(1)) for m in inside):
            continue
        person = next((m for m in inside if m.type == PERSON), None)
        if person is None:
            # No person read: only a Dutch or German particle after a given name makes one.
            if start == match.start() or match.group(1).split()[0].lower() not in _NAME_PARTICLES:
                continue
            person = _Candidate(start, end, PERSON, METHOD_LINK, SHAPED, sources={"shape"})
        elif (
            person.start < start
            or person.end > end
            or (len(inside) == 1 and (person.start, person.end) == (start, end))
        ):
            continue  # a longer name holds it ("Harold J. Van Zee"), or the reading stands
        person.start, person.end, person.type = start, end, PERSON
        person.name = normalise_name(text[start:end])
        mentions = [m for m in mentions if m not in inside] + [person]
    return mentions


def _given_name(text: str, start: int, word: str, rules: NameRules) -> bool:
    """True when ``word`` at ``start``, just before a person's name the model read, reads as its
    first name: "[Marina] Hoffmann Becker", "said [Patrice] Ngoyi Mbala". Not a capitalised word
    after another ("Chief Executive", "Datuk Seri"), an adverb ("Separately"), a portfolio
    ("Transport"), nor a word the text also writes in lower case ("Trader")."""
    if not (word.isalpha() and word[1:].islower()) or word.endswith("ly") or word in rules.heads:
        return False
    if word in rules.portfolios or _descriptor_word(word):  # "Minister of Transport [Barbara Creecy]"
        return False
    previous = _NAME_BEFORE.search(text, max(0, start - 40), start)
    if previous and previous.group(1)[:1].isupper():
        return False
    return next(word_starts(text, word.lower()), None) is None


def _skip_gap(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _place_body(text: str, mention: _Candidate, mentions: list[_Candidate], rules: NameRules) -> _Candidate:
    """A place named with a field beside it is a body's name: "Athletics Kenya", "Kenya Power"."""
    if mention.type != PLACE:
        return mention
    start, end = mention.start, mention.end
    if (before := _WORD_BEFORE.search(text, max(0, start - 20), start)) and before.group(
        1
    ) in rules.body_before_place:
        start = before.start(1)
    elif (after := _WORD_AFTER.match(text, end)) and after.group(1) in rules.body_after_place:
        end = after.end(1)
    if (start, end) == (mention.start, mention.end) or any(
        m is not mention and m.start < end and start < m.end for m in mentions
    ):
        return mention
    return _Candidate(start, end, ORGANIZATION, METHOD_LINK, SHAPED, sources={"shape"})


def _shaped_over(candidate: _Candidate, shaped: list[_Candidate]) -> bool:
    """True when a name found by its shape overrides this model span: it overlaps it and the model did
    not read a longer name of the same type around it. A model span equal to it confirms it."""
    inside = [shape for shape in shaped if shape.overlaps(candidate)]
    for shape in inside:
        if (shape.start, shape.end) == (candidate.start, candidate.end) and candidate.type == shape.type:
            shape.sources.add("model")
            shape.confidence = SHAPED_MODEL
            return True
        # Two names read as one ("State Bank of India and Bank of Baroda") are two.
        if len(inside) > 1 or not (candidate.type == shape.type and shape.within(candidate)):
            return True
    return False


def _merge_people(people: list[_Candidate]) -> list[_Candidate]:
    """One candidate per overlapping group of title-led and model person spans: the longest."""
    merged: list[_Candidate] = []
    for person in sorted(people, key=lambda c: (-c.length, c.start)):
        host = next((m for m in merged if m.overlaps(person)), None)
        if host is None:
            merged.append(person)
            continue
        host.sources |= person.sources
        if {"title", "model"} <= host.sources:
            host.method, host.confidence = METHOD_MODEL, TITLED_MODEL
    return merged


def _place(text: str, candidate: _Candidate, mentions: list[_Candidate], rules: NameRules) -> None:
    """Add a model or title-led candidate unless an alias match or a longer candidate holds its span."""
    overlapping = [m for m in mentions if m.overlaps(candidate)]
    if not overlapping:
        mentions.append(candidate)
        return
    if len(overlapping) == 1 and (overlapping[0].start, overlapping[0].end) == (
        candidate.start,
        candidate.end,
    ):
        held = overlapping[0]
        if held.method != METHOD_ALIAS:
            return
        if any(r.type == candidate.type for r in held.records):
            held.model_type = candidate.type
            held.sources |= candidate.sources
            held.confidence = AMBIGUOUS_CONFIRMED if held.ambiguous else ALIAS_CONFIRMED
        elif held.ambiguous and not candidate.sources <= _MODEL_ONLY:
            # A title or the context reads "Jordan" as a person or a team here. The model's reading
            # alone does not: on a known place's name it is mostly wrong, and a person's surname
            # takes the name over later (_link).
            mentions[mentions.index(held)] = candidate
        return
    if all(m.method == METHOD_ALIAS and m.within(candidate) for m in overlapping):
        # A longer name around an alias: "New York Times" around "New York", "Sinai Peninsula"
        # around "Sinai". Keep the alias when the rest is only lower-case words ("Islamic State group").
        other_type = any(all(r.type != candidate.type for r in m.records) for m in overlapping)
        if (
            other_type
            or _capitalised_rest(text, candidate, overlapping)
            or _joined_by_particles(text, candidate, overlapping, rules)
        ):
            for m in overlapping:
                mentions.remove(m)
            mentions.append(candidate)


def _joined_by_particles(text: str, candidate: _Candidate, inner: list[_Candidate], rules: NameRules) -> bool:
    """True for a name that joins two aliases with a particle: "Norte de Santander" ("Norte" and
    "Santander" are names of their own, and the name is longer than both)."""
    if len(inner) < 2:
        return False
    rest = list(text[candidate.start : candidate.end])
    for m in inner:
        rest[m.start - candidate.start : m.end - candidate.start] = " " * m.length
    return all(word in rules.particles for word in "".join(rest).split())


def _capitalised_rest(text: str, candidate: _Candidate, inner: list[_Candidate]) -> bool:
    rest = list(text[candidate.start : candidate.end])
    for m in inner:
        rest[m.start - candidate.start : m.end - candidate.start] = " " * m.length
    return any(word[:1].isupper() for word in "".join(rest).split())


def _inside_name(text: str, mention: _Candidate, rules: NameRules) -> bool:
    """True when capitalised words glue onto an ambiguous alias: "Michael Jordan", "Victoria Beckham"."""
    after = _WORD_AFTER.match(text, mention.end)
    if after and after.group(1)[:1].isupper() and after.group(1) not in rules.not_names:
        # A title after a place is a post there, not a longer name: "Sabah Chief Minister Hajiji".
        return not rules.titles.match(text, after.start(1))
    window = text[max(0, mention.start - 40) : mention.start]
    before = _WORD_BEFORE.search(window)
    if not before or not before.group(1)[:1].isupper() or before.group(1) in rules.not_names:
        return False
    opening = window[: before.start()].rstrip(" \t")
    return bool(opening) and opening[-1] not in ".!?:\n\"“‘'("  # the word before does not open a sentence


def _reads_as_place(text: str, mention: _Candidate, rules: NameRules) -> bool:
    """True when an ambiguous place alias follows a place preposition ("in Jordan") or another
    place and a comma ("AMMAN, Jordan")."""
    if not any(r.type == PLACE for r in mention.records):
        return False
    window = text[max(0, mention.start - 40) : mention.start]
    before = _WORD_BEFORE.search(window)
    if before and before.group(1).lower() in rules.place_cues:
        return True
    return (
        bool(re.search(r"[^\W\d_]{2,},[^\S\n]+$", window)) and window.rstrip()[:-1].split()[-1][:1].isupper()
    )


def _identify(text: str, mention: _Candidate, matcher: AliasMatcher) -> _Candidate | None:
    """Name the mention: its alias record, or the table entry its surface is an alias of, or itself."""
    if mention.records:
        return mention
    known = [r for r in matcher.lookup(text[mention.start : mention.end]) if r.type == mention.type]
    if known and all(r.blocked for r in known):
        return None  # an editor blocked this name
    known = [r for r in known if not r.blocked]
    if known:
        mention.records = tuple(known)
    else:
        mention.name = normalise_name(text[mention.start : mention.end])
    return mention


def _demonym(text: str, mention: _Candidate, matcher: AliasMatcher) -> bool:
    """True for a word the table does not know that is a known place's adjective: "Ukrainian",
    "Libyan", "Kuwaiti", "Kurdish". The model and the context cues ("the Libyan city of Derna")
    read them as places; news NER marks nationalities and other adjectives as nothing."""
    word = text[mention.start : mention.end]
    if mention.records or mention.type == PERSON or not word.isalpha() or not word[:1].isupper():
        return False
    if _DIVISION_AFTER.match(text, mention.end):  # "Fujian province" (not "the Libyan city of Derna")
        return False
    for suffix in _DEMONYM_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= _DEMONYM_STEM:
            for ending in _PLACE_ENDINGS:
                if any(r.type == PLACE for r in matcher.lookup(stem + ending)):
                    return True
    # "Kazakh" of Kazakhstan, "Kyrgyz" of Kyrgyzstan, "Uzbek" of Uzbekistan: the whole word is the stem.
    return any(r.type == PLACE for ending in ("stan", "istan") for r in matcher.lookup(word + ending))


def _identity(mention: _Candidate) -> tuple[str | None, str, str]:
    if mention.records:
        record = mention.records[0]
        return record.entity_key, record.name, record.type
    return mention.entity_key, mention.name, mention.type


def _link(
    text: str,
    lines: Lines,
    mentions: list[_Candidate],
    matcher: AliasMatcher,
    rules: NameRules,
    blocked: list[tuple[int, int]],
) -> None:
    """Tie surnames and acronyms to the full form the same text gives, wherever they occur in it
    outside the ``blocked`` spans (events, laws: "the British Museum Act")."""
    keys: dict[str, list[tuple[int, tuple[str | None, str, str]]]] = {}
    surfaces: dict[str, list[tuple[int, tuple[str | None, str, str]]]] = {}
    for mention in mentions:
        identity = _identity(mention)
        _, name, type_ = identity
        if type_ == PERSON:
            for key in surname_keys(name, rules):
                keys.setdefault(key, []).append((mention.start, identity))
        elif type_ in (ORGANIZATION, PLACE):
            short = acronym(name, rules) if type_ == ORGANIZATION else None
            if (parenthesised := _PARENTHESISED_ACRONYM.match(text, mention.end)) and (
                _short_form_of(parenthesised.group(1), identity[0], matcher)
                if type_ == ORGANIZATION
                else set(parenthesised.group(1)) <= set(acronym(name, rules) or "-")
            ):  # a place's only when made of its initials: "East Nusa Tenggara (NTT)", not "SARAJEVO (AA)"
                short = parenthesised.group(1)
            if short and short != name:
                keys.setdefault(short, []).append((mention.start, identity))
            surface = text[mention.start : mention.end]
            if not mention.records and mention.sources & _RULED and surface not in rules.not_names:
                # A name a rule found names the same thing wherever else the text writes it.
                surfaces.setdefault(surface, []).append((mention.start, identity))
            if type_ == ORGANIZATION and (short := _short_name(surface, matcher, rules)):
                surfaces.setdefault(short, []).append((mention.start, identity))
    for surface, owners in surfaces.items():
        if surface not in keys:  # a person's surname or an acronym stands
            keys[surface] = owners
    if not keys:
        return
    owners = {key: {identity for _, identity in found} for key, found in keys.items()}
    for found in keys.values():
        found.sort(key=lambda item: item[0])
    index = _SpanIndex(mentions)
    for start, end in _occurrences(text, keys):
        key = text[start:end]
        if (key.isupper() and lines.shouting(start)) or any(s <= start and end <= e for s, e in blocked):
            continue
        found = keys[key]
        last = bisect.bisect_right(found, start, key=lambda item: item[0])  # the nearest full form before
        if len(owners[key]) > 1 and not last:
            continue
        identity = found[last - 1][1] if last else found[0][1]
        link = _Candidate(
            start, end, identity[2], METHOD_LINK, LINKED, entity_key=identity[0], name=identity[1]
        )
        held = index.overlapping(start, end)
        if not held:
            mentions.append(link)
            index.add(link)
        elif len(held) == 1 and (held[0].start, held[0].end) == (start, end):
            current = held[0]
            if _identity(current)[:2] == identity[:2]:
                continue
            if "context" in current.sources and current.type != identity[2]:
                continue  # the words around it typed it: "people in [Baden-Württemberg]" stays a place
            if current.method == METHOD_ALIAS and (
                not current.ambiguous or current.model_type or _reads_as_place(text, current, rules)
            ):
                continue  # the table (or the model, or the context) says what this word is
            mentions[mentions.index(current)] = link
            index.replace(current, link)


def _short_form_of(short: str, entity_key: str | None, matcher: AliasMatcher) -> bool:
    """Whether a bracketed word after an organisation's name (``entity_key`` in the table, None for
    a name it lacks) is its short form: capitals ("(NZTA)"), or a word the table knows as no other
    thing's name ("(Sabic)", "(Embrapa)"). "Star man: Callum Pryce (Sunderland)" gives the player's
    club, a name of its own, though the model read the player as an organisation."""
    if short.isupper():
        return True
    records = matcher.lookup(short)
    return not records or any(record.entity_key == entity_key for record in records)


def _short_name(name: str, matcher: AliasMatcher, rules: NameRules) -> str | None:
    """A company's name without its legal form ("Castellan Mutual" -> "Castellan", "Grupo Alvorada SA"
    -> "Alvorada", "PT Vale Indonesia Tbk" -> "Vale Indonesia"), or None when it has none or the rest
    is a known name of something else ("Kenya Airways Group")."""
    words = name.split()
    while len(words) > 1 and words[-1] in rules.legal_forms:
        words.pop()
    if len(words) > 1 and words[0] in _LEADING_FORMS:
        words.pop(0)
    short = " ".join(words)
    if short == name or short in rules.not_names or not short[:1].isupper():
        return None
    # A town's name may be a company's too ("Alvorada"); a country's or a city's the table is sure of is not.
    if any(not record.ambiguous for record in matcher.lookup(short)):
        return None
    return short


def _occurrences(text: str, keys) -> list[tuple[int, int]]:
    """Where the keys occur as whole words, leftmost first and the longest at one place, never
    overlapping: what one alternation of them would find, without compiling it for every text."""
    found = []
    for key in keys:
        position = text.find(key)
        while position >= 0:
            end = position + len(key)
            before = text[position - 1] if position else " "
            if not (before.isalnum() or before in "_-") and not (
                end < len(text) and (text[end].isalnum() or text[end] == "_")
            ):
                found.append((position, end))
            position = text.find(key, position + 1)
    found.sort(key=lambda span: (span[0], span[0] - span[1]))
    chosen, last_end = [], 0
    for start, end in found:
        if start >= last_end:
            chosen.append((start, end))
            last_end = end
    return chosen


class _SpanIndex:
    """Mentions that never overlap, kept in text order, to find the ones a span overlaps in log time."""

    def __init__(self, mentions: list[_Candidate]):
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def overlapping(self, start: int, end: int) -> list[_Candidate]:
        found = []
        i = bisect.bisect_left(self.starts, end) - 1
        while i >= 0 and self.mentions[i].end > start:
            found.append(self.mentions[i])
            i -= 1
        return found

    def add(self, mention: _Candidate) -> None:
        i = bisect.bisect_left(self.starts, mention.start)
        self.starts.insert(i, mention.start)
        self.mentions.insert(i, mention)

    def replace(self, old: _Candidate, new: _Candidate) -> None:
        self.mentions[bisect.bisect_left(self.starts, old.start)] = new


def _coordinate(text: str, mentions: list[_Candidate]) -> None:
    """Names listed together are of one type: in "Kettering, Oakwood and Dayton" or "Asir, Al-Baha and
    Jazan", a name only the model read takes the type the table, a shape or the context gave the others."""
    ordered = sorted(mentions, key=lambda m: m.start)
    group, joined = ordered[:1], False
    for mention in [*ordered[1:], None]:
        gap = mention is not None and group and _LIST_GAP.fullmatch(text, group[-1].end, mention.start)
        if gap:
            group.append(mention)
            joined = joined or gap.group().strip(", ").removesuffix("the").strip() != ""
            continue
        if len(group) > 1 and joined:  # commas alone may set off an apposition: "its envoy, Roza Otunbayeva,"
            sure = {m.type for m in group if not m.sources <= _MODEL_ONLY and not m.ambiguous}
            if not sure and len({m.type for m in group}) > 1 and follows_place_word(text, group[0].start):
                sure = {PLACE}  # the model read "over Kodagu and Wayanad" as a place and a company
            if len(sure) == 1:
                (type_,) = sure
                for m in group:
                    if m.sources <= _MODEL_ONLY and not m.records:
                        m.type = type_
        group, joined = ([mention] if mention is not None else []), False


def _listed_with_known(
    text: str, lines: Lines, mentions: list[_Candidate], rules: NameRules
) -> list[_Candidate]:
    """The names nothing read in a list of places or of organisations: in "hospitals in Naivasha, Molo
    and Gilgil", where the table knows Naivasha, Molo and Gilgil are places too; in "Barclays, HSBC
    and Lloyds Banking Group led gains", Barclays is a company. Every name the list holds must be of
    one type, one of them known by the table, a shape or the context, not by the model alone (for
    places, two read names or a place word before the list will do); a list of organisations has
    three names or more, since "A and B" may be one ("Fire Service and Civil Defence")."""
    index = _SpanIndex(mentions)
    found = []
    for listing in _NAME_LIST.finditer(text):
        if lines.shouting(listing.start()):
            continue
        unread, read = [], []
        for item in _LIST_ITEM.finditer(text, listing.start(), listing.end()):
            held = index.overlapping(item.start(), item.end())
            if not held:
                unread.append(item)
                continue
            if any((m.start, m.end) != item.span() for m in held):
                break
            read += held
        else:
            sure = {m.type for m in read if not m.sources <= _MODEL_ONLY and not m.ambiguous}
            if any(m.type == PERSON for m in read):
                continue  # a list of people, or of names of several kinds
            if len(sure) == 1:
                (type_,) = sure
            elif not sure and {m.type for m in read} == {PLACE}:
                type_ = PLACE
                if len(read) < 2 and not _place_before_span(text, listing.start(), rules):
                    continue
            else:
                continue
            if type_ == ORGANIZATION and "," not in listing.group():
                continue  # "Fire Service and Civil Defence" is one name
            for m in read:  # the model read "Nyeri, Murang'a and ..." as a place and a company
                if m.sources <= _MODEL_ONLY and not m.records:
                    m.type = type_
            other = ORGANIZATION if type_ == PLACE else PLACE
            for item in unread:
                words = item.group().split()
                if (
                    words[0] in rules.not_names
                    or rules.titles.fullmatch(words[0])
                    or rules.heads.get(words[-1]) == other
                ):
                    continue
                found.append(_cued(item, type_))
    return found


def _cued(item: re.Match[str], type_: str) -> _Candidate:
    """A name the words around it found and typed."""
    return _Candidate(
        item.start(),
        item.end(),
        type_,
        METHOD_LINK,
        CUED,
        name=normalise_name(item.group()),
        sources={"context"},
    )


def _kin(text: str, mentions: list[_Candidate], rules: NameRules) -> list[_Candidate]:
    """The people an obituary or a feature names by their tie to someone: "his wife Fiona", "sons
    Callum and Iain", "brothers Arie, Dirk and Henry". A name the model alone read otherwise, or an
    ambiguous alias the model did not confirm, becomes a person; other readings stand."""
    index = _SpanIndex(mentions)
    found = []
    for listing in _KIN_LIST.finditer(text):
        for item in _LIST_ITEM.finditer(text, listing.start(1), listing.end()):
            if item.group().split()[0] in rules.not_names or rules.titles.fullmatch(item.group().split()[0]):
                continue
            held = index.overlapping(item.start(), item.end())
            if len(held) == 1 and held[0].sources <= _MODEL_ONLY and not held[0].records:
                held[0].type = PERSON
                continue
            if held and not (len(held) == 1 and held[0].ambiguous and held[0].model_type != held[0].type):
                continue
            if held:  # an ambiguous alias the model did not confirm: "his brother Jordan"
                mentions.remove(held[0])
            found.append(_cued(item, PERSON))
    return found


def _people_after_posts(
    text: str, titles: list[tuple[int, int]], mentions: list[_Candidate], rules: NameRules
) -> list[_Candidate]:
    """The name after a post and its complement is a person: "Ambassador of the Republic of Korea
    [Park Sung-hoon]", "Minister of Tourism and Antiquities [Sherif Fathy]", "Minister of Health
    [Roselyn Mungai]", "Minister of State for Foreign Affairs Dr. [Mohammed Al Khulaifi]", whatever
    the model and the shapes read there ("Korea Park", "Antiquities Sherif Fathy")."""
    starts = {m.start: m for m in mentions}
    title_ends = dict(titles)
    for title_start, title_end in titles:
        one_word = False
        listed = _PORTFOLIOS.match(text, title_end)
        complement = listed.end() if listed else _portfolio_end(text, title_end, rules)
        portfolios = complement is not None
        if not portfolios and (of := _POST_OF.match(text, title_end)) and (known := starts.get(of.end())):
            complement = known.end if known.type != PERSON else None
            if complement and (acronym := _PARENTHESISED_ACRONYM.match(text, complement)):
                # "Head of the National Disaster Agency (BNPB) [Suharyanto]": the acronym closes the
                # body's name, so one word after it is a name too
                complement, one_word = acronym.end(), True
        if complement is None:
            continue
        while (gap := _GAP.match(text, complement)) and gap.end() in title_ends:
            complement = title_ends[gap.end()]  # titles after the post: "... Affairs Dr."
        if not (span := name_after(text, complement, rules)):
            continue
        start, end = span
        words = text[start:end].split()
        while len(words) > 2 and words[0] in rules.portfolios:  # "... and Petroleum Resources Gwede Mantashe"
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if (
            len(words) < (1 if one_word else 2)
            or any(rules.heads.get(word) == ORGANIZATION for word in words)
            or rules.titles.match(text, start)
        ):
            continue
        held = [m for m in mentions if m.start < end and start < m.end]
        # A reading that swallowed the post whole ("Federal Minister for Planning ... Ahsan Iqbal" as
        # one body) gives way; one that starts inside the post, or the table's, stands.
        if any(
            m.records
            or title_start < m.start < title_end
            or (m.start <= title_start and m.sources - _SWALLOWERS)
            for m in held
        ):
            continue
        if portfolios:  # the portfolios name no body: "Minister of [Energy and Petroleum] Resources"
            held += [m for m in mentions if title_start < m.start and m.end <= start and not m.records]
        person = _Candidate(
            start, end, PERSON, METHOD_LINK, TITLED, name=normalise_name(text[start:end]), sources={"title"}
        )
        mentions = [m for m in mentions if m not in held] + [person]
        starts = {m.start: m for m in mentions}
    return mentions


def _portfolio_end(text: str, position: int, rules: NameRules) -> int | None:
    """The end of the portfolio after a post ("Minister [of Health] Roselyn Mungai", "Minister of
    State [for Foreign Affairs] Mohammed Al Khulaifi"): the longest run of up to three capitalised
    words ending in a portfolio word, with a capitalised word after it; or None."""
    match = _PORTFOLIO.match(text, position)
    if not match:
        return None
    words = list(re.finditer(r"\S+", match.group(1)))
    for word in reversed(words):
        end = match.start(1) + word.end()
        if word.group() in rules.portfolios and _NAME_GOES_ON.match(text, end):
            return end
    return None


def _spelled_by_acronyms(text: str, mentions: list[_Candidate], rules: NameRules) -> list[_Candidate]:
    """One organisation for a name its bracketed acronym spells out, where the model and the shapes
    read only pieces of it: "Board of Control for Cricket in India (BCCI)", "Geological Survey of
    Brazil (SGB)", not "Board of Control for Cricket" and the place "India"."""
    for bracket in _ACRONYM_IN_BRACKETS.finditer(text):
        span = _spelled_name(text, bracket.start(), bracket.group(1), rules)
        if span is None:
            continue
        start, end = span
        inside = [m for m in mentions if m.start < end and start < m.end]
        if not inside or any(
            m.start < start or m.type == PERSON or (m.start, m.end) == (start, end) for m in inside
        ):
            continue  # nothing read there, a person, or a name read whole ("Northern Sea Route (NSR)")
        merged = _Candidate(
            start,
            end,
            ORGANIZATION,
            METHOD_LINK,
            SHAPED,
            name=normalise_name(text[start:end]),
            sources={"shape"},
        )
        mentions = [m for m in mentions if m not in inside] + [merged]
    return mentions


def _spelled_name(text: str, end: int, letters: str, rules: NameRules) -> tuple[int, int] | None:
    """The span of the capitalised words before ``end`` whose initials are ``letters``, or None."""
    line_start = text.rfind("\n", 0, end) + 1
    words = list(_PHRASE_WORD.finditer(text, line_start, end))[-MAX_SPELLED_WORDS:]
    initials = ""
    for word in reversed(words):
        token = word.group()
        if token.lower() in rules.acronym_skip:
            continue
        if not token[:1].isupper():
            return None
        initials = token[0] + initials
        if initials == letters:
            return word.start(), end
        if not letters.endswith(initials):
            return None
    return None


def _teams(text: str, mentions: list[_Candidate]) -> None:
    """A place's name that names a side ("India beat South Africa") becomes an unknown organisation
    of that name: the team, not the country the table knows."""
    teams = {
        text[m.start : m.end] for m in mentions if m.type != PERSON and reads_as_team(text, m.start, m.end)
    }
    for mention in mentions:
        surface = text[mention.start : mention.end]
        # The side's other mentions go with it, but "in India", "tours of Australia" stay places.
        if (
            mention.type == PLACE
            and surface in teams
            and not _TEAM_PLACE_BEFORE.search(text, max(0, mention.start - 30), mention.start)
        ):
            mention.type, mention.records, mention.entity_key = ORGANIZATION, (), None
            mention.name = normalise_name(surface)


def _places_before_places(text: str, mentions: list[_Candidate]) -> None:
    """A name only the model read, followed by a comma and a place the table knows, is a place:
    "Youngsville, Louisiana", "Calama, Chile" ("Toyota, Japan's biggest carmaker" is not)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for mention, following in pairwise(ordered):
        if (
            mention.type != PLACE
            and mention.sources <= _MODEL_ONLY
            and not mention.records
            and _COMMA_GAP.fullmatch(text, mention.end, following.start)
            and following.records
            and following.type == PLACE
            and not _NOT_LOCATING.match(text, following.end)
        ):
            mention.type = PLACE


def _outside_title_case(text: str, mentions: list[_Candidate]) -> list[_Candidate]:
    """Drop names read only in a title-case headline, the text's first line ("China Stocks Jump Most
    ..."): there capitals say nothing, so a name the table does not know stands only when the text
    repeats it further down."""
    end = text.find("\n")
    if end < 0 or not title_case(text[:end]):
        return mentions
    return [m for m in mentions if m.records or m.start >= end or text.find(text[m.start : m.end], end) >= 0]


def _choose_shared(mentions: list[_Candidate]) -> None:
    """Pick one entity for an alias several share: one named elsewhere in the text, else the model's type."""
    named = {m.records[0].entity_key for m in mentions if len({r.entity_key for r in m.records}) == 1}
    for mention in mentions:
        if len({r.entity_key for r in mention.records}) < 2:
            continue
        ranked = sorted(
            mention.records,
            key=lambda r: (r.entity_key not in named, r.type != mention.model_type, r.ambiguous),
        )
        mention.records = (ranked[0],)
        mention.confidence -= SHARED_ALIAS_PENALTY


def _unify_unknown_types(mentions: list[_Candidate]) -> None:
    """An unknown name keeps one type within a text: the one a shape, a title or the context gave its
    mentions when any did ("platinum miner Umzimvubu" types the eight bare "Umzimvubu" the model read
    as a place), else the one most of the model's readings have."""
    ruled: dict[str, Counter] = {}
    read: dict[str, Counter] = {}
    for m in mentions:
        if not m.records and m.entity_key is None:
            (read if m.sources <= _MODEL_ONLY else ruled).setdefault(m.name, Counter())[m.type] += 1
    for m in mentions:
        if not m.records and m.entity_key is None:
            types = ruled.get(m.name) or read[m.name]
            if len(types) > 1 or m.type not in types:
                m.type = types.most_common(1)[0][0]


def _found(text: str, mention: _Candidate) -> FoundMention:
    key, name, type_ = _identity(mention)
    return FoundMention(
        entity_key=key,
        name=name,
        type=type_,
        start=mention.start,
        end=mention.end,
        text=text[mention.start : mention.end],
        confidence=round(mention.confidence, 3),
        method=mention.method,
    )


def _suggestions(text: str, mentions: list[FoundMention]) -> list[Suggestion]:
    groups: dict[tuple[str, str], list[FoundMention]] = {}
    for m in mentions:
        if m.entity_key is None:
            groups.setdefault((m.name, m.type), []).append(m)
    suggestions = []
    for (name, type_), group in groups.items():
        examples = tuple(dict.fromkeys(_passage(text, m) for m in group))[:MAX_EXAMPLES]
        texts = tuple(dict.fromkeys(m.text for m in group))
        suggestions.append(
            Suggestion(name=name, type=type_, count=len(group), examples=examples, texts=texts)
        )
    suggestions.sort(key=lambda s: (-s.count, s.name))
    return suggestions


def _passage(text: str, mention: FoundMention) -> str:
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.end)
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, mention.start - EXAMPLE_CHARS)
    end = min(line_end, mention.end + EXAMPLE_CHARS)
    passage = " ".join(text[start:end].split())
    return ("…" if start > line_start else "") + passage + ("…" if end < line_end else "")
