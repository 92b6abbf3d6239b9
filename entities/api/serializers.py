"""API representations of entities and of the entities an article mentions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers import AbsoluteURLField, PublicURLField
from entities.models import Entity, EntityType
from entities.selectors import article_entities


class EntitySerializer(serializers.ModelSerializer):
    url = PublicURLField()
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


@extend_schema_field(ArticleEntitySerializer(many=True))
class ArticleEntitiesField(serializers.Field):
    """The entities an article mentions, most mentioned first: the ``entities`` of every article in the API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "People, organisations and places it mentions.")
        super().__init__(**kwargs)

    def to_representation(self, article):
        return ArticleEntitySerializer(
            article_entities(article=article), many=True, context=self.context
        ).data
