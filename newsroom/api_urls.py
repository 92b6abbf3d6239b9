"""The API: one router for every ViewSet, plus the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from articles.api.views import AgencyViewSet, ArticleViewSet, RawDocumentViewSet
from entities.api.views import EntityViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("raw-documents", RawDocumentViewSet, basename="raw-document")
router.register("entities", EntityViewSet, basename="entity")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
