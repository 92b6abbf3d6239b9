"""``{% desk_overview as desk %}``: the admin front page's queues (newsroom.dashboard)."""

from django import template

from newsroom.dashboard import desk_overview as _desk_overview

register = template.Library()


@register.simple_tag
def desk_overview():
    return _desk_overview()
