"""Page metadata: headline, dates, authors, language, canonical address, section, tags, image."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import html as lxml_html

from .dates import parse_date_value
from .html import absolute_url
from .normalize import fold
from .rules import metadata_keys
from .types import PRECISION_DAY, PRECISION_UNKNOWN

# JSON-LD blocks beyond this size are not metadata worth parsing.
_MAX_JSONLD_CHARS = 200_000
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:·•»]|::)\s+")
_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*")
_TAG_SEPARATOR = re.compile(r"\s*[,;]\s*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


@dataclass
class PageMetadata:
    headline: str = ""
    published: dt.datetime | dt.date | None = None
    published_precision: str = PRECISION_UNKNOWN
    updated: dt.datetime | dt.date | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    lead_image: str | None = None
    site_name: str | None = None


def page_metadata(tree: lxml_html.HtmlElement, document, source_url: str | None) -> PageMetadata:
    """What the page states about its article; ``document`` is trafilatura's reading of it."""
    keys = metadata_keys()
    metas = _meta_values(tree)
    article = _jsonld_article(tree, keys["article_types"])
    site_name = fold(document.sitename or "") or None
    canonical = _canonical_url(tree, metas, document, source_url)

    published, precision = _first_date(
        [
            *_values(metas, keys["published"]),
            *_jsonld_values(article, keys["jsonld_published"]),
            *_itemprop(tree),
        ]
    )
    if published is None and document.date:
        # htmldate's finding: a day at best, from wherever on the page it found one.
        published, precision = parse_date_value(document.date)
        if published is not None:
            published, precision = _as_date(published), PRECISION_DAY
    updated, _ = _first_date(
        [*_values(metas, keys["modified"]), *_jsonld_values(article, keys["jsonld_modified"])]
    )

    authors = [fold(a) for a in _AUTHOR_SEPARATOR.split(document.author or "") if fold(a)]
    tags = _tags(
        [*_values(metas, keys["tags"]), *_jsonld_values(article, keys["jsonld_tags"]), *(document.tags or [])]
    )
    section = next(iter(_values(metas, keys["section"])), None) or next(
        iter(_jsonld_values(article, keys["jsonld_section"])), None
    )
    image = absolute_url(document.image, canonical) if document.image else None
    return PageMetadata(
        headline=headline_without_site(fold(document.title or ""), site_name),
        published=published,
        published_precision=precision if published is not None else PRECISION_UNKNOWN,
        updated=updated,
        authors=authors,
        language=_language(tree, metas, keys["language"]),
        canonical_url=canonical,
        section=fold(section)[:200] if section else None,
        tags=tags,
        lead_image=image if image and image.startswith("http") else None,
        site_name=site_name,
    )


def headline_without_site(title: str, site_name: str | None) -> str:
    """ "Putin seeks framework - Arab Times" -> "Putin seeks framework" when the site is Arab Times."""
    if not site_name or not title:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1 and parts[-1].casefold() == site_name.casefold():
        return fold(title[: title.casefold().rindex(site_name.casefold())]).rstrip(" -|–—:·•»")
    if len(parts) > 1 and parts[0].casefold() == site_name.casefold():
        return fold(title[len(site_name) :]).lstrip(" -|–—:·•»")
    return title


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def _values(metas: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in metas.get(key, ())]


def _itemprop(tree: lxml_html.HtmlElement) -> Iterator[str]:
    for element in tree.xpath('//*[@itemprop="datePublished"]'):
        value = element.get("datetime") or element.get("content")
        if value:
            yield value


def _first_date(values: list[str]) -> tuple[dt.datetime | dt.date | None, str]:
    for value in values:
        parsed, precision = parse_date_value(value)
        if parsed is not None:
            return parsed, precision
    return None, PRECISION_UNKNOWN


def _as_date(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _jsonld_article(tree: lxml_html.HtmlElement, article_types: tuple[str, ...]) -> dict:
    """The first JSON-LD object whose @type is an article type; {} if none."""
    wanted = set(article_types)
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = script.text or ""
        if len(text) > _MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for item in _jsonld_objects(data):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if wanted.intersection(t for t in types if isinstance(t, str)):
                return item
    return {}


def _jsonld_objects(data, depth: int = 0) -> Iterator[dict]:
    # JSON-LD nests articles in lists and @graph; a few levels is all real pages use.
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _jsonld_objects(data["@graph"], depth + 1)


def _jsonld_values(article: dict, keys: tuple[str, ...]) -> list[str]:
    values = []
    for key in keys:
        value = article.get(key)
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            values.extend(v for v in value if isinstance(v, str))
    return values


def _tags(values: list[str]) -> list[str]:
    tags: dict[str, str] = {}
    for value in values:
        for tag in _TAG_SEPARATOR.split(value):
            tag = fold(tag)
            if tag and len(tag) <= 100:
                tags.setdefault(tag.casefold(), tag)
    return list(tags.values())[:50]


def _language(tree: lxml_html.HtmlElement, metas: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    candidates = [tree.get("lang") or "", tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""]
    candidates += _values(metas, keys)
    for candidate in candidates:
        code = candidate.strip().lower().replace("_", "-")
        if _LANGUAGE.fullmatch(code):
            return code
    return None


def _canonical_url(
    tree: lxml_html.HtmlElement, metas: dict[str, list[str]], document, source_url: str | None
) -> str | None:
    candidates = [link.get("href") or "" for link in tree.xpath('//link[@rel="canonical"]')]
    candidates += metas.get("og:url", [])
    candidates.append(document.url or "")
    for candidate in candidates:
        url = absolute_url(candidate, source_url) if candidate else None
        if url and url.startswith(("http://", "https://")):
            return url
    return source_url
