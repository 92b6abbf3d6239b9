"""Public pages: an entity and the published stories that mention it."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.paging import page_number, page_of, sliced
from entities.models import Entity
from entities.selectors import entity_articles, entity_lookup


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
    number = page_number(request)
    articles, has_next = page_of(sliced(entity_articles(entity=entity)), number)
    context = {"entity": entity, "articles": articles, "page_number": number, "has_next": has_next}
    return render(request, "entities/entity_detail.html", context)
