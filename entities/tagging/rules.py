"""The rule data files under ``data/``, loaded once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .types import ORGANIZATION, PLACE

_PACKAGE = "entities.tagging"
_GAP = r"[^\S\n]+"  # spaces between the words of one phrase, never a line break
_LETTERS = re.compile(r"[^\W\d_]+")


def data_text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath("data").joinpath(name).read_text(encoding="utf-8")


def data_json(name: str):
    return json.loads(data_text(name))


def data_lines(name: str) -> list[str]:
    """Non-blank lines of a data file, without ``#`` comment lines."""
    lines = (line.strip() for line in data_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class NameRules:
    """Titles, descriptors, particles and the other word lists of in-article resolution."""

    titles: re.Pattern[str]  # one title, on word boundaries
    title_starts: frozenset[str]  # the letters each title opens with, case-folded ("attorney", "dato")
    determiners: re.Pattern[str]  # "the" opening a span
    not_names: frozenset[str]
    particles: frozenset[str]
    acronym_skip: frozenset[str]
    place_cues: frozenset[str]  # words before an ambiguous alias that make it a place
    heads: dict[str, str]  # words that end a name and give its type ("Ministry", "Airport")
    place_openers: frozenset[str]  # words that open a place's name ("Lake", "Highway")
    org_openers: frozenset[str]  # words that open an organisation's name ("Banque", "Universiti")
    org_connectors: frozenset[str]  # lower-case words inside an organisation's name
    legal_forms: frozenset[str]  # "plc", "AG", "Holdings": what a company's short name leaves off
    body_before_place: frozenset[str]  # "Athletics" of "Athletics Kenya"
    body_after_place: frozenset[str]  # "Power" of "Kenya Power"
    portfolios: frozenset[str]  # "Resources" of "Minister of Mineral and Petroleum Resources"
    groups: frozenset[str]  # "People" of "People's Court": a possessive inside a name


@cache
def name_rules() -> NameRules:
    titles = sorted(set(data_lines("titles.txt")), key=lambda t: (-len(t), t))
    alternatives = []
    for title in titles:
        body = _GAP.join(re.escape(word) for word in title.split())
        # A title in lower case matches either case; a capitalised one only as written.
        alternatives.append(f"(?i:{body})" if title == title.lower() else body)
    return NameRules(
        titles=re.compile(rf"(?<![\w.-])(?:{'|'.join(alternatives)})(?:(?<=\.)|(?![\w-]))"),
        title_starts=frozenset(_LETTERS.match(title).group().casefold() for title in titles),
        determiners=re.compile(r"^(?:the|The|THE)" + _GAP),
        not_names=frozenset(data_lines("not_names.txt")),
        particles=frozenset(data_lines("name_particles.txt")),
        acronym_skip=frozenset(data_lines("acronym_skip.txt")),
        place_cues=frozenset(data_lines("place_cues.txt")),
        heads={
            **dict.fromkeys(data_lines("place_heads.txt"), PLACE),
            **dict.fromkeys(data_lines("org_heads.txt"), ORGANIZATION),
        },
        place_openers=frozenset(data_lines("place_openers.txt")),
        org_openers=frozenset(data_lines("org_openers.txt")),
        org_connectors=frozenset(data_lines("org_connectors.txt")),
        legal_forms=frozenset(data_lines("legal_forms.txt")),
        body_before_place=frozenset(data_json("place_bodies.json")["before"]),
        body_after_place=frozenset(data_json("place_bodies.json")["after"]),
        portfolios=frozenset(data_lines("portfolio_words.txt")),
        groups=frozenset(data_lines("possessive_groups.txt")),
    )
