"""API ViewSets: entities, looked up by slug (old slugs redirect), and the articles that mention them."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from articles.api.serializers import ArticleListSerializer
from entities.api.serializers import EntitySerializer
from entities.filters import EntityFilter
from entities.models import Entity
from entities.selectors import entity_articles, entity_list, entity_lookup

MOVED = OpenApiResponse(description="The slug is an old one: the entity was merged or renamed.")


class EntityViewSet(viewsets.ReadOnlyModelViewSet):
    """People, organisations and places; blocked ones only for users with ``view_entity``."""

    filterset_class = EntityFilter
    lookup_field = "slug"

    def get_queryset(self):
        queryset = entity_list(user=self.request.user)
        if self.action in ("list", "retrieve"):
            queryset = queryset.prefetch_related("aliases")
        return queryset

    def get_serializer_class(self):
        if self.action == "articles":
            return ArticleListSerializer
        return EntitySerializer

    def get_object(self):
        lookup = entity_lookup(slug=self.kwargs["slug"], queryset=self.get_queryset())
        if lookup is None:
            raise Http404("No such entity.")
        self.check_object_permissions(self.request, lookup.entity)
        if lookup.moved:
            raise _EntityMoved(lookup.entity)
        return lookup.entity

    def handle_exception(self, exc):
        if isinstance(exc, _EntityMoved):
            url_name = "entity-detail" if self.action == "retrieve" else f"entity-{self.action}"
            location = reverse(url_name, kwargs={"slug": exc.entity.slug})
            query = self.request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)
        return super().handle_exception(exc)

    @extend_schema(responses={200: EntitySerializer, 301: MOVED})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Published articles that mention the entity, newest first",
        responses={200: ArticleListSerializer(many=True), 301: MOVED},
    )
    @action(detail=True, filterset_class=None, filter_backends=[])
    def articles(self, request, slug=None, format=None):
        entity: Entity = self.get_object()
        page = self.paginate_queryset(entity_articles(entity=entity))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class _EntityMoved(Exception):
    def __init__(self, entity: Entity):
        super().__init__(entity.slug)
        self.entity = entity
