"""The desk through the API: stories written, edited, sent in and moved, with the admin's rules.

Each write goes through the same services as the admin (tests/test_permissions.py holds the
whole role table); here, what each one leaves behind: the revision and its author, the desk's
edited fields, the note readers see, the reason a move is refused, the version check.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, ArticleNote, RawDocument
from newsroom import roles
from tests.factories import AgencyFactory, ArticleFactory, UserFactory
from tests.web_server import STORY

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture(autouse=True)
def _roles():
    roles.roles_sync()


def signed_in(role: str | None) -> APIClient:
    """A client signed in with a session (as the desk's browser), in the group ``role``."""
    client = APIClient()
    if role is not None:
        user = UserFactory(username=f"user-{role.lower().replace(' ', '-')}")
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        client.user = user
    return client


@pytest.fixture
def reporter():
    return signed_in(roles.REPORTER)


@pytest.fixture
def editor():
    return signed_in(roles.EDITOR)


@pytest.fixture
def chief():
    return signed_in(roles.CHIEF_EDITOR)


def tomorrow() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


# --- Writing and editing --------------------------------------------------------------------------


def test_a_reporter_writes_a_draft_whose_first_revision_is_theirs(reporter):
    agency = AgencyFactory(name="Kuwait News Agency", slug="kuna")

    response = reporter.post(
        "/api/articles/",
        {
            "headline": "Harbour deal signed",
            "body_text": "The deal was signed.\n\nIt runs ten years.",
            "agency": "kuna",
            "authors": ["Ann Lee"],
            "dateline_place": "KUWAIT CITY",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert response["Location"] == body["api_url"]
    # A plain str: WSGI servers refuse a header value of a str subclass (a 500 under runserver).
    assert type(response.headers["Location"]) is str
    assert (article.status, article.slug, article.agency, article.byline) == (
        S.DRAFT,
        "harbour-deal-signed",
        agency,
        "Ann Lee",
    )
    assert article.body_html == "<p>The deal was signed.</p>\n<p>It runs ten years.</p>"
    (revision,) = article.history.all()
    assert revision.history_user == reporter.user and revision.history_change_reason == "Written."


def test_an_edit_is_a_revision_by_the_api_user_and_survives_re_extraction(editor):
    article = ArticleFactory(status=S.READY, headline="Old headline", standfirst="")

    response = editor.patch(
        f"/api/articles/{article.pk}/",
        {"headline": "New headline", "standfirst": "In short.", "body_text": "One new paragraph."},
        format="json",
    )

    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("New headline", "In short.")
    assert article.body_html == "<p>One new paragraph.</p>"
    assert set(article.edited_fields) >= {"headline", "body_text", "body_html"}
    latest = article.history.order_by("-history_date").first()
    assert latest.history_user == editor.user
    assert latest.history_change_reason.startswith("Edited: ")
    assert response.json()["headline"] == "New headline"


def test_a_reporter_may_edit_a_draft_but_not_a_published_story_nor_its_embargo(reporter):
    draft = ArticleFactory(status=S.DRAFT)
    live = ArticleFactory(status=S.PUBLISHED, headline="Live headline")

    assert (
        reporter.patch(f"/api/articles/{draft.pk}/", {"section": "Business"}, format="json").status_code
        == 200
    )
    refused = reporter.patch(f"/api/articles/{live.pk}/", {"headline": "Changed"}, format="json")
    embargo = reporter.patch(
        f"/api/articles/{draft.pk}/", {"embargo_until": tomorrow().isoformat()}, format="json"
    )

    assert refused.status_code == 403 and "articles.publish_article" in refused.json()["detail"]
    assert embargo.status_code == 403
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.headline == "Live headline" and draft.embargo_until is None and draft.section == "Business"


def test_an_edit_of_a_published_story_reaches_its_public_page(
    editor, client, django_capture_on_commit_callbacks
):
    live = ArticleFactory(status=S.PUBLISHED, slug="live-story", headline="First take")
    assert b"First take" in client.get("/articles/live-story/").content  # now in the page cache

    # What follows the commit (the page cache turning over) runs as it would in production.
    with django_capture_on_commit_callbacks(execute=True):
        editor.patch(f"/api/articles/{live.pk}/", {"headline": "Second take"}, format="json")

    page = client.get("/articles/live-story/").content
    assert b"Second take" in page and b"First take" not in page


def test_invalid_writes_answer_400_with_the_field_and_change_nothing(editor):
    article = ArticleFactory(status=S.DRAFT, headline="Kept")
    revisions = article.history.count()

    blank = editor.patch(f"/api/articles/{article.pk}/", {"body_text": "  "}, format="json")
    nul = editor.patch(f"/api/articles/{article.pk}/", {"headline": "a\x00b"}, format="json")
    agency = editor.patch(f"/api/articles/{article.pk}/", {"agency": "no-such-agency"}, format="json")
    missing = editor.post("/api/articles/", {"headline": "No body"}, format="json")

    assert [r.status_code for r in (blank, nul, agency, missing)] == [400, 400, 400, 400]
    assert set(blank.json()) == {"body_text"} and set(missing.json()) == {"body_text"}
    article.refresh_from_db()
    assert article.headline == "Kept" and article.history.count() == revisions


def test_a_stale_if_match_is_412_and_the_current_etag_lets_the_edit_through(editor):
    article = ArticleFactory(status=S.DRAFT)
    etag = editor.get(f"/api/articles/{article.pk}/")["ETag"]
    # Someone else saves in between.
    assert (
        editor.patch(f"/api/articles/{article.pk}/", {"section": "World"}, format="json").status_code == 200
    )

    stale = editor.patch(
        f"/api/articles/{article.pk}/", {"section": "Gulf"}, format="json", HTTP_IF_MATCH=etag
    )
    current = stale["ETag"]
    fresh = editor.patch(
        f"/api/articles/{article.pk}/", {"section": "Gulf"}, format="json", HTTP_IF_MATCH=current
    )
    stale_move = editor.post(f"/api/articles/{article.pk}/submit/", HTTP_IF_MATCH=current)

    assert stale.status_code == 412 and stale.json()["etag"] == current != etag
    assert fresh.status_code == 200 and fresh["ETag"] != current
    assert stale_move.status_code == 412
    article.refresh_from_db()
    assert (article.section, article.status) == ("Gulf", S.DRAFT)


def test_anonymous_writes_are_refused_and_change_nothing():
    article = ArticleFactory(status=S.READY, headline="Untouched")
    anonymous = APIClient()

    answers = [
        anonymous.post("/api/articles/", {"headline": "x", "body_text": "y"}, format="json"),
        anonymous.patch(f"/api/articles/{article.pk}/", {"headline": "x"}, format="json"),
        anonymous.post(f"/api/articles/{article.pk}/publish/"),
        anonymous.post("/api/articles/from-page/", {"content": "A page"}, format="json"),
        anonymous.post("/api/articles/from-url/", {"url": "https://example.com/"}, format="json"),
    ]

    assert {response.status_code for response in answers} <= {401, 403}
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Untouched", S.READY)
    assert Article.objects.count() == 1 and not RawDocument.objects.exists()


# --- Moves ----------------------------------------------------------------------------------------

# move: (the state it starts from, its body, the state it leaves, the role that may, a role that may not)
MOVES = {
    "submit": (S.DRAFT, {}, S.NEEDS_REVIEW, roles.REPORTER, roles.API_PARTNER),
    "mark-ready": (S.NEEDS_REVIEW, {}, S.READY, roles.EDITOR, roles.REPORTER),
    "send-back": (S.READY, {}, S.NEEDS_REVIEW, roles.EDITOR, roles.REPORTER),
    "schedule": (S.READY, {"publish_at": "tomorrow"}, S.SCHEDULED, roles.EDITOR, roles.REPORTER),
    "unschedule": (S.SCHEDULED, {}, S.READY, roles.EDITOR, roles.REPORTER),
    "publish": (S.READY, {}, S.PUBLISHED, roles.EDITOR, roles.REPORTER),
    "unpublish": (S.PUBLISHED, {}, S.DRAFT, roles.EDITOR, roles.REPORTER),
    "correct": (
        S.PUBLISHED,
        {"text": "An earlier version gave the wrong date."},
        S.PUBLISHED,
        roles.EDITOR,
        roles.REPORTER,
    ),
    "kill": (
        S.PUBLISHED,
        {"notice": "Withdrawn: the figures were wrong."},
        S.KILLED,
        roles.CHIEF_EDITOR,
        roles.EDITOR,
    ),
    "archive": (S.KILLED, {}, S.ARCHIVED, roles.CHIEF_EDITOR, roles.EDITOR),
}


def _story(source):
    extra = {"publish_at": tomorrow()} if source == S.SCHEDULED else {}
    return ArticleFactory(status=source, kill_notice="Withdrawn." if source == S.KILLED else "", **extra)


def _body(data):
    return {key: tomorrow().isoformat() if value == "tomorrow" else value for key, value in data.items()}


@pytest.mark.parametrize("move", MOVES)
def test_each_move_is_made_by_its_role_with_a_revision_by_them(move):
    source, data, target, role, _ = MOVES[move]
    client = signed_in(role)
    article = _story(source)

    response = client.post(f"/api/articles/{article.pk}/{move}/", _body(data), format="json")

    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert article.status == target and response.json()["status"] == target
    latest = article.history.order_by("-history_date").first()
    assert latest.history_user == client.user
    assert response["ETag"]


@pytest.mark.parametrize("move", MOVES)
def test_each_move_is_refused_to_a_role_without_its_permission(move):
    source, data, _, _, role = MOVES[move]
    client = signed_in(role)
    article = _story(source)

    response = client.post(f"/api/articles/{article.pk}/{move}/", _body(data), format="json")

    # A partner cannot even read a draft: it is not there for them.
    assert response.status_code in ({404} if role == roles.API_PARTNER else {403}), response.content
    article.refresh_from_db()
    assert article.status == source and not ArticleNote.objects.exists()


def test_a_move_the_state_does_not_allow_is_409_with_the_moves_it_does(editor):
    article = ArticleFactory(status=S.DRAFT)

    response = editor.post(f"/api/articles/{article.pk}/unpublish/")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "A story that is draft cannot be moved with “Unpublish”."
    assert body["status"] == "draft"
    # The editor's moves from a draft; kill is not one of a draft's moves at all.
    assert body["allowed_moves"] == ["submit", "mark_ready", "schedule", "publish"]


def test_an_embargo_refuses_publishing_with_its_end_unless_the_user_may_break_it(editor, chief):
    embargo = timezone.now() + dt.timedelta(hours=6)
    article = ArticleFactory(status=S.READY, embargo_until=embargo)

    refused = editor.post(f"/api/articles/{article.pk}/publish/")
    early = editor.post(
        f"/api/articles/{article.pk}/schedule/", {"publish_at": tomorrow().isoformat()}, format="json"
    )
    article.refresh_from_db()
    assert article.status == S.SCHEDULED
    allowed = chief.post(f"/api/articles/{article.pk}/publish/")

    assert refused.status_code == 409 and "under embargo until" in refused.json()["detail"]
    assert early.status_code == 200  # tomorrow is after the embargo ends
    assert allowed.status_code == 200 and allowed.json()["status"] == "published"


def test_a_move_missing_what_it_needs_is_400_naming_the_field(editor):
    live = ArticleFactory(status=S.PUBLISHED)
    ready = ArticleFactory(status=S.READY)

    kill = signed_in(roles.CHIEF_EDITOR).post(f"/api/articles/{live.pk}/kill/", {}, format="json")
    schedule = editor.post(f"/api/articles/{ready.pk}/schedule/", {}, format="json")
    past = editor.post(
        f"/api/articles/{ready.pk}/schedule/", {"publish_at": "2001-01-01T00:00:00Z"}, format="json"
    )
    correct = editor.post(f"/api/articles/{live.pk}/moves/correct/", {"kind": "update"}, format="json")

    assert (kill.status_code, set(kill.json())) == (400, {"notice"})
    assert (schedule.status_code, set(schedule.json())) == (400, {"publish_at"})
    assert past.status_code == 409 and "a time still to come" in past.json()["detail"]
    assert (correct.status_code, set(correct.json())) == (400, {"text"})


def test_a_correction_through_the_api_is_shown_on_the_public_page(editor, client):
    article = ArticleFactory(status=S.PUBLISHED, slug="harbour-deal")

    response = editor.post(
        f"/api/articles/{article.pk}/correct/",
        {"kind": "correction", "text": "An earlier version misnamed the port <Shuwaikh>."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["notes"][0]["text"] == "An earlier version misnamed the port <Shuwaikh>."
    page = client.get("/articles/harbour-deal/")
    assert page.status_code == 200
    assert b"An earlier version misnamed the port &lt;Shuwaikh&gt;." in page.content
    note = ArticleNote.objects.get()
    assert note.created_by == editor.user


def test_a_kill_through_the_api_answers_readers_410_with_its_notice(chief, client):
    article = ArticleFactory(status=S.PUBLISHED, slug="wrong-figures")

    chief.post(
        f"/api/articles/{article.pk}/kill/", {"notice": "Withdrawn: the figures were wrong."}, format="json"
    )

    page = client.get("/articles/wrong-figures/")
    assert page.status_code == 410 and b"Withdrawn: the figures were wrong." in page.content


# --- Stories from pages and URLs ------------------------------------------------------------------


def test_a_page_sent_in_becomes_a_story(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post(
            "/api/articles/from-page/",
            {"content": STORY.decode(), "content_type": "text/html"},
            format="json",
        )

    assert response.status_code == 201, response.content
    raw = RawDocument.objects.get(pk=response.json()["id"])
    assert raw.status == RawDocument.Status.DONE, raw.error
    assert raw.source_kind == RawDocument.SourceKind.API
    assert raw.article.headline == "Talks resume in Vienna"
    again = reporter.get(response.json()["api_url"]).json()
    assert again["article_id"] == raw.article.pk


def test_a_partner_may_send_a_page_in_but_not_write_or_move_a_story(django_capture_on_commit_callbacks):
    partner = signed_in(roles.API_PARTNER)
    published = ArticleFactory(status=S.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        sent = partner.post(
            "/api/articles/from-page/", {"content": "Partner copy\n\nIts body."}, format="json"
        )
    written = partner.post("/api/articles/", {"headline": "x", "body_text": "y"}, format="json")
    edited = partner.patch(f"/api/articles/{published.pk}/", {"headline": "x"}, format="json")
    moved = partner.post(f"/api/articles/{published.pk}/unpublish/")

    assert sent.status_code == 201
    assert (written.status_code, edited.status_code, moved.status_code) == (403, 403, 403)
    # What it sent waits for the desk.
    assert RawDocument.objects.get().article.status in (S.NEEDS_REVIEW, S.READY)


def test_a_url_sent_in_is_fetched_safely_and_becomes_a_story(
    reporter, trusted_loopback, local_web, django_capture_on_commit_callbacks
):
    url = local_web.url("/story")

    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post("/api/articles/from-url/", {"url": url}, format="json")

    assert response.status_code == 201, response.content
    raw = RawDocument.objects.get()
    assert (raw.source, raw.source_kind, raw.content_bytes) == (url, RawDocument.SourceKind.URL, STORY)
    assert raw.status == RawDocument.Status.DONE, raw.error
    assert raw.article.headline == "Talks resume in Vienna"
    assert raw.article.dateline_place == "Vienna"
    assert [seen.path for seen in local_web.seen] == ["/story"]
    again = reporter.post("/api/articles/from-url/", {"url": url}, format="json")
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_a_url_on_a_local_address_is_refused_with_the_reason_and_never_fetched(reporter, local_web):
    url = local_web.url("/admin/")

    response = reporter.post("/api/articles/from-url/", {"url": url}, format="json")

    assert response.status_code == 400
    assert "127.0.0.1 is a loopback address" in response.json()["detail"]
    assert local_web.seen == [] and not RawDocument.objects.exists()


def test_asking_to_publish_a_url_without_the_permission_fetches_nothing(
    reporter, trusted_loopback, local_web
):
    response = reporter.post(
        "/api/articles/from-url/", {"url": local_web.url("/page"), "publish": True}, format="json"
    )

    assert response.status_code == 403
    assert local_web.seen == [] and not RawDocument.objects.exists()


# --- Schema ---------------------------------------------------------------------------------------


def test_the_schema_documents_each_write_with_its_body_and_refusals(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    assert set(paths["/api/articles/"]) >= {"get", "post"}
    assert set(paths["/api/articles/{id}/"]) >= {"get", "patch"} and "put" not in paths["/api/articles/{id}/"]
    assert set(paths["/api/articles/{id}/"]["patch"]["responses"]) >= {"200", "400", "403", "404", "412"}
    for move in ("submit", "mark-ready", "send-back", "schedule", "unschedule", "publish", "unpublish",
                 "correct", "kill", "archive"):  # fmt: skip
        post = paths[f"/api/articles/{{id}}/{move}/"]["post"]
        assert set(post["responses"]) >= {"200", "400", "403", "404", "409", "412"}, move
        assert any(parameter["name"] == "If-Match" for parameter in post["parameters"]), move
    schedule = paths["/api/articles/{id}/schedule/"]["post"]["requestBody"]["content"]["application/json"]
    assert schedule["schema"]["$ref"].endswith("/ArticleScheduleRequest")
    ninjs = paths["/api/articles/{id}/ninjs/"]["get"]["responses"]["200"]["content"]
    assert "application/vnd.iptc.ninjs+json" in ninjs
    detail = paths["/api/articles/{id}/"]["get"]["responses"]["200"]["content"]
    assert set(detail) >= {"application/json", "application/vnd.iptc.ninjs+json"}
    assert {"/api/articles/from-page/", "/api/articles/from-url/"} <= set(paths)
