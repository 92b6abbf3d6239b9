"""RSS and Atom feeds of the published stories that mention an entity (the story feeds' shape)."""

from django.conf import settings
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from articles.feeds import FEED_SIZE, ArticleFeed
from entities.models import Entity
from entities.selectors import entity_articles, entity_lookup


class EntityArticlesFeed(ArticleFeed):
    def get_object(self, request, slug):
        # An old slug of a merged or renamed entity keeps its feed: subscribers are not lost.
        lookup = entity_lookup(slug=slug, queryset=Entity.objects.exclude(status=Entity.Status.BLOCKED))
        if lookup is None:
            raise Http404("No such entity.")
        return lookup.entity

    def title(self, obj):
        return f"{settings.SITE_NAME}: stories about {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"The latest stories on {settings.SITE_NAME} that mention {obj.name}."

    def items(self, obj):
        return list(entity_articles(entity=obj)[:FEED_SIZE])


class EntityArticlesAtomFeed(EntityArticlesFeed):
    feed_type = Atom1Feed
    subtitle = EntityArticlesFeed.description
