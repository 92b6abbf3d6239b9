"""/api/docs/ on a machine without internet: Swagger UI renders every operation from the site's own
files, asks nothing of any other host, and the Content-Security-Policy blocks nothing."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_the_operations_with_no_request_leaving_the_site(page, live_server):
    site = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Anything for another host is refused here too, so the test itself never leaves the machine.
    page.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).netloc == site else route.abort(),
    )

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path", timeout=30_000)

    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/api/articles/" in paths and "/api/raw-documents/" in paths
    assert len(paths) >= 15
    # The bearer token scheme is offered under "Authorize".
    page.click(".swagger-ui .btn.authorize")
    assert "tokenAuth" in page.inner_text(".swagger-ui .dialog-ux")
    outside = [url for url in requested if not url.startswith("data:") and urlsplit(url).netloc != site]
    assert outside == []
    assert any(url.endswith("/api/schema/") for url in requested)
    assert any("/static/drf_spectacular_sidecar/" in url for url in requested)
    assert not page.csp_violations
