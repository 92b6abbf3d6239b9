"""Top-level URLs: public pages, the admin and the API."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from articles.api.views import related_cached_view, view_beacon_view


@require_GET
def healthz(request):
    """Alive: no database, no cache; also the benchmarks' trivial baseline view."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The hot paths of every page view and widget, ahead of the API router that serves the
    # same URLs otherwise: the view beacon and the related list's cache hits.
    path("api/articles/<int:pk>/views/", view_beacon_view),
    path("api/articles/<int:pk>/related/", related_cached_view),
    path("api/", include("newsroom.api_urls")),
    path("entities/", include("entities.urls")),
    path("", include("articles.urls")),
]
