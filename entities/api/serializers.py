"""API representations of entities and of the entities an article mentions."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from entities.models import Entity, EntityType


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.CharField):
    """A site path made absolute with the request's host."""

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


class EntitySerializer(serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url", read_only=True, help_text="The public page.")
    api_url = serializers.HyperlinkedIdentityField(view_name="entity-detail", lookup_field="slug")
    articles_url = serializers.HyperlinkedIdentityField(
        view_name="entity-articles", lookup_field="slug", help_text="Published articles that mention it."
    )
    aliases = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)

    class Meta:
        model = Entity
        fields = [
            "name",
            "slug",
            "type",
            "status",
            "description",
            "wikidata_id",
            "aliases",
            "url",
            "api_url",
            "articles_url",
        ]


class ArticleEntitySerializer(serializers.Serializer):
    """One ``selectors.ArticleEntity``: an entity as an article mentions it."""

    name = serializers.CharField()
    slug = serializers.SlugField()
    type = serializers.ChoiceField(choices=EntityType.choices)
    count = serializers.IntegerField(help_text="Times the article names it, under any alias.")
    confidence = serializers.FloatField(help_text="0 to 1.")
    url = AbsoluteURLField(help_text="The entity's public page.")
