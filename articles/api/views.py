"""API ViewSets: articles with their related lists and view beacon, agencies, raw documents."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, DjangoModelPermissions, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles import counters, services, workflow
from articles.api.serializers import (
    AgencySerializer,
    ArticleDailyViewsSerializer,
    ArticleDetailSerializer,
    ArticleListSerializer,
    ArticleMoveSerializer,
    DailyViewsQuerySerializer,
    ErrorSerializer,
    MostReadItemSerializer,
    MostReadQuerySerializer,
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


class DjangoModelViewPermissions(DjangoModelPermissions):
    """Model permissions that guard reads too: ``view_<model>`` for GET and HEAD."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles: published ones for everybody, drafts too for users with ``view_article``."""

    filterset_class = ArticleFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = article_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.select_related("report").prefetch_related("notes")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        if self.action == "related":
            return RelatedItemSerializer
        return ArticleListSerializer

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
            "Makes one move of docs/workflow.md: submit, mark_ready, send_back, schedule (publish_at), "
            "unschedule, publish, unpublish, kill (notice), archive. Needs the move's permission; a move "
            "the story's state does not allow answers 409 with the reason."
        ),
        request=ArticleMoveSerializer,
        responses={
            200: ArticleDetailSerializer,
            400: OpenApiResponse(description="Invalid request."),
            403: OpenApiResponse(ErrorSerializer, description="The move needs a permission the user lacks."),
            404: OpenApiResponse(ErrorSerializer, description="No such story or move."),
            409: OpenApiResponse(ErrorSerializer, description="The story's state does not allow the move."),
        },
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
        data = ArticleMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = self.get_object()
        try:
            article = services.article_move(
                article=article, name=move, by=request.user, **data.validated_data
            )
        except workflow.MoveRefused as exc:
            return _error(str(exc), status.HTTP_409_CONFLICT)
        article = Article.objects.select_related("agency", "report").get(pk=article.pk)
        return Response(ArticleDetailSerializer(article, context=self.get_serializer_context()).data)

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
        data = serializer.validated_data
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
        raw = (
            RawDocument.objects.defer("content").select_related("agency_hint").get(pk=result.raw_document.pk)
        )
        raw.duplicate = not result.created
        body = RawDocumentIngestResultSerializer(raw, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


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
