"""Template helpers for public pages: the entities a story names."""

from django import template

from entities.selectors import article_entities as _article_entities

register = template.Library()


@register.simple_tag
def article_entities(article):
    """The entities ``article`` mentions, most mentioned first (cached per article)."""
    return _article_entities(article=article)
