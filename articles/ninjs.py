"""An article as IPTC ninjs 2.1 (News in JSON), the format partners' systems read beside ours.

The mapping, field by field, is in docs/api.md ("As IPTC ninjs"). Entities are not known here: whatever
app tags articles adds people, organisations, places and subjects through
``hooks.NINJS_SUBJECTS``. Every value written is valid against the official schema
(tests/articles/ninjs/, checked in tests/articles/test_ninjs.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from articles import hooks
from articles.extraction.sanitize import sanitize_html
from articles.models import Article

MEDIA_TYPE = "application/vnd.iptc.ninjs+json"
VERSION = "2.1"
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
PROFILE = "newsroom-article"

S = Article.Status
# ninjs has three publication states: a story readers may see, one not (yet) for them, one withdrawn.
PUBSTATUS = {
    S.PUBLISHED: "usable",
    S.KILLED: "canceled",
    S.ARCHIVED: "canceled",
}
WITHHELD = "withheld"
# The keys other apps may fill through the hook; anything else they return is left out.
SUBJECT_KEYS = ("people", "organisations", "places", "subjects", "events", "objects")


def article_ninjs(article: Article, *, absolute: Callable[[str], str], version: int) -> dict:
    """``article`` as a ninjs 2.1 object; ``absolute`` makes a site path absolute, ``version`` counts
    the story's revisions (each save is one, so a partner can tell a newer copy)."""
    item: dict = {
        "uri": absolute(article.get_absolute_url()),
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA_URI},
        "profile": PROFILE,
        "type": "text",
        "representationtype": "full",
        "version": str(version),
        "firstcreated": _time(article.created_at),
        "versioncreated": _time(article.updated_at),
        "pubstatus": PUBSTATUS.get(article.status, WITHHELD),
        "slugline": article.slug,
        "altids": [{"role": "newsroom-id", "value": str(article.pk)}],
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
        "bodies": _bodies(article),
    }
    optional = {
        "contentcreated": _time(article.published_at),
        "embargoed": _time(article.embargo_until),
        "expires": _time(article.expire_at),
        "language": article.language,
        "by": article.byline,
        "located": article.dateline_place,
    }
    item.update({key: value for key, value in optional.items() if value})
    if article.summary:
        item["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": article.summary}]
    if article.status in (S.KILLED, S.ARCHIVED) and article.kill_notice:
        item["ednote"] = article.kill_notice
    agency = article.agency
    if agency is not None:
        item["copyrightholder"] = agency.name
        source = {"name": agency.name, "literal": agency.slug}
        if agency.website:
            source["uri"] = agency.website
        item["infosources"] = [source]
    if article.lead_image_url:
        item["associations"] = [_picture(article)]
    for subjects in hooks.registered(hooks.NINJS_SUBJECTS):
        for key, values in subjects(article, absolute).items():
            if key in SUBJECT_KEYS and values:
                item.setdefault(key, []).extend(values)
    return item


def _bodies(article: Article) -> list[dict]:
    html = sanitize_html(article.body_html) if article.body_html else article.paragraphs_html()
    words = len(article.body_text.split())
    return [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": str(html),
            "charcount": len(article.body_text),
            "wordcount": words,
        },
        {"role": "main", "contenttype": "text/plain", "value": article.body_text, "wordcount": words},
    ]


def _picture(article: Article) -> dict:
    """The lead picture as an associated ninjs object (its own uri is the picture's URL)."""
    picture = {
        "name": "lead-image",
        "uri": article.lead_image_url,
        "type": "picture",
        "renditions": [{"name": "original", "href": article.lead_image_url}],
    }
    if article.lead_image_alt:
        picture["descriptions"] = [{"role": "alternative-text", "value": article.lead_image_alt}]
    return picture


def _time(value: dt.datetime | None) -> str:
    """An RFC 3339 date-time in UTC, or "" for none."""
    if value is None:
        return ""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
