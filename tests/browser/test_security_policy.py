"""The Content-Security-Policy in a real browser: the pages' stylesheet applies, the beacon runs,
the API docs render from the site's own files, the widget shows, and nothing is blocked
(the page fixture fails a test on any violation Chromium reports)."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAPER = "rgb(255, 253, 248)"  # --paper in articles/static/articles/site.css


def test_public_pages_style_and_send_the_beacon_under_the_policy(page):
    story = ArticleFactory(headline="A story read under the policy")

    page.goto("/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == PAPER
    # The beacon script (from 'self') runs and its request is allowed (connect-src 'self').
    with page.expect_response(
        lambda response: response.url.endswith(f"/api/articles/{story.pk}/views/")
    ) as beacon:
        page.goto(story.get_absolute_url())
    assert beacon.value.status == 204
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == PAPER
    assert not page.csp_violations


def test_the_api_docs_render_swagger_ui_from_the_site(page):
    page.goto("/api/docs/")

    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Newsroom API" in page.inner_text(".swagger-ui .info .title")
    assert not page.csp_violations


def test_the_related_widget_page_is_styled_under_its_own_frame_ancestors(page):
    story = ArticleFactory()

    response = page.goto(f"/widgets/related/{story.pk}/")

    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.nr-related h2')).textTransform")
        == "uppercase"
    )
    assert not page.csp_violations


def test_the_admin_pages_keep_their_styles_and_scripts(page):
    get_user_model().objects.create_superuser("desk", "desk@example.test", "a-long-desk-password")
    story = ArticleFactory()

    page.goto("/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "a-long-desk-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{story.pk}/change/",
        f"/admin/articles/article/{story.pk}/history/",
        "/admin/articles/rawdocument/",
    ):
        page.goto(path)
        # The admin's stylesheet applied and its scripts ran (the theme toggle is built by script).
        assert page.evaluate("getComputedStyle(document.querySelector('#header')).display") != "inline", path
    page.goto("/admin/articles/article/")
    page.click("#changelist-filter summary, #changelist-filter h2", timeout=5_000)
    assert not page.csp_violations
