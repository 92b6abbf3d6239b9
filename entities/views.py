"""Public pages: an entity and the published stories that mention it."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from entities.models import Entity
from entities.selectors import entity_articles, entity_lookup

PAGE_SIZE = 20


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("No such page.") from None
    if number < 1:
        raise Http404("No such page.")
    return number


@require_GET
def entity_detail(request, slug):
    lookup = entity_lookup(slug=slug, queryset=Entity.objects.exclude(status=Entity.Status.BLOCKED))
    if lookup is None:
        raise Http404("No such entity.")
    entity = lookup.entity
    if lookup.moved:
        # Merged or renamed: the old address points at the entity's page for good.
        query = request.GET.urlencode()
        location = entity.get_absolute_url()
        return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)
    number = _page_number(request)
    offset = (number - 1) * PAGE_SIZE
    # One row more than a page says whether another follows, without counting them all.
    rows = list(entity_articles(entity=entity)[offset : offset + PAGE_SIZE + 1])
    if not rows and number > 1:
        raise Http404("No such page.")
    context = {
        "entity": entity,
        "articles": rows[:PAGE_SIZE],
        "page_number": number,
        "has_next": len(rows) > PAGE_SIZE,
    }
    return render(request, "entities/entity_detail.html", context)
