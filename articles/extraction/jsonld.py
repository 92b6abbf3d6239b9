"""JSON-LD: the page's schema.org objects, the one that describes its article, and values read from it."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import html as lxml_html

from .normalize import fold

# JSON-LD blocks beyond this size are not metadata worth parsing, and no page needs more
# objects than this; both bound the work a hostile page can cause.
MAX_BLOCK_CHARS = 200_000
MAX_OBJECTS = 2_000
_MAX_DEPTH = 12
_COMMENT_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_TAG = re.compile(r"<[^<>]{0,500}>")
ORGANISATION_TYPES = frozenset(
    {"Organization", "NewsMediaOrganization", "Corporation", "NGO", "GovernmentOrganization", "NewsAgency"}
)


@dataclass
class JsonLd:
    """Every object of the page's JSON-LD blocks, with ``@id`` references resolvable."""

    objects: list[dict] = field(default_factory=list)
    by_id: dict[str, dict] = field(default_factory=dict)

    def resolve(self, value):
        """The object a ``{"@id": ...}`` reference names, or the value itself."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def article(self, article_types: tuple[str, ...], canonical_url: str | None = None) -> dict:
        """The object that describes the article: of the most specific type, preferring the canonical one.

        ``article_types`` is ranked: a NewsArticle beats the WebPage around it.
        """
        rank = {name: position for position, name in enumerate(article_types)}
        best: tuple[int, int, int] | None = None
        chosen: dict = {}
        for index, item in enumerate(self.objects):
            positions = [rank[t] for t in types_of(item) if t in rank]
            if not positions:
                continue
            # Of equal types, the object about the canonical page, then the first, wins.
            about_other_page = int(bool(canonical_url) and not _is_about(item, canonical_url))
            key = (min(positions), about_other_page, index)
            if best is None or key < best:
                best, chosen = key, item
        return chosen


def read_jsonld(tree: lxml_html.HtmlElement) -> JsonLd:
    """All JSON-LD objects on the page; unreadable blocks are skipped, slightly broken ones repaired."""
    found = JsonLd()
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        text = script.text or ""
        if not text.strip() or len(text) > MAX_BLOCK_CHARS:
            continue
        data = _loads(text)
        if data is None:
            continue
        for item in _objects(data, 0):
            if len(found.objects) >= MAX_OBJECTS:
                return found
            found.objects.append(item)
            if isinstance(item.get("@id"), str):
                found.by_id.setdefault(item["@id"], item)
    return found


def types_of(item: dict) -> list[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    # "schema:NewsArticle" and "http://schema.org/NewsArticle" name the same type.
    return [v.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)]


def is_organisation(item: dict) -> bool:
    return bool(ORGANISATION_TYPES.intersection(types_of(item)))


def strings(value, jsonld: JsonLd | None = None, keys: tuple[str, ...] = ("name",)) -> list[str]:
    """Text values of a property: a string, a list of them, or objects holding one under ``keys``."""
    found: list[str] = []
    for item in _as_list(value):
        if jsonld is not None:
            item = jsonld.resolve(item)
        if isinstance(item, str):
            found.append(clean_text(item))
        elif isinstance(item, int | float) and not isinstance(item, bool):
            found.append(str(item))
        elif isinstance(item, dict):
            for key in keys:
                inner = item.get(key)
                if isinstance(inner, str | list) and inner:
                    found.extend(strings(inner))
                    break
    return [text for text in found if text]


def urls(value, jsonld: JsonLd | None = None) -> list[str]:
    """URLs of a property: a string, a list, or objects (ImageObject, WebPage) with url/contentUrl/@id."""
    return [u.strip() for u in strings(value, jsonld, keys=("url", "contentUrl", "@id")) if u.strip()]


PERSON = "person"
ORGANISATION = "organisation"
TEXT = "text"


def people(value, jsonld: JsonLd) -> list[tuple[str, str]]:
    """Names in an author property, each with what states it: a Person, an Organization or bare text.

    Authors come as a string, a Person object, an ``@id`` reference to one, or a list of
    any of these; an Organization as author is a credit, not a person.
    """
    found: list[tuple[str, str]] = []
    for item in _as_list(value):
        item = jsonld.resolve(item)
        if isinstance(item, str):
            found.append((clean_text(item), TEXT))
        elif isinstance(item, dict):
            found.append((_name(item), ORGANISATION if is_organisation(item) else PERSON))
    return [(name, kind) for name, kind in found if name]


def clean_text(value: str) -> str:
    """JSON-LD text as shown: entities decoded (script text is not), tags dropped, whitespace folded."""
    if "&" in value:
        value = html.unescape(value)
    if "<" in value:
        value = _TAG.sub(" ", value)
    return fold(value)


def _name(item: dict) -> str:
    names = strings(item.get("name"))
    if names:
        return names[0]
    given, family = strings(item.get("givenName")), strings(item.get("familyName"))
    return fold(" ".join([*given[:1], *family[:1]]))


def _is_about(item: dict, canonical_url: str) -> bool:
    wanted = canonical_url.rstrip("/")
    for key in ("url", "mainEntityOfPage", "@id"):
        for url in urls(item.get(key)):
            if url.split("#", 1)[0].rstrip("/") == wanted:
                return True
    return False


def _loads(text: str):
    text = _COMMENT_WRAPPERS.sub("", text.strip())
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            # strict=False: raw newlines and tabs inside strings are common and harmless.
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _objects(data, depth: int) -> Iterator[dict]:
    """Objects at the top of a block, in lists, under @graph and as a page's main entity."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        # Not itemListElement: a home page lists many articles, none of them its own.
        for key in ("@graph", "mainEntity"):
            if key in data and isinstance(data[key], list | dict):
                yield from _objects(data[key], depth + 1)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
