"""The RSS feed of the latest published stories."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape

from articles.selectors import articles_recent

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self):
        return reverse("articles:index")

    def description(self):
        return f"The latest stories published on {settings.SITE_NAME}."

    def items(self):
        return articles_recent(limit=FEED_SIZE)

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed readers treat the description as HTML: send the text, escaped.
        paragraphs = item.paragraphs
        return escape(paragraphs[0]) if paragraphs else ""

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.agency.name if item.agency else None
