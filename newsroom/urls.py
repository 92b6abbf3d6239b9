"""Top-level URLs: public pages, the admin and the API."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Alive: no database, no cache; also the benchmarks' trivial baseline view."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("newsroom.api_urls")),
    path("entities/", include("entities.urls")),
    path("", include("articles.urls")),
]
