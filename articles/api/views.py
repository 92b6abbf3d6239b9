"""API ViewSets: articles with their related lists, view beacon, writes and moves; agencies; raw documents."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, BasePermission, DjangoModelPermissions, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles import counters, ninjs, services, workflow
from articles.api.serializers import (
    AgencySerializer,
    ArticleCorrectSerializer,
    ArticleDailyViewsSerializer,
    ArticleDetailSerializer,
    ArticleFromURLSerializer,
    ArticleKillSerializer,
    ArticleListSerializer,
    ArticleMoveSerializer,
    ArticleScheduleSerializer,
    ArticleWriteSerializer,
    DailyViewsQuerySerializer,
    ErrorSerializer,
    MostReadItemSerializer,
    MostReadQuerySerializer,
    MoveRefusedSerializer,
    NinjsSerializer,
    PageTextSerializer,
    PageUploadSerializer,
    PreconditionFailedSerializer,
    RawDocumentCreateJSONSerializer,
    RawDocumentCreateSerializer,
    RawDocumentIngestResultSerializer,
    RawDocumentSerializer,
    RelatedItemSerializer,
    RelatedQuerySerializer,
    related_item_representation,
)
from articles.filters import ArticleFilter
from articles.models import Agency, Article, RawDocument
from articles.related.cache import related_list, related_list_cached
from articles.related.http import LimitError, etag_matches, related_cache_control, related_limit
from articles.selectors import article_list
from newsroom import audit


class DjangoModelViewPermissions(DjangoModelPermissions):
    """Model permissions that guard reads too: ``view_<model>`` for GET and HEAD."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class HoldsPermission(BasePermission):
    """Signed in and holding ``permission`` (the class is made per permission: ``HoldsPermission.of``)."""

    permission = ""

    @classmethod
    def of(cls, permission: str) -> type[HoldsPermission]:
        return type(f"Holds_{permission.replace('.', '_')}", (cls,), {"permission": permission})

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.permission))


class NinjsRenderer(JSONRenderer):
    """IPTC ninjs: JSON under its own media type (``Accept: application/vnd.iptc.ninjs+json``)."""

    media_type = ninjs.MEDIA_TYPE
    format = "ninjs"


# The body each move needs (the rest need none).
MOVE_BODIES = {
    "schedule": ArticleScheduleSerializer,
    "kill": ArticleKillSerializer,
    "correct": ArticleCorrectSerializer,
}
SENDERS = [HoldsPermission.of("articles.add_rawdocument")]
_MOVE_ERRORS = {
    400: OpenApiResponse(description="Invalid request: a field the move needs is missing or wrong."),
    403: OpenApiResponse(
        ErrorSerializer, description="Not signed in, or the move needs a permission the user lacks."
    ),
    404: OpenApiResponse(ErrorSerializer, description="No such story, or not one the user may read."),
    409: OpenApiResponse(
        MoveRefusedSerializer, description="The story's state, or its embargo, does not allow the move."
    ),
    412: OpenApiResponse(PreconditionFailedSerializer, description="If-Match names an older version."),
}
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The story's ETag as last read: the write is refused with 412 if it changed since.",
)


_MOVE_ACTION = {"permission_classes": [IsAuthenticated], "pagination_class": None, "filter_backends": []}


def _move_schema(name: str, summary: str, rules: str):
    return extend_schema(
        summary=summary,
        description=f"{rules} A move the story's state does not allow answers 409 with the moves it does.",
        parameters=[_IF_MATCH],
        request={"application/json": MOVE_BODIES[name]} if name in MOVE_BODIES else None,
        responses={200: ArticleDetailSerializer, **_MOVE_ERRORS},
    )


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles: published ones for everybody, drafts too for users with ``view_article``.

    The desk writes here as in the admin, through the same services (permissions, revisions with
    the user as author, the change log, what follows each write): ``POST`` a story written by hand,
    ``PATCH`` one, ``POST`` a page or a URL for extraction, ``POST`` a move
    (``/api/articles/{id}/publish/``). Each story's ETag is its version: send it back in
    ``If-Match`` and a write over someone else's newer one is refused (412).
    """

    filterset_class = ArticleFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = article_list(user=self.request.user)
        if self.action in ("retrieve", "ninjs"):
            queryset = queryset.select_related("report").prefetch_related("notes")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        if self.action == "related":
            return RelatedItemSerializer
        if self.action in ("create", "partial_update"):
            return ArticleWriteSerializer
        if self.action == "from_page":
            return RawDocumentCreateSerializer
        if self.action == "from_url":
            return ArticleFromURLSerializer
        return ArticleListSerializer

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "retrieve":
            # The same story as ninjs, for a client that asks for it by media type (or ?format=ninjs).
            renderers.append(NinjsRenderer())
        return renderers

    def body_max_bytes(self) -> int:
        """A page sent in is held to ``INGEST_MAX_BYTES`` (as ``RawDocumentViewSet``); the rest to Django's limit."""
        if self.action == "from_page":
            return RawDocumentViewSet.body_max_bytes(self)
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    # --- Reading ------------------------------------------------------------------------------------

    @extend_schema(
        responses={
            (200, "application/json"): ArticleDetailSerializer,
            (200, ninjs.MEDIA_TYPE): NinjsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such story, or not one the user may read."),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        if request.accepted_renderer.format == NinjsRenderer.format:
            return self._ninjs_response(article)
        response = Response(self.get_serializer(article).data)
        response["ETag"] = article_etag(article)
        return response

    @extend_schema(
        summary="The story as IPTC ninjs 2.1",
        description=(
            "The same story in the IPTC's News in JSON format (ninjs 2.1), for systems that read it: "
            "docs/api.md (As IPTC ninjs) maps each field. Also served by GET /api/articles/{id}/ with "
            f"Accept: {ninjs.MEDIA_TYPE}."
        ),
        responses={
            200: NinjsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such story, or not one the user may read."),
        },
    )
    @action(
        detail=True, renderer_classes=[NinjsRenderer, JSONRenderer], pagination_class=None, filter_backends=[]
    )
    def ninjs(self, request, pk=None, format=None):
        return self._ninjs_response(self.get_object())

    def _ninjs_response(self, article: Article) -> Response:
        body = ninjs.article_ninjs(
            article, absolute=self.request.build_absolute_uri, version=article.history.count()
        )
        response = Response(body)
        response["ETag"] = article_etag(article)
        return response

    # --- Writing ------------------------------------------------------------------------------------

    @extend_schema(
        summary="Write a story",
        description=(
            "A story written by hand, filed as a draft (move it on with submit, publish...). Needs "
            "articles.add_article; an embargo or expiry needs articles.publish_article as well."
        ),
        request={"application/json": ArticleWriteSerializer},
        responses={
            201: ArticleDetailSerializer,
            400: OpenApiResponse(description="Invalid request."),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in, or a permission is missing."),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = ArticleWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        article = Article(status=Article.Status.DRAFT, **data)
        if not article.slug:
            article.slug = services.article_unique_slug(article.headline)
        services.article_save(article=article, by=request.user, fields=list(data), created=True)
        return self._story_response(article, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a story",
        description=(
            "Change some of a story's fields, as the admin's form does: a revision with the user as "
            "author, the desk's edits kept through re-extraction, the story re-tagged and its pages "
            "refreshed. Needs articles.change_article; a live story (published or scheduled), an "
            "embargo or an expiry needs articles.publish_article as well."
        ),
        parameters=[_IF_MATCH],
        request={"application/json": ArticleWriteSerializer(partial=True)},
        responses={
            200: ArticleDetailSerializer,
            400: OpenApiResponse(description="Invalid request."),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in, or a permission is missing."),
            404: OpenApiResponse(ErrorSerializer, description="No such story, or not one the user may read."),
            412: _MOVE_ERRORS[412],
        },
    )
    def partial_update(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ArticleWriteSerializer(
            article, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article.pk)
            stale = _stale(request, article)
            if stale is not None:
                return stale
            changed = []
            for name, value in serializer.validated_data.items():
                if getattr(article, name) != value:
                    setattr(article, name, value)
                    changed.append(name)
            if changed:
                services.article_save(article=article, by=request.user, fields=changed)
            else:
                # Nothing to save, but the permission is asked all the same: the answer must not
                # tell a user who may not edit the story anything an editor would not be told.
                audit.permission_require(request.user, *workflow.edit_permissions(status=article.status))
        return self._story_response(article, status.HTTP_200_OK)

    @extend_schema(
        summary="Send a page in for a story",
        description=(
            "A page (an uploaded file, or its text as content) stored as a raw document and sent to "
            "extraction, which files its story: follow the raw document's api_url to its article_id. "
            "The same as POST /api/raw-documents/, and the same rules: exactly one of file or content."
        ),
        request={"multipart/form-data": PageUploadSerializer, "application/json": PageTextSerializer},
        responses={
            201: RawDocumentIngestResultSerializer,
            200: OpenApiResponse(RawDocumentIngestResultSerializer, description="Already stored."),
            400: OpenApiResponse(description="Invalid request."),
            403: OpenApiResponse(
                ErrorSerializer, description="Needs articles.add_rawdocument (and see publish, agency)."
            ),
            413: OpenApiResponse(ErrorSerializer, description="Over the size limit."),
        },
    )
    @action(
        detail=False, methods=["post"], url_path="from-page", url_name="from-page",
        permission_classes=SENDERS, pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def from_page(self, request, format=None):
        serializer = RawDocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _page_ingest(request, serializer.validated_data, self.get_serializer_context())

    @extend_schema(
        summary="Send a URL in for a story",
        description=(
            "The page at url is fetched through the safe fetcher (no local or private addresses, the "
            "size and time limits of ingest, as the admin's ingest form), stored as a raw document and "
            "sent to extraction. A page that cannot be fetched answers 400 with the reason."
        ),
        request={"application/json": ArticleFromURLSerializer},
        responses={
            201: RawDocumentIngestResultSerializer,
            200: OpenApiResponse(RawDocumentIngestResultSerializer, description="Already stored."),
            400: OpenApiResponse(
                description="Invalid request (the fields in error), or the page could not be fetched "
                "(detail: the reason)."
            ),
            403: OpenApiResponse(
                ErrorSerializer, description="Needs articles.add_rawdocument (and see publish, agency)."
            ),
        },
    )
    @action(
        detail=False, methods=["post"], url_path="from-url", url_name="from-url",
        permission_classes=SENDERS, pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def from_url(self, request, format=None):
        serializer = ArticleFromURLSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["publish"]:
            # Refused before anything is fetched: the fetch itself is a cost to someone else.
            audit.permission_require(request.user, "articles.publish_article")
        try:
            content, content_type = services.source_fetch(data["url"])
            result = services.raw_document_ingest(
                content=content,
                source=data["url"],
                source_kind=RawDocument.SourceKind.URL,
                content_type=content_type,
                reference_date=data.get("reference_date"),
                agency_name=data.get("agency") or "",
                publish=data["publish"],
                by=request.user,
            )
        except services.IngestError as exc:
            return _error(str(exc), status.HTTP_400_BAD_REQUEST)
        return _ingest_result(result, self.get_serializer_context())

    def _story_response(self, article: Article, code: int) -> Response:
        article = Article.objects.select_related("agency", "report").get(pk=article.pk)
        body = ArticleDetailSerializer(article, context=self.get_serializer_context()).data
        response = Response(body, status=code)
        response["ETag"] = article_etag(article)
        if code == status.HTTP_201_CREATED:
            # A ``Hyperlink`` (a str subclass) is not a header value a WSGI server takes.
            response["Location"] = str(body["api_url"])
        return response

    # --- Moves --------------------------------------------------------------------------------------

    def _make_move(self, request, name: str) -> Response:
        body = MOVE_BODIES.get(name)
        data = {}
        if body is not None:
            serializer = body(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        article = self.get_object()
        with transaction.atomic():
            stale = _stale(request, Article.objects.select_for_update().get(pk=article.pk))
            if stale is not None:
                return stale
            try:
                article = services.article_move(article=article, name=name, by=request.user, **data)
            except workflow.MoveRefused as exc:
                return _move_refused(request, article, str(exc))
        return self._story_response(article, status.HTTP_200_OK)

    @extend_schema(
        summary="Related articles",
        description=(
            "Ranked related items with the score and its reasons. Served from a cache that every "
            "change drops; send If-None-Match with the ETag for a 304."
        ),
        parameters=[RelatedQuerySerializer],
        responses={200: RelatedItemSerializer(many=True), 304: OpenApiResponse(description="Not modified.")},
    )
    # Any reader may GET (as before); drafts stay hidden by get_object's visible queryset.
    @action(detail=True, pagination_class=None, filter_backends=[], permission_classes=[AllowAny])
    def related(self, request, pk=None, format=None):
        try:
            limit = related_limit(request.query_params.get("limit"))
        except LimitError as exc:
            raise ValidationError({"limit": [str(exc)]}) from None
        # A cached list exists only for a published article, which anybody may read: no query.
        related = related_list_cached(article_id=int(pk))
        public = related is not None
        if related is None:
            article = self.get_object()
            related = related_list(article=article)
            public = article.status == Article.Status.PUBLISHED
        items, etag = related.head(limit)
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            # What RelatedItemSerializer gives (a test holds them equal), without its per-call cost:
            # this is the hot path of every embedded widget.
            response = Response([related_item_representation(item, request) for item in items])
        response["ETag"] = etag
        response["Cache-Control"] = related_cache_control(public=public)
        return response

    @extend_schema(
        summary="Move a story through its life",
        description=(
            "Makes one move of docs/workflow.md by its name: submit, mark_ready, send_back, schedule "
            "(publish_at), unschedule, publish, unpublish, correct (kind, text), kill (notice), archive. "
            "The same as POST /api/articles/{id}/<move>/, with the same rules."
        ),
        parameters=[_IF_MATCH],
        request={"application/json": ArticleMoveSerializer},
        responses={200: ArticleDetailSerializer, **_MOVE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"moves/(?P<move>[a-z_]+)",
        url_name="move",
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def move(self, request, pk=None, move=None, format=None):
        if move not in workflow.MOVES:
            return _error(f"There is no move called {move}.", status.HTTP_404_NOT_FOUND)
        return self._make_move(request, move)

    @extend_schema(
        summary="Count one view (beacon)",
        request=None,
        responses={204: OpenApiResponse(description="Received."), 404: OpenApiResponse(ErrorSerializer)},
    )
    # Sent by navigator.sendBeacon from any page: no session, so no CSRF check. Bots,
    # prefetches and repeats get the same 204 and are not counted (docs/page-views.md).
    @action(
        detail=True,
        methods=["post"],
        authentication_classes=[],
        permission_classes=[AllowAny],
        pagination_class=None,
        filter_backends=[],
    )
    def views(self, request, pk=None, format=None):
        # Served by view_beacon_view, mounted ahead of the router; this answers the router's
        # other routes to it (a format suffix) and documents it in the schema.
        return _view_beacon(request, pk)

    @extend_schema(
        summary="Daily views",
        parameters=[DailyViewsQuerySerializer],
        responses=ArticleDailyViewsSerializer,
    )
    @action(
        detail=True, url_path="views/daily", url_name="views-daily", pagination_class=None, filter_backends=[]
    )
    def daily_views(self, request, pk=None, format=None):
        query = DailyViewsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        article = self.get_object()
        pending = counters.article_pending_views(article_id=article.pk)
        body = {
            "article_id": article.pk,
            "legacy_view_count": article.legacy_view_count,
            "view_count": article.view_count,
            "pending_views": pending,
            "total_views": article.total_views + pending,
            "days": counters.article_view_days(article=article, days=query.validated_data["days"]),
        }
        return Response(ArticleDailyViewsSerializer(body).data)

    @extend_schema(
        summary="Most read",
        parameters=[MostReadQuerySerializer],
        responses=MostReadItemSerializer(many=True),
    )
    @action(
        detail=False, url_path="most-read", url_name="most-read", pagination_class=None, filter_backends=[]
    )
    def most_read(self, request, format=None):
        query = MostReadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = counters.articles_most_read(**query.validated_data)
        data = MostReadItemSerializer(items, many=True, context=self.get_serializer_context()).data
        # The list itself is cached for MOST_READ_CACHE_SECONDS; clients and proxies may keep it as long.
        return Response(
            data, headers={"Cache-Control": f"public, max-age={settings.MOST_READ_CACHE_SECONDS}"}
        )

    # One action a move, each on its own URL with its own body in the schema. Permissions: the
    # move's own (articles.workflow), checked by the service as for the admin's buttons.

    @_move_schema("submit", "Submit a draft for review", "Needs articles.change_article.")
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def submit(self, request, pk=None, format=None):
        return self._make_move(request, "submit")

    @_move_schema("mark_ready", "Mark a story ready", "Needs articles.review_article.")
    @action(detail=True, methods=["post"], url_path="mark-ready", url_name="mark-ready", **_MOVE_ACTION)
    def mark_ready(self, request, pk=None, format=None):
        return self._make_move(request, "mark_ready")

    @_move_schema("send_back", "Send a ready story back to review", "Needs articles.review_article.")
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back", **_MOVE_ACTION)
    def send_back(self, request, pk=None, format=None):
        return self._make_move(request, "send_back")

    @_move_schema(
        "schedule",
        "Schedule a story",
        "It goes live at publish_at (a time to come; not before an embargo ends, unless the user holds "
        "articles.publish_embargoed_article). Needs articles.publish_article.",
    )
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def schedule(self, request, pk=None, format=None):
        return self._make_move(request, "schedule")

    @_move_schema("unschedule", "Unschedule a story", "Back to ready. Needs articles.publish_article.")
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def unschedule(self, request, pk=None, format=None):
        return self._make_move(request, "unschedule")

    @_move_schema(
        "publish",
        "Publish a story",
        "Live at once; under embargo only for a user holding articles.publish_embargoed_article "
        "(else 409 with the embargo's end). Needs articles.publish_article.",
    )
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def publish(self, request, pk=None, format=None):
        return self._make_move(request, "publish")

    @_move_schema("unpublish", "Unpublish a story", "Back to a draft. Needs articles.publish_article.")
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def unpublish(self, request, pk=None, format=None):
        return self._make_move(request, "unpublish")

    @_move_schema(
        "correct",
        "Add a correction or update",
        "A note readers see under the story, with its time. Needs articles.publish_article.",
    )
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def correct(self, request, pk=None, format=None):
        return self._make_move(request, "correct")

    @_move_schema(
        "kill",
        "Kill a story",
        "Withdrawn for good: readers get 410 Gone with the notice. Needs articles.kill_article.",
    )
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def kill(self, request, pk=None, format=None):
        return self._make_move(request, "kill")

    @_move_schema("archive", "Archive a killed story", "Needs articles.kill_article.")
    @action(detail=True, methods=["post"], **_MOVE_ACTION)
    def archive(self, request, pk=None, format=None):
        return self._make_move(request, "archive")


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Agency.objects.order_by("name", "id")
    serializer_class = AgencySerializer
    lookup_field = "slug"


class RawDocumentViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Pages as they arrived: send one for ingest, or follow its extraction."""

    # The stored bytes are never loaded for the API; editors read them in the admin.
    queryset = RawDocument.objects.defer("content").select_related("agency_hint", "article")
    permission_classes = [IsAuthenticated, DjangoModelViewPermissions]
    filterset_fields = ["status", "source_kind"]

    def get_serializer_class(self):
        if self.action == "create":
            return RawDocumentCreateSerializer
        return RawDocumentSerializer

    def body_max_bytes(self) -> int:
        """A page of up to ``INGEST_MAX_BYTES``, with a quarter more for JSON escaping and the other fields
        (read by ``articles.api.parsers``); the page itself is then held to ``INGEST_MAX_BYTES``."""
        return settings.INGEST_MAX_BYTES + settings.INGEST_MAX_BYTES // 4

    @extend_schema(
        summary="Ingest a page",
        request={
            "multipart/form-data": RawDocumentCreateSerializer,
            "application/json": RawDocumentCreateJSONSerializer,
        },
        responses={
            201: RawDocumentIngestResultSerializer,
            200: OpenApiResponse(RawDocumentIngestResultSerializer, description="Already stored."),
            400: OpenApiResponse(description="Invalid request."),
            403: OpenApiResponse(
                ErrorSerializer,
                description="A consequence needs a permission the sender lacks: publish needs "
                "articles.publish_article, an agency name no agency answers to needs articles.add_agency.",
            ),
            413: OpenApiResponse(ErrorSerializer, description="Over the size limit."),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _page_ingest(request, serializer.validated_data, self.get_serializer_context())


def _view_beacon(request, pk) -> HttpResponse:
    """Count a beacon hit: 204 whether counted or not (bots learn nothing), 404 for no published article."""
    outcome = counters.article_view_hit(request=request, article_id=int(pk), fetch_dest="empty")
    if outcome == counters.Outcome.NOT_FOUND:
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    response = HttpResponse(status=status.HTTP_204_NO_CONTENT)
    response["Cache-Control"] = "no-store"
    return response


def _error(detail: str, code: int) -> Response:
    return Response({"detail": detail}, status=code)


def article_etag(article: Article) -> str:
    """The story's version as a strong ETag: its id and the time of its last save, to the microsecond."""
    stamp = article.updated_at.timestamp() if article.updated_at else 0
    return f'"{article.pk}-{round(stamp * 1_000_000)}"'


def _stale(request, article: Article) -> Response | None:
    """412 when ``If-Match`` names another version of ``article`` than the one stored; None to go on."""
    wanted = request.headers.get("If-Match")
    if not wanted:
        return None
    current = article_etag(article)
    tags = {tag.strip() for tag in wanted.split(",")}
    if "*" in tags or current in tags:
        return None
    response = Response(
        {"detail": "The story changed since you read it: read it again, then retry.", "etag": current},
        status=status.HTTP_412_PRECONDITION_FAILED,
    )
    response["ETag"] = current
    return response


def _move_refused(request, article: Article, reason: str) -> Response:
    current = Article.objects.only("status").get(pk=article.pk).status
    allowed = [move.name for move in workflow.moves_from(current) if request.user.has_perm(move.permission)]
    return Response(
        {"detail": reason, "status": current, "allowed_moves": allowed}, status=status.HTTP_409_CONFLICT
    )


def _page_ingest(request, data: dict, context: dict) -> Response:
    """Store a page sent as a file or as text (``RawDocumentCreateSerializer``) and queue its extraction."""
    upload = data.get("file")
    text = data["content"].encode("utf-8") if upload is None else b""
    size = upload.size if upload is not None else len(text)
    # Checked before the upload is read, so an oversized page is never loaded into memory.
    try:
        services.ingest_size_check(size)
    except services.IngestError as exc:
        return _error(str(exc), status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if upload is not None:
        content = upload.read()
        content_type = data.get("content_type") or upload.content_type or ""
        source = data.get("source") or upload.name
    else:
        content = text
        content_type = data.get("content_type") or "text/plain; charset=utf-8"
        source = data.get("source") or "api"
    try:
        result = services.raw_document_ingest(
            content=content,
            source=source,
            source_kind=RawDocument.SourceKind.API,
            content_type=content_type,
            reference_date=data.get("reference_date"),
            agency_name=data.get("agency") or "",
            publish=data["publish"],
            by=request.user,
        )
    except services.IngestError as exc:
        return _error(str(exc), status.HTTP_400_BAD_REQUEST)
    return _ingest_result(result, context)


def _ingest_result(result, context: dict) -> Response:
    raw = RawDocument.objects.defer("content").select_related("agency_hint").get(pk=result.raw_document.pk)
    raw.duplicate = not result.created
    body = RawDocumentIngestResultSerializer(raw, context=context).data
    return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


def related_cached_view(request, pk: int):
    """The related action's cache hit, served without DRF's dispatch (the hot path of every widget).

    Mounted on the action's own URL ahead of the router: a published article's cached list is
    the same for every reader, so a hit needs no authentication, permission or serializer. A
    miss, anything but a plain JSON GET, or a bad ``limit`` goes to ``ArticleViewSet.related``.
    """
    # Headers are read from META: request.headers builds a dict of every header on first use.
    meta = request.META
    if (
        request.method in ("GET", "HEAD")
        and "format" not in request.GET
        and "html" not in meta.get("HTTP_ACCEPT", "")
    ):
        related = related_list_cached(article_id=pk)
        try:
            limit = related_limit(request.GET.get("limit"))
        except LimitError:
            related = None  # the action answers it, with the reason
        if related is not None:
            items, etag = related.head(limit)
            if etag_matches(meta.get("HTTP_IF_NONE_MATCH", ""), etag):
                response = HttpResponseNotModified()
            else:
                key = ("api", request.scheme, request.get_host(), len(items))
                body = related.rendered.get(key)
                if body is None:
                    body = _JSON.render([related_item_representation(item, request) for item in items])
                    related.rendered[key] = body
                response = HttpResponse(body, content_type="application/json")
            response["ETag"] = etag
            response["Cache-Control"] = related_cache_control(public=True)
            response["Vary"] = "Accept"
            return response
    return _related_action(request, pk=str(pk))


_JSON = JSONRenderer()
_related_action = ArticleViewSet.as_view({"get": "related"})


@csrf_exempt
def view_beacon_view(request, pk: int):
    """The view beacon, mounted on the action's own URL ahead of the router.

    Every page view of the site sends it; resolving it through the router's patterns and
    setting up the ViewSet would cost about as much as counting the hit. Anything but a
    POST goes to ``ArticleViewSet.views`` for its answer (405).
    """
    if request.method == "POST":
        return _view_beacon(request, pk)
    return _views_action(request, pk=str(pk))


_views_action = ArticleViewSet.as_view({"post": "views"})
