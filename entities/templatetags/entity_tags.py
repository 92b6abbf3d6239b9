"""Template helpers for public pages: the entities a story names."""

from django import template

from entities.selectors import article_entities as _article_entities

register = template.Library()


@register.simple_tag
def article_entities(article, limit=None):
    """The entities ``article`` mentions, most mentioned first (cached per article); the first
    ``limit`` when given, so "In this story" names the main ones, not every name in the text."""
    entities = _article_entities(article=article)
    return entities[:limit] if limit else entities
