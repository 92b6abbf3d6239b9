"""Top-level URLs: public pages, the admin and the API."""

from django.contrib import admin
from django.urls import include, path

from articles.api.views import related_cached_view, view_beacon_view
from newsroom import health, metrics

urlpatterns = [
    # Liveness, readiness, the system's health and the metrics: docs/operations.md.
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.ReadinessView.as_view(), name="readyz"),
    path("health/", health.SystemHealthView.as_view(), name="health"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # The hot paths of every page view and widget, ahead of the API router that serves the
    # same URLs otherwise: the view beacon and the related list's cache hits.
    path("api/articles/<int:pk>/views/", view_beacon_view),
    path("api/articles/<int:pk>/related/", related_cached_view),
    path("api/", include("newsroom.api_urls")),
    path("entities/", include("entities.urls")),
    path("", include("articles.urls")),
]
