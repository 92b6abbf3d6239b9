"""The admin's front page is the desk: what waits for review and why, scheduled stories, pages in, failures."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, RawDocument
from newsroom import roles
from tests.factories import ArticleFactory, ExtractionReportFactory, RawDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

GLUED = {
    "kind": "glued_word",
    "text": "Iraqiannounced",
    "detail": {"paragraph": 3, "parts": ["Iraqi", "announced"]},
}


@pytest.fixture
def editor_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    client.force_login(user)
    return client


def waiting(n: int, start: int = 0):
    for i in range(start, start + n):
        article = ArticleFactory(status=Article.Status.NEEDS_REVIEW, headline=f"Waiting story {i}")
        ExtractionReportFactory(article=article, flagged=[GLUED])


def test_the_desk_shows_what_waits_and_why(editor_client):
    waiting(1)
    ArticleFactory(
        status=Article.Status.SCHEDULED,
        headline="Budget day",
        publish_at=timezone.now() + dt.timedelta(hours=3),
    )
    RawDocumentFactory(
        source="broken.png", status=RawDocument.Status.FAILED, error="Not a text page (PNG image)."
    )

    html = editor_client.get("/admin/").content.decode()

    assert "Waiting for review (1)" in html
    assert "Waiting story 0" in html
    assert "Words run together in paragraph 3" in html and "probably “Iraqi announced”" in html
    assert "Budget day" in html
    assert "broken.png" in html and "Not a text page (PNG image)." in html


def test_the_desk_costs_the_same_queries_however_many_stories_wait(editor_client):
    waiting(2)
    with CaptureQueriesContext(connection) as few:
        editor_client.get("/admin/")
    waiting(8, start=2)
    with CaptureQueriesContext(connection) as many:
        html = editor_client.get("/admin/").content.decode()

    assert "Waiting story 9" in html
    assert len(many) == len(few)
