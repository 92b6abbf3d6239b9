"""The values extraction produces: plain dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


class ExtractionError(Exception):
    """The input could not be processed; the message is shown to editors as is."""


class NoArticleError(ExtractionError):
    """The input was read but holds no article (a home page, an error page, an image)."""


@dataclass(frozen=True)
class Dateline:
    """The dateline that opens a wire story, e.g. ``PARIS, Sept 27, (Agencies):``."""

    text: str
    place: str | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Flag:
    """Something an editor should look at; ``text`` is the passage concerned."""

    kind: str
    text: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FoundLink:
    """A related-story link found on the page."""

    url: str
    text: str = ""


# How much of ``published`` the source stated; the values match PublishedPrecision.
PRECISION_UNKNOWN = "unknown"
PRECISION_YEAR = "year"
PRECISION_MONTH = "month"
PRECISION_DAY = "day"
PRECISION_MINUTE = "minute"


@dataclass
class ExtractedArticle:
    """An article pulled out of one raw page."""

    headline: str
    paragraphs: list[str]
    body_html: str = ""
    dateline: Dateline | None = None
    agency: str | None = None
    published: dt.datetime | dt.date | None = None
    published_precision: str = PRECISION_UNKNOWN
    view_count: int | None = None
    removed: list[str] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)
    links: list[FoundLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    encoding: str | None = None
    method: str = ""
    updated: dt.datetime | dt.date | None = None
    lead_image: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    # The credit line as the page states it ("Agence France-Presse", "The Washington Post");
    # ``agency`` is the known agency it names, if any.
    credit: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict:
        """A JSON-ready dict: dates as ISO strings, dataclasses as objects."""
        data = asdict(self)
        data["body"] = self.body
        for name in ("published", "updated"):
            value = getattr(self, name)
            if isinstance(value, (dt.date, dt.datetime)):
                data[name] = value.isoformat()
        return data
