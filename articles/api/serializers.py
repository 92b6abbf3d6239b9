"""API representations of agencies, articles, related items and raw documents."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.extraction.sanitize import sanitize_html
from articles.models import Agency, Article, ExtractionReport, RawDocument, RelatedLink


class AbsoluteURLField(serializers.CharField):
    """A site path made absolute with the request's host; absolute URLs pass through."""

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


@extend_schema_field(OpenApiTypes.URI)
class PublicURLField(AbsoluteURLField):
    """The absolute URL of the object's public page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "The public page.")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance.get_absolute_url()


class AgencySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["name", "slug"]


class AgencySerializer(serializers.ModelSerializer):
    url = PublicURLField()
    api_url = serializers.HyperlinkedIdentityField(view_name="agency-detail", lookup_field="slug")

    class Meta:
        model = Agency
        fields = ["name", "slug", "url", "api_url", "aliases", "is_generic", "website"]


class ArticleListSerializer(serializers.ModelSerializer):
    url = PublicURLField()
    api_url = serializers.HyperlinkedIdentityField(view_name="article-detail")
    agency = AgencySummarySerializer(read_only=True, allow_null=True)
    total_views = serializers.IntegerField(read_only=True, help_text="Views shown by the source plus ours.")

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "api_url",
            "headline",
            "slug",
            "dateline_text",
            "dateline_place",
            "agency",
            "published_at",
            "published_precision",
            "status",
            "legacy_view_count",
            "view_count",
            "total_views",
        ]


class ExtractionReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtractionReport
        fields = ["removed", "flagged", "warnings"]


@extend_schema_field(OpenApiTypes.STR)
class SanitisedHTMLField(serializers.CharField):
    """Stored HTML, sanitised once more on the way out (defence in depth)."""

    def to_representation(self, value):
        return sanitize_html(value)


class ArticleDetailSerializer(ArticleListSerializer):
    body_html = SanitisedHTMLField(read_only=True)
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)
    report = ExtractionReportSerializer(read_only=True, allow_null=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "body_text",
            "body_html",
            "paragraphs",
            "language",
            "source_url",
            "report",
        ]


class RelatedItemSerializer(serializers.Serializer):
    """One ``selectors.RelatedItem``."""

    article_id = serializers.IntegerField(allow_null=True, help_text="Null for an external page.")
    headline = serializers.CharField()
    url = AbsoluteURLField()
    agency = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField()
    kind = serializers.ChoiceField(choices=RelatedLink.Kind.choices)
    reasons = serializers.DictField()


class RelatedQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=20, default=5, help_text="How many items, 1 to 20."
    )


class RawDocumentSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="raw-document-detail")
    agency_hint = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    article_id = serializers.SerializerMethodField()

    class Meta:
        model = RawDocument
        fields = [
            "id",
            "api_url",
            "source",
            "source_kind",
            "content_type",
            "encoding",
            "size",
            "sha256",
            "reference_date",
            "agency_hint",
            "publish_on_extract",
            "status",
            "error",
            "attempts",
            "received_at",
            "processed_at",
            "article_id",
        ]

    def get_article_id(self, raw_document) -> int | None:
        article = getattr(raw_document, "article", None)
        return article.pk if article is not None else None


class RawDocumentIngestResultSerializer(RawDocumentSerializer):
    duplicate = serializers.BooleanField(read_only=True, help_text="These bytes were already stored.")

    class Meta(RawDocumentSerializer.Meta):
        fields = [*RawDocumentSerializer.Meta.fields, "duplicate"]


class RawDocumentCreateSerializer(serializers.Serializer):
    """A page sent for ingest: an uploaded ``file`` or its text as ``content``."""

    file = serializers.FileField(required=False, help_text="The page as uploaded bytes (multipart).")
    content = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The page as text (JSON); stored as UTF-8."
    )
    source = serializers.CharField(required=False, max_length=2000, help_text="URL or file name.")
    content_type = serializers.CharField(required=False, max_length=200, allow_blank=True)
    reference_date = serializers.DateField(
        required=False, allow_null=True, help_text="Completes a dateline that gives no year."
    )
    agency = serializers.CharField(
        required=False,
        max_length=200,
        allow_blank=True,
        help_text="Agency to credit when the page names none.",
    )
    publish = serializers.BooleanField(default=False, help_text="Publish as soon as extracted.")

    def validate(self, attrs):
        if ("file" in attrs) == ("content" in attrs):
            raise serializers.ValidationError("Send either a file or content, not both or neither.")
        return attrs


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
