"""RSS and Atom feeds of published stories: the latest, and each agency's.

Every feed is bounded (``FEED_SIZE`` items, each with its standfirst only) and its text escaped:
feed readers treat a description as HTML. The entity feeds live in ``entities.feeds``.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Agency
from articles.selectors import agency_articles, articles_recent

FEED_SIZE = 30
# The source's own topic tags become an item's categories, a few at most.
FEED_CATEGORIES = 8


class ArticleFeed(Feed):
    """What every story feed says of a story; subclasses say which stories."""

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Escaped: a "<b>" in a standfirst is text, not markup, in every feed reader.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or (item.agency.name if item.agency else None)

    def item_categories(self, item):
        names = [item.section] if item.section else []
        names += [tag for tag in item.tags if isinstance(tag, str) and tag.strip()]
        return names[:FEED_CATEGORIES]


class LatestArticlesFeed(ArticleFeed):
    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self):
        return reverse("articles:index")

    def description(self):
        return f"The latest stories published on {settings.SITE_NAME}."

    def items(self):
        return articles_recent(limit=FEED_SIZE)


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AgencyArticlesFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Agency, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: stories from {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"The latest stories from {obj.name} on {settings.SITE_NAME}."

    def items(self, obj):
        return agency_articles(agency=obj, limit=FEED_SIZE)


class AgencyArticlesAtomFeed(AgencyArticlesFeed):
    feed_type = Atom1Feed
    subtitle = AgencyArticlesFeed.description
