"""API representations of agencies, articles, related items and raw documents."""

from django.db.models import prefetch_related_objects
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from articles import clustering, hooks
from articles.extraction.sanitize import sanitize_html
from articles.models import Agency, Article, ArticleNote, ExtractionReport, RawDocument, RelatedLink
from articles.related.cache import RELATED_MAX_ITEMS
from articles.related.http import RELATED_LIMIT_DEFAULT


@extend_schema_field(OpenApiTypes.URI)
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


class ArticleListListSerializer(serializers.ListSerializer):
    """Loads what other apps add to a whole page of articles (``hooks.API_PREFETCH``) in one query each."""

    def to_representation(self, data):
        articles = list(data.all() if hasattr(data, "all") else data)
        prefetches = [prefetch() for prefetch in hooks.registered(hooks.API_PREFETCH)]
        if prefetches:
            prefetch_related_objects(articles, *prefetches)
        return super().to_representation(articles)


class ArticleListSerializer(serializers.ModelSerializer):
    url = PublicURLField()
    api_url = serializers.HyperlinkedIdentityField(view_name="article-detail")
    agency = AgencySummarySerializer(read_only=True, allow_null=True)
    total_views = serializers.IntegerField(read_only=True, help_text="Views shown by the source plus ours.")

    class Meta:
        model = Article
        list_serializer_class = ArticleListListSerializer
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

    def get_fields(self):
        # What other apps add to every article (its entities), through ``hooks.API_FIELDS``.
        fields = super().get_fields()
        for name, make_field in hooks.registered(hooks.API_FIELDS):
            fields[name] = make_field()
        return fields


class ExtractionReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtractionReport
        fields = ["removed", "flagged", "warnings"]


@extend_schema_field(OpenApiTypes.STR)
class SanitisedHTMLField(serializers.CharField):
    """Stored HTML, sanitised once more on the way out (defence in depth)."""

    def to_representation(self, value):
        return sanitize_html(value)


class PossibleDuplicateSerializer(serializers.Serializer):
    """One ``clustering.PossibleDuplicate``: the earlier article this one nearly repeats."""

    article_id = serializers.IntegerField(source="article.pk")
    headline = serializers.CharField(source="article.headline")
    api_url = serializers.SerializerMethodField()
    similarity = serializers.FloatField(
        help_text="Estimated Jaccard similarity of the bodies' word shingles."
    )
    cluster_id = serializers.IntegerField(allow_null=True, help_text="The story cluster both belong to.")
    cluster_size = serializers.IntegerField(help_text="Articles in that cluster.")

    def get_api_url(self, duplicate) -> str:
        return reverse(
            "article-detail", kwargs={"pk": duplicate.article.pk}, request=self.context.get("request")
        )


class ArticleNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleNote
        fields = ["kind", "text", "created_at"]


class ArticleDetailSerializer(ArticleListSerializer):
    notes = ArticleNoteSerializer(
        many=True, read_only=True, help_text="Corrections and updates, oldest first."
    )
    body_html = SanitisedHTMLField(read_only=True)
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)
    report = ExtractionReportSerializer(read_only=True, allow_null=True)
    possible_duplicate = serializers.SerializerMethodField(
        help_text="The earlier article whose body this one nearly repeats (same agency story), or null."
    )

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "body_text",
            "body_html",
            "paragraphs",
            "language",
            "source_url",
            "report",
            "possible_duplicate",
            "notes",
        ]

    @extend_schema_field(PossibleDuplicateSerializer(allow_null=True))
    def get_possible_duplicate(self, article):
        request = self.context.get("request")
        user = request.user if request is not None else None
        duplicate = clustering.article_possible_duplicate(article=article, user=user)
        return PossibleDuplicateSerializer(duplicate, context=self.context).data if duplicate else None


class RelatedItemSerializer(serializers.Serializer):
    """One item of ``related.cache.related_list`` (a ``RelatedItem`` as plain data)."""

    article_id = serializers.IntegerField(allow_null=True, help_text="Null for an external page.")
    headline = serializers.CharField()
    url = AbsoluteURLField()
    agency = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    lead_image = serializers.URLField(allow_null=True, help_text="Not stored yet: always null for now.")
    score = serializers.FloatField(help_text="0 for links an editor pinned or the page carried.")
    kind = serializers.ChoiceField(choices=RelatedLink.Kind.choices)
    reasons = serializers.DictField(
        help_text="Why a computed item is there: shared entities with weights, text score and shared "
        "terms, recency factor."
    )
    also_from = serializers.ListField(
        child=serializers.CharField(),
        help_text="Agencies whose takes of the same story are folded into this item.",
    )


_RELATED_DATETIME = serializers.DateTimeField()


def related_item_representation(item: dict, request) -> dict:
    """``RelatedItemSerializer(item).data``, built directly: it runs on every widget request."""
    published_at = item["published_at"]
    return {
        "article_id": item["article_id"],
        "headline": item["headline"],
        "url": request.build_absolute_uri(item["url"]) if request is not None else item["url"],
        "agency": item["agency"],
        "published_at": _RELATED_DATETIME.to_representation(published_at) if published_at else None,
        "lead_image": item["lead_image"],
        "score": item["score"],
        "kind": item["kind"],
        "reasons": item["reasons"],
        "also_from": item["also_from"],
    }


class QuerySerializer(serializers.Serializer):
    """A query string read by a serializer, each parameter's last value taken as given.

    DRF reads form-like data (a QueryDict) leniently: an empty value of an optional field is taken
    as absent and its default used, so ``?days=`` or ``?window=`` answered as if nothing had been
    sent. Read as plain data, an empty value is checked like any other (a 400 that says why).
    """

    def __init__(self, instance=None, data=serializers.empty, **kwargs):
        if isinstance(data, QueryDict):
            data = data.dict()
        super().__init__(instance, data, **kwargs)


class RelatedQuerySerializer(QuerySerializer):
    """The query of a related response, for the schema; ``related.http.related_limit`` reads it."""

    limit = serializers.IntegerField(
        min_value=1,
        max_value=RELATED_MAX_ITEMS,
        default=RELATED_LIMIT_DEFAULT,
        help_text=f"How many items, 1 to {RELATED_MAX_ITEMS}.",
    )


class ArticleMoveSerializer(serializers.Serializer):
    """What a move may need: the time for ``schedule``, the notice for ``kill``, the note for ``correct``."""

    kind = serializers.ChoiceField(choices=ArticleNote.Kind.choices, required=False, help_text="For correct.")
    text = serializers.CharField(
        required=False, max_length=5000, help_text="For correct: the note readers see."
    )

    publish_at = serializers.DateTimeField(
        required=False, help_text="For schedule: when the story goes live."
    )
    notice = serializers.CharField(
        required=False, max_length=2000, help_text="For kill: what readers are told in place of the story."
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
    """A page sent for ingest: an uploaded ``file`` or its text as ``content``, exactly one of them."""

    # The schema's oneOf (articles.api.schema): exactly one of the two, as validate() insists.
    schema_one_of_required = (("file",), ("content",))

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
        help_text="Agency to credit when the page names none: the name or an alias of a known agency. "
        "A name no agency answers to adds one, which needs articles.add_agency (else 403).",
    )
    publish = serializers.BooleanField(
        default=False,
        help_text="Publish as soon as extracted, unless extraction flags the story. "
        "Needs articles.publish_article (else 403).",
    )

    def validate(self, attrs):
        if ("file" in attrs) == ("content" in attrs):
            raise serializers.ValidationError("Send either a file or content, not both or neither.")
        return attrs


class RawDocumentCreateJSONSerializer(RawDocumentCreateSerializer):
    """The same request as JSON, for the schema: JSON carries no file, so ``content`` is required."""

    schema_one_of_required = None
    file = None
    content = serializers.CharField(trim_whitespace=False, help_text="The page as text; stored as UTF-8.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- View counts -------------------------------------------------------------------------------


class ViewDaySerializer(serializers.Serializer):
    """One ``counters.ViewDay``."""

    day = serializers.DateField()
    views = serializers.IntegerField(help_text="Views counted that day (UTC).")
    unique_visitors = serializers.IntegerField(help_text="Distinct visitors that day (HyperLogLog estimate).")


class ArticleDailyViewsSerializer(serializers.Serializer):
    article_id = serializers.IntegerField()
    legacy_view_count = serializers.IntegerField(help_text="The count the source site showed when scraped.")
    view_count = serializers.IntegerField(help_text="Views counted here and flushed.")
    pending_views = serializers.IntegerField(help_text="Views counted here, waiting for the next flush.")
    total_views = serializers.IntegerField(help_text="The sum of the three: what the page shows.")
    days = ViewDaySerializer(many=True, help_text="Newest first, days without views included.")


class DailyViewsQuerySerializer(QuerySerializer):
    days = serializers.IntegerField(
        min_value=1, max_value=90, default=14, help_text="How many days, 1 to 90."
    )


class MostReadItemSerializer(serializers.Serializer):
    """One ``counters.MostReadItem``."""

    article_id = serializers.IntegerField(source="article.pk")
    headline = serializers.CharField(source="article.headline")
    url = serializers.SerializerMethodField(help_text="The public page.")
    api_url = serializers.SerializerMethodField()
    agency = serializers.CharField(source="article.agency.name", default="")
    published_at = serializers.DateTimeField(source="article.published_at", allow_null=True)
    views = serializers.IntegerField(help_text="Views within the window (its oldest day pro rata).")

    def get_url(self, item) -> str:
        request = self.context.get("request")
        path = item.article.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    def get_api_url(self, item) -> str:
        return reverse("article-detail", kwargs={"pk": item.article.pk}, request=self.context.get("request"))


class MostReadQuerySerializer(QuerySerializer):
    window = serializers.ChoiceField(choices=["24h", "7d"], default="24h", help_text="24h or 7d.")
    limit = serializers.IntegerField(
        min_value=1, max_value=20, default=10, help_text="How many items, 1 to 20."
    )


# --- Writes: stories written, edited, moved, sent in by URL ----------------------------------------


class ArticleWriteSerializer(serializers.ModelSerializer):
    """A story as the desk writes it: every field the admin's form edits, none of its state.

    The state changes only by a move (``/api/articles/{id}/publish/`` and the others); counts,
    the extraction report and revisions are the system's.
    """

    slug = serializers.SlugField(
        max_length=200, required=False, help_text="Made from the headline when left out of a new story."
    )
    agency = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="The slug of the agency the story is credited to.",
    )
    authors = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=50,
        required=False,
        help_text="The byline's names, in order.",
    )
    body_text = serializers.RegexField(
        r"\S",
        trim_whitespace=False,
        max_length=200_000,
        help_text="Paragraphs separated by a blank line; not blank.",
        error_messages={"invalid": "A story needs a body."},
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "authors",
            "section",
            "lead_image_url",
            "lead_image_alt",
            "agency",
            "published_at",
            "published_precision",
            "embargo_until",
            "expire_at",
            "dateline_text",
            "dateline_place",
            "body_text",
            "language",
            "source_url",
        ]
        extra_kwargs = {
            "headline": {"min_length": 1},
            "embargo_until": {
                "help_text": "Not before this time; setting it needs articles.publish_article."
            },
            "expire_at": {"help_text": "Taken down at this time; setting it needs articles.publish_article."},
        }


class ArticleFromURLSerializer(serializers.Serializer):
    """A page to fetch and send in: the same safe fetcher and limits as the admin's ingest form."""

    url = serializers.URLField(
        max_length=2000, help_text="http or https; local and private addresses are refused."
    )
    reference_date = serializers.DateField(
        required=False, allow_null=True, help_text="Completes a dateline that gives no year."
    )
    agency = serializers.CharField(
        required=False,
        max_length=200,
        allow_blank=True,
        help_text="Agency to credit when the page names none (a new name needs articles.add_agency).",
    )
    publish = serializers.BooleanField(
        default=False,
        help_text="Publish as soon as extracted, unless flagged. Needs articles.publish_article.",
    )


class PageUploadSerializer(RawDocumentCreateSerializer):
    """A page sent as an uploaded file (multipart): for the schema of ``from-page``."""

    file = serializers.FileField(help_text="The page as uploaded bytes.")
    content = None


class PageTextSerializer(RawDocumentCreateSerializer):
    """A page sent as its text (JSON): for the schema of ``from-page``."""

    file = None
    content = serializers.CharField(
        trim_whitespace=False, min_length=1, help_text="The page as text; stored as UTF-8."
    )


class ArticleScheduleSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(help_text="When the story goes live: a time still to come.")


class ArticleKillSerializer(serializers.Serializer):
    notice = serializers.RegexField(
        r"\S", max_length=2000, help_text="What readers are told in place of the story; not blank."
    )


class ArticleCorrectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ArticleNote.Kind.choices,
        default=ArticleNote.Kind.CORRECTION,
        help_text="correction or update.",
    )
    text = serializers.RegexField(
        r"\S", max_length=5000, help_text="The note readers see, with its time; not blank."
    )


class MoveRefusedSerializer(serializers.Serializer):
    """A move the story's state (or its embargo) does not allow."""

    detail = serializers.CharField(help_text="Why, in words.")
    status = serializers.ChoiceField(choices=Article.Status.choices, help_text="The story's state now.")
    allowed_moves = serializers.ListField(
        child=serializers.CharField(), help_text="The moves this user can make from that state."
    )


class PreconditionFailedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    etag = serializers.CharField(help_text="The story's ETag now: read it again, then retry with this.")


# --- ninjs (for the schema; the object is built by articles.ninjs) -----------------------------------


class _NinjsTextSerializer(serializers.Serializer):
    role = serializers.CharField(required=False)
    contenttype = serializers.CharField(required=False)
    value = serializers.CharField()


class _NinjsBodySerializer(_NinjsTextSerializer):
    charcount = serializers.IntegerField(required=False)
    wordcount = serializers.IntegerField(required=False)


class _NinjsThingSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    rel = serializers.CharField(required=False)
    uri = serializers.URLField(required=False)
    literal = serializers.CharField(required=False)


class _NinjsSubjectSerializer(_NinjsThingSerializer):
    confidence = serializers.IntegerField(required=False, min_value=0, max_value=100)


class _NinjsSourceSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    uri = serializers.URLField(required=False)
    literal = serializers.CharField(required=False)


class _NinjsStandardSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    schema = serializers.URLField()


class _NinjsAltIdSerializer(serializers.Serializer):
    role = serializers.CharField()
    value = serializers.CharField()


class _NinjsRenditionSerializer(serializers.Serializer):
    name = serializers.CharField()
    href = serializers.URLField()


class _NinjsPictureSerializer(serializers.Serializer):
    name = serializers.CharField()
    uri = serializers.URLField()
    type = serializers.CharField(help_text='"picture".')
    renditions = _NinjsRenditionSerializer(many=True)
    descriptions = _NinjsTextSerializer(many=True, required=False)


class NinjsSerializer(serializers.Serializer):
    """An article as IPTC ninjs 2.1 (https://iptc.org/standards/ninjs/); docs/api.md ("As IPTC ninjs") maps each field."""

    uri = serializers.URLField(help_text="The story's canonical public URL.")
    standard = _NinjsStandardSerializer()
    profile = serializers.CharField()
    type = serializers.CharField(help_text='"text".')
    representationtype = serializers.CharField(help_text='"full".')
    version = serializers.CharField(help_text="How many revisions the story has had.")
    firstcreated = serializers.DateTimeField()
    versioncreated = serializers.DateTimeField()
    contentcreated = serializers.DateTimeField(required=False, help_text="When the source published it.")
    embargoed = serializers.DateTimeField(required=False)
    expires = serializers.DateTimeField(required=False)
    pubstatus = serializers.ChoiceField(
        choices=["usable", "withheld", "canceled"],
        help_text="usable: published; canceled: killed or archived; withheld: any other state.",
    )
    slugline = serializers.CharField()
    altids = _NinjsAltIdSerializer(many=True)
    headlines = _NinjsTextSerializer(many=True)
    descriptions = _NinjsTextSerializer(many=True, required=False)
    bodies = _NinjsBodySerializer(many=True)
    language = serializers.CharField(required=False)
    by = serializers.CharField(required=False)
    located = serializers.CharField(required=False)
    ednote = serializers.CharField(required=False, help_text="A killed story's notice.")
    copyrightholder = serializers.CharField(required=False)
    infosources = _NinjsSourceSerializer(many=True, required=False)
    associations = _NinjsPictureSerializer(many=True, required=False)
    people = _NinjsThingSerializer(many=True, required=False)
    organisations = _NinjsThingSerializer(many=True, required=False)
    places = _NinjsThingSerializer(many=True, required=False)
    subjects = _NinjsSubjectSerializer(many=True, required=False)
