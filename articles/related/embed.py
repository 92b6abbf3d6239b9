"""The related widget's embed snippets for one story, as a partner pastes them (docs/related.md)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape

from articles.related.http import RELATED_LIMIT_DEFAULT


@dataclass(frozen=True)
class EmbedSnippets:
    iframe: str
    script: str


def related_embed_snippets(
    *, article_id: int, site_url: str, limit: int = RELATED_LIMIT_DEFAULT
) -> EmbedSnippets:
    """The iframe and the script snippet for ``article_id``, with absolute URLs on ``site_url``.

    The snippets are plain text to copy (not marked safe), every value in them escaped as HTML;
    a page that shows them escapes them once more, as it does any text.
    """
    widget = escape(urljoin(site_url, reverse("articles:related_widget", args=[article_id])))
    script_url = escape(urljoin(site_url, static("articles/related-widget.js")))
    iframe = (
        f'<iframe src="{widget}?limit={int(limit)}" title="Related articles" '
        'style="border:0;width:100%;height:320px" loading="lazy"></iframe>'
    )
    script = (
        f'<div data-newsroom-related="{int(article_id)}" data-newsroom-limit="{int(limit)}"></div>\n'
        f'<script src="{script_url}" async></script>'
    )
    return EmbedSnippets(iframe=str(iframe), script=str(script))
