"""Where other apps plug into articles: its admin, its API, its pages and related scoring.

``articles`` imports no other app of the project. An app that knows articles (``entities``)
registers what it adds from its ``AppConfig.ready()``, as Wagtail's hooks work; articles
reads the registrations when it builds an admin page, an API response, a public page or a
related list. With nothing registered, each hook point simply adds nothing.

=====================  ==========================================================================
hook                   what is registered
=====================  ==========================================================================
ADMIN_LIST_FILTERS     list filter classes for the article change list
ADMIN_FIELDSETS        ``(title, [display callables])``: read-only sections of the article page
ADMIN_ACTIONS          ``(action, [permissions])``: actions of the article change list, offered to
                       users who hold every permission named
API_FIELDS             ``(name, serializer field factory)``: fields of every article in the API
API_PREFETCH           callables giving ``Prefetch`` objects for a page of articles
PAGE_PANELS            template names included on the public article page, after the body
STRUCTURED_DATA        callables ``(article, request) -> dict`` adding properties to the page's
                       NewsArticle JSON-LD (``articles.seo.structured_data``)
NINJS_SUBJECTS         callables ``(article, absolute) -> {ninjs key: [items]}``: what the article's
                       ninjs (``articles.ninjs``) lists under people, organisations, places and
                       subjects; ``absolute`` makes a site path an absolute URL
RELATED_ENTITIES       the one ``EntityIndex`` related scoring reads (``articles.related.entities``)
PUBLIC_FILTERS         ``(parameter, apply)``: filters of the public search; ``apply(queryset, value)``
                       gives the narrowed queryset and what it narrowed to, in words (or ``None``)
FEED_FOLLOW            a callable ``(url) -> str``: the address of the page where an editor follows
                       a feed or sitemap URL that URL ingest refused
=====================  ==========================================================================
"""

from __future__ import annotations

from collections import defaultdict

ADMIN_LIST_FILTERS = "article_admin_list_filters"
ADMIN_FIELDSETS = "article_admin_fieldsets"
ADMIN_ACTIONS = "article_admin_actions"
API_FIELDS = "article_api_fields"
API_PREFETCH = "article_api_prefetch"
PAGE_PANELS = "article_page_panels"
STRUCTURED_DATA = "article_structured_data"
NINJS_SUBJECTS = "article_ninjs_subjects"
RELATED_ENTITIES = "related_entities"
PUBLIC_FILTERS = "article_public_filters"
FEED_FOLLOW = "feed_follow"

HOOKS = frozenset(
    {
        ADMIN_LIST_FILTERS,
        ADMIN_FIELDSETS,
        ADMIN_ACTIONS,
        API_FIELDS,
        API_PREFETCH,
        PAGE_PANELS,
        STRUCTURED_DATA,
        NINJS_SUBJECTS,
        RELATED_ENTITIES,
        PUBLIC_FILTERS,
        FEED_FOLLOW,
    }
)

_registry: dict[str, list] = defaultdict(list)


def register(hook: str, value) -> None:
    """Add ``value`` to ``hook``; registering the same value twice adds it once."""
    if hook not in HOOKS:
        raise ValueError(f"No article hook is called {hook!r}.")
    if value not in _registry[hook]:
        _registry[hook].append(value)


def registered(hook: str) -> list:
    """What was registered for ``hook``, in registration order."""
    return list(_registry.get(hook, ()))
