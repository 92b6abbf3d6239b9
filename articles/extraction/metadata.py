"""Page metadata: what an HTML page states about its article, read in a fixed order of trust.

Every field is taken from the most trusted source that states it; a less trusted
source never overrides it, and may only add precision a date lacks (see below).
The order, most trusted first (docs/extraction.md has it field by field):

1. JSON-LD: the schema.org object that describes the article (NewsArticle and its
   kinds first, then Article, BlogPosting, ..., WebPage), found in lists, in @graph
   and as a page's mainEntity, with ``@id`` references resolved. Publishers write it
   for search engines, field by field, so it is the most deliberate statement.
2. Open Graph and article:* properties (og:title, article:published_time, ...), and
   Twitter cards: written for link previews, as deliberately, less precisely typed.
3. Other meta tags: Parse.ly (parsely-*, also the parsely-page JSON), Sailthru
   (sailthru.*), Dublin Core (dc.*, dcterms.*) and the plain names (author, date,
   keywords, ...), in the order listed in data/metadata.json.
4. Microdata and markup: itemprop values, <time datetime> in the article or its
   byline, <link rel=author>, the <title>, the <h1>.
5. The visible byline ("By Jane Doe, Reuters") and credit lines ("(Reuters)", "— AFP").
6. Trafilatura's and htmldate's guesses, when nothing above states the field.

Exceptions, each for a reason: the canonical address is <link rel=canonical> first
(it exists for exactly that), and the language is the <html lang> first (the
statement browsers and search engines act on). Dates: a less trusted value may
refine the chosen one when it agrees with everything the chosen one states: a
bare day gains the time of a same-day timestamp, a time without a zone gains the
zone of an identical time. An update dated before publication is dropped.

Authors come from the most trusted source that names any person; organisations
named as authors, in bylines or as ``sourceOrganization`` are credits. The agency
is the first credit, in the order above, that names an agency in data/agencies.json
(a specific agency before a catch-all one such as "Agencies"); the JSON-LD
publisher counts last, as the site itself.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .byline import Byline, credit_line, is_generic_agency, known_agency, parse_byline, person_name
from .dateline import parse_dateline
from .dates import is_before, parse_date_value, same_day
from .html import absolute_url
from .jsonld import (
    ORGANISATION,
    PERSON,
    TEXT,
    JsonLd,
    clean_text,
    people,
    read_jsonld,
    strings,
    types_of,
    urls,
)
from .normalize import fold
from .rules import _data_json, agency_key, metadata_keys
from .sanitize import image_url_allowed
from .types import PRECISION_DAY, PRECISION_MINUTE, PRECISION_UNKNOWN, Dateline

_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:·•»]|::)\s+")
_TAG_SEPARATOR = re.compile(r"\s*[,;]\s*")
_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*")
# Tags for machines, not readers: "type: report", "section=news", links.
_MACHINE_TAG = re.compile(r"^[a-z_]+:\s?\S|=|://")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")
_ELLIPSIS = ("…", "...")
_MAX_HEADLINE_CHARS = 500
_MAX_META_CHARS = 5_000
_MAX_TAGS = 50
_MAX_TAG_CHARS = 100
_MAX_AUTHORS = 10
# Bylines and credit lines are looked for among this many candidates, which bounds the
# work on an enormous page.
_MAX_BYLINE_ELEMENTS = 40
_MAX_CREDIT_PARAGRAPHS = 400
_MAX_ANCESTORS = 12
_MAX_SHOWN_DATE_CHARS = 80
_XHTML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# JSON-LD types among data/metadata.json's article_types that any page may carry.
_NOT_ARTICLE_TYPES = frozenset({"WebPage", "VideoObject"})


@dataclass
class PageMetadata:
    """What a page states about its article; the module docstring says where each field comes from."""

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
    # The page's own summary (JSON-LD ``description``, ``og:description``, ``<meta name=description>``).
    description: str | None = None
    site_name: str | None = None
    # The credit as the page states it ("Agence France-Presse", "The Washington Post"),
    # and the canonical name of the agency it names when that is a known one ("AFP").
    credit: str | None = None
    agency: str | None = None
    # A dateline the page states apart from the text (JSON-LD ``dateline``).
    dateline: Dateline | None = None
    # Whether the page says it is an article (og:type "article", a JSON-LD article type,
    # article:published_time), as index and home pages do not.
    says_article: bool = False


@dataclass
class _Page:
    """The page's metadata sources, read once."""

    tree: lxml_html.HtmlElement
    metas: dict[str, list[str]]
    jsonld: JsonLd
    article: dict
    document: object
    base_url: str | None
    keys: dict[str, tuple[str, ...]]
    site_name: str | None = None
    shown_dates: list[tuple[str, bool]] | None = None
    with_itemprop: list[lxml_html.HtmlElement] | None = None

    def meta(self, kind: str) -> list[str]:
        return [value for key in self.keys[kind] for value in self.metas.get(key, ())]

    def jsonld_values(self, kind: str, keys: tuple[str, ...] = ("name",)) -> list[str]:
        return [
            value for key in self.keys[kind] for value in strings(self.article.get(key), self.jsonld, keys)
        ]

    def itemprop(self, name: str) -> list[lxml_html.HtmlElement]:
        """Elements whose itemprop names ``name``, in page order; the page is searched once."""
        if self.with_itemprop is None:
            self.with_itemprop = _WITH_ITEMPROP(self.tree)
        return _named(self.with_itemprop, name)

    def found(self, name: str) -> str:
        """A value of trafilatura's reading of the page ('' when it has none)."""
        value = getattr(self.document, name, None) if self.document is not None else None
        return value if isinstance(value, str) else ""


def page_metadata(
    tree: lxml_html.HtmlElement, document=None, source_url: str | None = None, jsonld: JsonLd | None = None
) -> PageMetadata:
    """What the page states about its article; ``document`` is trafilatura's reading of it, if any,
    and ``jsonld`` the page's JSON-LD when it was read already."""
    keys = metadata_keys()
    metas = _meta_values(tree)
    jsonld = jsonld if jsonld is not None else read_jsonld(tree)
    stated_canonical = _canonical_url(tree, metas, keys, {}, None, source_url, fall_back=False)
    article = jsonld.article(keys["article_types"], stated_canonical)
    page = _Page(tree, metas, jsonld, article, document, source_url, keys)
    canonical = _canonical_url(tree, metas, keys, article, document, source_url, fall_back=True)
    page.base_url = canonical or source_url
    page.site_name = _site_name(page)

    published, precision = _choose_date(_published_values(page))
    if published is None and page.found("date"):
        # htmldate's finding: a day at best, from wherever on the page it found one.
        published, _ = parse_date_value(page.found("date"))
        if published is not None:
            published, precision = _day(published), PRECISION_DAY
    updated, _ = _choose_date(_modified_values(page))
    if updated is not None and published is not None and is_before(updated, published):
        updated = None

    authors, credits = _authors_and_credits(page)
    credit, agency = _credit(page, credits)
    return PageMetadata(
        headline=_headline(page),
        published=published,
        published_precision=precision if published is not None else PRECISION_UNKNOWN,
        updated=updated,
        authors=authors,
        language=_language(page),
        canonical_url=canonical,
        section=_section(page),
        tags=_tags(page),
        lead_image=_lead_image(page),
        description=_description(page),
        site_name=page.site_name,
        credit=credit,
        agency=agency,
        dateline=_dateline(page),
        says_article=_says_article(page),
    )


def _says_article(page: _Page) -> bool:
    if any(value.casefold() == "article" for value in page.metas.get("og:type", ())):
        return True
    if "article:published_time" in page.metas:
        return True
    return bool(set(types_of(page.article)) - _NOT_ARTICLE_TYPES)


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


# --- Sources ----------------------------------------------------------------------


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content or len(content) > _MAX_META_CHARS:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), []).append(content.strip())
    for page_json in values.get("parsely-page", [])[:1]:
        _add_parsely_page(values, page_json)
    return values


def _add_parsely_page(values: dict[str, list[str]], text: str) -> None:
    """Parse.ly's older single tag: a JSON object with what the parsely-* tags state one by one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    for name, key in (
        ("title", "parsely-title"),
        ("link", "parsely-link"),
        ("author", "parsely-author"),
        ("authors", "parsely-author"),
        ("pub_date", "parsely-pub-date"),
        ("section", "parsely-section"),
        ("tags", "parsely-tags"),
        ("image_url", "parsely-image-url"),
    ):
        for value in data.get(name) if isinstance(data.get(name), list) else [data.get(name)]:
            if isinstance(value, str) and value.strip():
                values.setdefault(key, []).append(html_lib.unescape(value.strip()))


# Compiled once: a page is searched with these several times, and matching tokens of an
# attribute in Python is cheaper than XPath's string functions on every element.
_WITH_ITEMPROP = etree.XPath("//*[@itemprop]")
_WITH_ITEMPROP_BELOW = etree.XPath(".//*[@itemprop]")


def _named(elements: list[lxml_html.HtmlElement], name: str) -> list[lxml_html.HtmlElement]:
    return [element for element in elements if name in (element.get("itemprop") or "").split()]


def _itemprop_values(page: _Page, name: str) -> Iterator[str]:
    for element in page.itemprop(name)[:20]:
        if element.tag == "meta":
            continue  # already read with the other meta tags
        value = element.get("datetime") or element.get("content") or _text(element)
        if value:
            yield value


def _text(element: lxml_html.HtmlElement) -> str:
    return fold(" ".join(element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")))


# --- Headline, site name, canonical address, language -----------------------------


def _site_name(page: _Page) -> str | None:
    publisher = strings(page.article.get("publisher"), page.jsonld)
    websites = [
        name
        for item in page.jsonld.objects
        if "WebSite" in types_of(item)
        for name in strings(item.get("name"))
    ]
    for candidate in [*page.meta("site_name"), *publisher, *websites, page.found("sitename")]:
        name = fold(html_lib.unescape(candidate))
        if name and len(name) <= 200:
            return name
    return None


def _headline(page: _Page) -> str:
    """The headline, by trust; the site's name is taken off it, and a truncated one completed."""
    site = page.site_name
    candidates = [
        *page.jsonld_values("jsonld_headline"),
        *page.meta("headline"),
        *_itemprop_values(page, "headline"),
        *_titles(page.tree),
        *_h1(page.tree),
        page.found("title"),
    ]
    cleaned = []
    for candidate in candidates:
        text = headline_without_site(fold(html_lib.unescape(candidate)), site)
        # A title that is only the site's name is the site's default, not this page's headline.
        if text and len(text) <= _MAX_HEADLINE_CHARS and not (site and text.casefold() == site.casefold()):
            cleaned.append(text)
    if not cleaned:
        return ""
    chosen = cleaned[0]
    if chosen.endswith(_ELLIPSIS):
        stem = chosen.rstrip(".… ").casefold()
        # JSON-LD headlines are often cut at 110 characters; a later source may have it whole.
        longer = next((c for c in cleaned[1:] if c.casefold().startswith(stem) and len(c) > len(stem)), None)
        chosen = longer or chosen
    return chosen


def _titles(tree: lxml_html.HtmlElement) -> list[str]:
    titles = tree.xpath("//head/title/text()") or tree.xpath("//title[not(ancestor::svg)]/text()")
    return [str(title) for title in titles[:1]]


def _h1(tree: lxml_html.HtmlElement) -> list[str]:
    headings = tree.xpath("//article//h1") or tree.xpath("//h1")
    # Several <h1> on a page are a template's, not the article's.
    return [_text(headings[0])] if len(headings) == 1 or tree.xpath("//article//h1") else []


def _canonical_url(
    tree: lxml_html.HtmlElement,
    metas: dict[str, list[str]],
    keys: dict[str, tuple[str, ...]],
    article: dict,
    document,
    source_url: str | None,
    *,
    fall_back: bool,
) -> str | None:
    candidates = [
        link.get("href") or ""
        for link in tree.xpath("//link[@rel and @href]")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates += [value for key in keys["canonical"] for value in metas.get(key, ())]
    if fall_back:
        candidates += urls(article.get("url")) + urls(article.get("mainEntityOfPage"))
        url = getattr(document, "url", None) if document is not None else None
        candidates.append(url if isinstance(url, str) else "")
    for candidate in candidates:
        url = absolute_url(_unescaped_url(candidate), source_url) if candidate else None
        if url and url.startswith(("http://", "https://")) and not _is_home_of(url, source_url):
            return url
    return source_url if fall_back else None


def _is_home_of(url: str, source_url: str | None) -> bool:
    # A canonical pointing at the site's home page from a deeper page is a template bug.
    try:
        path, source_path = urlsplit(url).path, urlsplit(source_url).path if source_url else ""
    except ValueError:
        return True
    return path.strip("/") == "" and source_path.strip("/") != ""


def _language(page: _Page) -> str | None:
    tree = page.tree
    candidates = [tree.get("lang") or "", tree.get(_XHTML_LANG) or ""]
    candidates += page.jsonld_values("jsonld_language", keys=("alternateName", "name"))
    candidates += page.meta("language")
    for candidate in candidates:
        code = candidate.strip().lower().replace("_", "-")
        if _LANGUAGE.fullmatch(code):
            return code
    return None


# --- Dates ------------------------------------------------------------------------


def _published_values(page: _Page) -> Iterator[str]:
    yield from page.jsonld_values("jsonld_published")
    yield from page.meta("published")
    yield from _itemprop_values(page, "datePublished")
    yield from _time_values(page, modified=False)


def _modified_values(page: _Page) -> Iterator[str]:
    yield from page.jsonld_values("jsonld_modified")
    yield from page.meta("modified")
    yield from _itemprop_values(page, "dateModified")
    yield from _time_values(page, modified=True)


def _time_values(page: _Page, *, modified: bool) -> Iterator[str]:
    """Dates shown with the article: <time> marked as the publication time or in the article or its
    byline, then short elements whose class says date ("Published on March 02, 2025")."""
    if page.shown_dates is None:
        page.shown_dates = list(_shown_dates(page.tree))
    return (value for value, is_update in page.shown_dates if is_update == modified)


_PUBDATE_TIMES = etree.XPath("//time[@pubdate]")
# Elements whose class says they show a date, with at most two child elements: the date
# itself ("Published on March 02, 2025"), not a whole header that has one.
_DATE_CLASS = re.compile("date|publish|posted|timestamp|updated|modified")
_MAX_DATE_CHILDREN = 2
# A <time> counts when it is in the article, under an element whose class says byline,
# meta, date or time, or when its own class says date, publish, updated or modified.
_TIME_SCOPE_WORDS = ("byline", "meta", "date", "time")
_TIME_OWN_WORDS = ("date", "publish", "updated", "modified")


def _shown_dates(tree: lxml_html.HtmlElement) -> Iterator[tuple[str, bool]]:
    marked = _PUBDATE_TIMES(tree)
    scoped = [element for element in tree.iter("time") if _dated_time(element)]
    shown = (
        element for element in _date_class_elements(tree) if element.tag not in ("time", "script", "style")
    )
    for element in [*marked[:5], *scoped[:20], *itertools.islice(shown, 20)]:
        value = element.get("datetime") or _text(element)
        if not value or len(value) > _MAX_SHOWN_DATE_CHARS:
            continue
        label = " ".join([element.get("class") or "", element.get("itemprop") or "", value[:20]]).lower()
        yield value, any(word in label for word in ("updat", "modif"))


def _date_class_elements(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """Elements whose class says they show a date and that hold at most two elements, in page order."""
    for element in _document_elements(tree):
        label = element.get("class")
        if (
            label
            and _DATE_CLASS.search(label)
            and sum(1 for _ in element.iterchildren(etree.Element)) <= _MAX_DATE_CHILDREN
        ):
            yield element


def _dated_time(element: lxml_html.HtmlElement) -> bool:
    own = element.get("class") or ""
    if any(word in own for word in _TIME_OWN_WORDS):
        return True
    for ancestor in element.iterancestors():
        if ancestor.tag == "article":
            return True
        label = ancestor.get("class")
        if label and any(word in label for word in _TIME_SCOPE_WORDS):
            return True
    return False


def _choose_date(values: Iterable[str]) -> tuple[dt.datetime | dt.date | None, str]:
    """The first readable date, refined by later ones that agree with it (a time for a day, a zone)."""
    chosen: dt.datetime | dt.date | None = None
    precision = PRECISION_UNKNOWN
    for value in values:
        parsed, parsed_precision = parse_date_value(value)
        if parsed is None:
            continue
        if chosen is None or _refines(chosen, precision, parsed, parsed_precision):
            chosen, precision = parsed, parsed_precision
        if isinstance(chosen, dt.datetime) and chosen.tzinfo is not None:
            break
    return chosen, precision


def _refines(
    chosen: dt.datetime | dt.date, precision: str, other: dt.datetime | dt.date, other_precision: str
) -> bool:
    """Whether ``other`` states all ``chosen`` states and more: the time of its day, or its time's zone."""
    if not isinstance(other, dt.datetime):
        return False
    if precision == PRECISION_DAY:
        return other_precision == PRECISION_MINUTE and same_day(chosen, other)
    return (
        isinstance(chosen, dt.datetime)
        and chosen.tzinfo is None
        and other.tzinfo is not None
        and other.replace(tzinfo=None) == chosen
    )


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- People and credits -----------------------------------------------------------


def _authors_and_credits(page: _Page) -> tuple[list[str], list[str]]:
    """Authors from the most trusted source naming any; credits from every source, in trust order."""
    site = page.site_name
    sources: list[Byline] = []

    jsonld_byline = Byline()
    for key in page.keys["jsonld_author"]:
        for text, kind in people(page.article.get(key), page.jsonld):
            if kind == ORGANISATION:
                if _usable_credit(text, site):
                    jsonld_byline.add_credit(text)
            elif kind == TEXT or _looks_composite(text):
                # Bare text, or a Person named like a whole byline ("Jane Doe and John Roe, Reuters").
                parsed = parse_byline(text, site if kind == TEXT else None, labelled=True)
                jsonld_byline.merge(parsed)
                if kind == PERSON and not parsed.authors and (name := person_name(text)):
                    jsonld_byline.add_author(name)
            elif name := person_name(text):
                # A typed Person is a person even when the site bears their name (a personal blog).
                jsonld_byline.add_author(name)
            elif known_agency(text):
                jsonld_byline.add_credit(text)
    sources.append(jsonld_byline)

    for key in page.keys["author"]:
        for value in page.metas.get(key, ()):
            if not value.lower().startswith(("http://", "https://", "//")):
                sources.append(parse_byline(html_lib.unescape(value), site, labelled=True))
    sources.append(_microdata_byline(page, site))
    sources.append(_rel_author_byline(page.tree, site))
    sources.extend(_visible_bylines(page.tree, site))
    for text in _AUTHOR_SEPARATOR.split(page.found("author")):
        sources.append(parse_byline(text, site))

    # The first source that names the author decides; one naming only an organisation (an
    # agency's story: author "AFP") leaves no person to find further down.
    authors = next((source.authors for source in sources if source.authors or source.credits), [])
    credits = [credit for source in sources for credit in source.credits]
    return authors[:_MAX_AUTHORS], credits


def _looks_composite(text: str) -> bool:
    return any(mark in text for mark in (",", "|", ";", "/", " and ", " & ", "(")) or text.lower().startswith(
        "by "
    )


def _microdata_byline(page: _Page, site: str | None) -> Byline:
    byline = Byline()
    for element in page.itemprop("author")[:_MAX_BYLINE_ELEMENTS]:
        if element.tag == "meta" or _outside_article(element):
            continue
        # A Person with its own itemprop=name states the name; otherwise the element is a byline.
        names = [_text(name) for name in _named(_WITH_ITEMPROP_BELOW(element), "name")]
        if names:
            for text in names:
                if name := person_name(text, site):
                    byline.add_author(name)
                elif known_agency(text):
                    byline.add_credit(fold(text))
        else:
            byline.merge(parse_byline(_text(element), site, labelled=True))
        if len(byline.authors) >= _MAX_AUTHORS:
            break
    return byline


_ANCHORS_WITH_REL = etree.XPath("//a[@rel]")


def _rel_author_byline(tree: lxml_html.HtmlElement, site: str | None) -> Byline:
    byline = Byline()
    anchors = [anchor for anchor in _ANCHORS_WITH_REL(tree) if "author" in (anchor.get("rel") or "").split()]
    for anchor in anchors[:10]:
        if _outside_article(anchor):
            continue
        name = person_name(_text(anchor), site)
        if name and parse_byline(name, site).authors:
            byline.add_author(name)
    return byline


def _visible_bylines(tree: lxml_html.HtmlElement, site: str | None) -> list[Byline]:
    """Bylines as printed: elements whose class or id says byline or author, in page order."""
    markers, excluded = _byline_classes()
    found = []
    for element in itertools.islice(_byline_candidates(tree), _MAX_BYLINE_ELEMENTS * 4):
        words = _class_words(element)
        if not markers.intersection(words) or excluded.intersection(words) or _outside_article(element):
            continue
        byline = parse_byline(_text(element), site)
        if byline.authors or byline.credits:
            found.append(byline)
        if len(found) >= 3:
            break
    return found


@cache
def _byline_classes() -> tuple[frozenset[str], frozenset[str]]:
    data = _data_json("metadata.json")
    return frozenset(data["byline_classes"]), frozenset(data["byline_exclude_classes"])


@cache
def _byline_marker() -> re.Pattern[str]:
    """Any byline marker ("bylines" holds "byline": searching for the shorter finds both)."""
    markers, _ = _byline_classes()
    least = sorted(m for m in markers if not any(other != m and other in m for other in markers))
    return re.compile("|".join(map(re.escape, least)))


def _byline_candidates(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """Elements whose class or id holds a byline marker, in page order."""
    marker = _byline_marker().search
    for element in _document_elements(tree):
        get = element.get
        label = get("class")
        if label and marker(label):
            yield element
            continue
        label = get("id")
        if label and marker(label):
            yield element


def _document_elements(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """Every element of the document, in page order, as XPath's ``//*`` finds them.

    The searches of elements by class read them one at a time, so they stop once they have
    what they need; an XPath test of every element's class against a few words costs more
    than this walk. The document's later top-level elements (what libxml2 starts after an
    early ``</html>``) are read too.
    """
    root = tree.getroottree().getroot()
    for top in (root, *root.itersiblings(etree.Element)):
        yield from top.iter(etree.Element)


@cache
def _byline_regions() -> frozenset[str]:
    return frozenset(_data_json("metadata.json")["byline_exclude_regions"])


def _class_words(element: lxml_html.HtmlElement) -> set[str]:
    """The words of an element's class and id: "mntl-bylines__item" gives mntl, bylines and item."""
    label = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return set(re.split(r"[\s_-]+", label)) | set(label.split())


def _outside_article(element: lxml_html.HtmlElement) -> bool:
    """Whether an element sits in comments, a sidebar, a teaser list or the navigation, where
    bylines belong to other stories or to readers."""
    regions = _byline_regions()
    for depth, ancestor in enumerate([element, *element.iterancestors()]):
        # The classes of <body> describe the page's layout ("sidebar-primary"), not a region.
        if depth > _MAX_ANCESTORS or ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag == "nav" or regions.intersection(_class_words(ancestor)):
            return True
    return False


def _credit(page: _Page, byline_credits: list[str]) -> tuple[str | None, str | None]:
    """The credit line and the agency it names; see the module docstring for the order."""
    stated = [
        fold(html_lib.unescape(text)) for text in [*page.jsonld_values("jsonld_credit"), *page.meta("credit")]
    ]
    stated = [text for text in stated if _usable_credit(text, page.site_name)]
    byline_credits = [text for text in byline_credits if _usable_credit(text, page.site_name)]
    candidates = [*stated, *byline_credits, *_credit_lines(page.tree)]
    # The publisher is the site itself; it names an agency only on the agency's own pages.
    candidates += [name for name in strings(page.article.get("publisher"), page.jsonld) if known_agency(name)]

    named = [(text, agency) for text in candidates if (agency := known_agency(text))]
    # A specific agency says more than a catch-all credit ("Agencies", "Staff").
    chosen = next(((t, a) for t, a in named if not is_generic_agency(a)), None) or next(iter(named), None)
    if chosen is not None:
        return chosen
    unknown = [*stated, *byline_credits]
    return (unknown[0][:200] if unknown else None), None


def _usable_credit(text: str, site: str | None) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 2 and "://" not in text and not (site and agency_key(text) == agency_key(site))


def _credit_lines(tree: lxml_html.HtmlElement) -> Iterator[str]:
    """Paragraphs that are a credit line and nothing else: "(Reuters)", "— AFP"; not photo credits."""
    for index, paragraph in enumerate(tree.iter("p")):
        if index >= _MAX_CREDIT_PARAGRAPHS:
            return
        if len(paragraph) >= 5 or next(paragraph.iterancestors("figure", "figcaption"), None) is not None:
            continue
        if {"caption", "credit", "credits"} & _class_words(paragraph):
            continue
        line = credit_line(paragraph.text_content())
        if line is not None:
            yield line.credit


# --- Section, tags, image, dateline -------------------------------------------------


# A summary shorter than this is a label ("News", "Home"), longer is prose that is not a summary.
_DESCRIPTION_CHARS = (25, 600)


def _description(page: _Page) -> str | None:
    site = page.site_name
    for candidate in [*page.jsonld_values("jsonld_description"), *page.meta("description")]:
        text = fold(html_lib.unescape(candidate))
        if not _DESCRIPTION_CHARS[0] <= len(text) <= _DESCRIPTION_CHARS[1]:
            continue
        # A site's one description for every page says nothing of this story.
        if site and site.casefold() in text.casefold() and len(text) < 120:
            continue
        return text
    return None


def _section(page: _Page) -> str | None:
    site = page.site_name
    for candidate in [*page.jsonld_values("jsonld_section"), *page.meta("section")]:
        section = fold(html_lib.unescape(candidate))
        # A section named like the site is the site's default, not a section.
        if section and not (site and section.casefold() == site.casefold()):
            return section[:200]
    return None


def _tags(page: _Page) -> list[str]:
    """Tags of the most trusted source that has any."""
    sources = [page.jsonld_values("jsonld_tags")] + [page.metas.get(key, []) for key in page.keys["tags"]]
    for values in sources:
        tags: dict[str, str] = {}
        for value in values:
            for tag in _TAG_SEPARATOR.split(html_lib.unescape(value)):
                tag = fold(tag)
                if tag and len(tag) <= _MAX_TAG_CHARS and not _MACHINE_TAG.search(tag):
                    tags.setdefault(tag.casefold(), tag)
        if tags:
            return list(tags.values())[:_MAX_TAGS]
    return []


def _lead_image(page: _Page) -> str | None:
    candidates = [
        url for key in page.keys["jsonld_image"] for url in urls(page.article.get(key), page.jsonld)
    ]
    candidates += page.meta("image")
    candidates += [link.get("href") or "" for link in page.tree.xpath('//link[@rel="image_src"]')]
    candidates += [
        element.get("content") or element.get("src") or element.get("href") or ""
        for element in page.itemprop("image")[:5]
    ]
    candidates.append(page.found("image"))
    for candidate in candidates:
        url = absolute_url(_unescaped_url(candidate), page.base_url) if candidate else None
        if url and image_url_allowed(url):
            return url
    return None


def _unescaped_url(url: str) -> str:
    # "...?a=1&amp;amp;b=2" in the markup: escaped twice by the CMS, once by the parser.
    return html_lib.unescape(url) if "&amp;" in url or "&#" in url else url


def _dateline(page: _Page) -> Dateline | None:
    for text in strings(page.article.get("dateline")):
        text = clean_text(text)
        if not text or len(text) > 100:
            continue
        match = parse_dateline(f"{text} —")
        if match is not None and not match.rest:
            return match.dateline
        return Dateline(text=text, place=text if text[:1].isupper() else None)
    return None
