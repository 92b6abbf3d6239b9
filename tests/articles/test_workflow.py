"""An article's life: every move with its permission, allowed and refused; scheduling; kills answering 410."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from articles import services, workflow
from articles.models import Article, RelatedLink
from articles.revisions import article_revisions
from tests.conftest import wait_for
from tests.factories import ArticleFactory, RelatedLinkFactory, user_with_permissions

pytestmark = pytest.mark.django_db

S = Article.Status
SOON = dt.timedelta(minutes=5)

# move: (a state it starts from, the state it ends in, the permission it needs, extra data)
CASES = {
    "submit": (S.DRAFT, S.NEEDS_REVIEW, "articles.change_article", {}),
    "mark_ready": (S.NEEDS_REVIEW, S.READY, "articles.review_article", {}),
    "send_back": (S.READY, S.NEEDS_REVIEW, "articles.review_article", {}),
    "schedule": (S.READY, S.SCHEDULED, "articles.publish_article", {"publish_at": "soon"}),
    "unschedule": (S.SCHEDULED, S.READY, "articles.publish_article", {}),
    "publish": (S.NEEDS_REVIEW, S.PUBLISHED, "articles.publish_article", {}),
    "unpublish": (S.PUBLISHED, S.DRAFT, "articles.publish_article", {}),
    "correct": (
        S.PUBLISHED,
        S.PUBLISHED,
        "articles.publish_article",
        {"kind": "correction", "text": "An earlier version gave the wrong date."},
    ),
    "kill": (S.PUBLISHED, S.KILLED, "articles.kill_article", {"notice": "The story was wrong."}),
    "archive": (S.KILLED, S.ARCHIVED, "articles.kill_article", {}),
}


def data_for(extra: dict) -> dict:
    return {key: timezone.now() + SOON if value == "soon" else value for key, value in extra.items()}


def test_every_move_of_the_table_is_tested():
    assert set(CASES) == set(workflow.MOVES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_move_with_its_permission_changes_the_state_and_is_logged(name):
    source, target, permission, extra = CASES[name]
    article = ArticleFactory(status=source)
    user = user_with_permissions(permission, username="desk")

    services.article_move(article=article, name=name, by=user, **data_for(extra))

    article.refresh_from_db()
    assert article.status == target
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.user.username == "desk"
    assert entry.get_change_message().startswith(workflow.MOVES[name].done)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_move_without_its_permission_is_refused_and_changes_nothing(name):
    source, _, permission, extra = CASES[name]
    article = ArticleFactory(status=source)
    others = {
        "articles.change_article",
        "articles.review_article",
        "articles.publish_article",
        "articles.kill_article",
    }
    user = user_with_permissions(*sorted(others - {permission}))

    with pytest.raises(PermissionDenied, match=permission.replace(".", r"\.")):
        services.article_move(article=article, name=name, by=user, **data_for(extra))

    article.refresh_from_db()
    assert article.status == source
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_move_from_a_state_it_does_not_leave_is_refused(name):
    *_, extra = CASES[name]
    move = workflow.MOVES[name]
    # Publishing a story already public is no move at all (it only refreshes its related list).
    wrong = next(status for status in S.values if status not in move.sources and status != move.target)
    article = ArticleFactory(status=wrong)

    with pytest.raises(workflow.MoveRefused, match="cannot be moved"):
        services.article_move(article=article, name=name, by=None, **data_for(extra))

    article.refresh_from_db()
    assert article.status == wrong


def test_scheduling_needs_a_time_to_come_and_a_kill_needs_a_notice():
    article = ArticleFactory(status=S.READY)
    with pytest.raises(workflow.MoveRefused, match="time still to come"):
        services.article_schedule(article=article, by=None, publish_at=timezone.now() - SOON)
    published = ArticleFactory(status=S.PUBLISHED)
    with pytest.raises(workflow.MoveRefused, match="notice"):
        services.article_kill(article=published, by=None, notice="  ")


def test_a_scheduled_story_stays_hidden_until_its_time_then_goes_live(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=S.READY, headline="Budget day")
    services.article_schedule(article=article, by=None, publish_at=timezone.now() + SOON)
    api = APIClient()

    assert services.articles_publish_due() == 0
    assert client.get(article.get_absolute_url()).status_code == 404
    assert api.get(f"/api/articles/{article.pk}/").status_code == 404
    assert "Budget day" not in client.get("/feeds/latest/").text

    # What follows the commit (the public pages' cache turning over) runs as it would in production.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.articles_publish_due(now=timezone.now() + SOON) == 1

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (S.PUBLISHED, None)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Budget day" in client.get("/feeds/latest/").text


def test_an_unscheduled_story_is_not_published_by_the_scheduler():
    article = ArticleFactory(status=S.READY)
    services.article_schedule(article=article, by=None, publish_at=timezone.now() + SOON)
    services.article_unschedule(article=article, by=None)

    assert services.articles_publish_due(now=timezone.now() + 2 * SOON) == 0
    article.refresh_from_db()
    assert article.status == S.READY


def test_a_killed_story_answers_410_with_its_notice_and_leaves_lists_and_feeds_at_once(client):
    article = ArticleFactory(status=S.PUBLISHED, headline="Wrong casualty figures")
    holder = ArticleFactory(status=S.PUBLISHED)
    RelatedLinkFactory(from_article=holder, to_article=article, kind=RelatedLink.Kind.COMPUTED)

    services.article_kill(article=article, by=None, notice="The figures were not confirmed.")

    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "The figures were not confirmed." in response.text
    assert "Wrong casualty figures" not in response.text
    assert not RelatedLink.objects.filter(to_article=article, kind=RelatedLink.Kind.COMPUTED).exists()
    assert "Wrong casualty figures" not in client.get("/feeds/latest/").text
    assert APIClient().get(f"/api/articles/{article.pk}/").status_code == 404

    services.article_archive(article=article, by=None)
    assert client.get(article.get_absolute_url()).status_code == 410


def test_the_moves_a_story_can_make_follow_the_table():
    assert [move.name for move in workflow.moves_from(S.NEEDS_REVIEW)] == [
        "mark_ready",
        "schedule",
        "publish",
    ]
    assert [move.name for move in workflow.moves_from(S.PUBLISHED)] == ["unpublish", "correct", "kill"]
    assert workflow.moves_from(S.ARCHIVED) == []


@pytest.mark.services
def test_the_real_scheduler_publishes_a_story_at_its_time(celery_worker_with_beat):
    article = ArticleFactory(status=S.READY)
    publish_at = timezone.now() + dt.timedelta(seconds=4)
    services.article_schedule(article=article, by=None, publish_at=publish_at)

    def status():
        return Article.objects.filter(pk=article.pk).values_list("status", flat=True).get()

    assert status() == S.SCHEDULED
    live = wait_for(lambda: status() == S.PUBLISHED, timeout=60, interval=0.2)
    went_live = timezone.now()
    assert live, celery_worker_with_beat.log_path.read_text(errors="replace")
    # Not before its time, and within a few beat intervals after it.
    assert publish_at <= went_live < publish_at + dt.timedelta(seconds=15)


# --- The same moves from the API and the shell ---------------------------------------------------------


def test_the_api_makes_a_move_with_the_users_permission():
    article = ArticleFactory(status=S.PUBLISHED)
    api = APIClient()
    api.force_authenticate(user_with_permissions("articles.view_article", "articles.publish_article"))

    refused = api.post(f"/api/articles/{article.pk}/moves/kill/", {"notice": "Wrong."}, format="json")
    assert refused.status_code == 403
    assert "articles.kill_article" in refused.json()["detail"]

    response = api.post(f"/api/articles/{article.pk}/moves/unpublish/", format="json")
    assert response.status_code == 200
    assert response.json()["status"] == S.DRAFT

    again = api.post(f"/api/articles/{article.pk}/moves/unpublish/", format="json")
    assert again.status_code == 409
    assert "cannot be moved" in again.json()["detail"]
    assert api.post(f"/api/articles/{article.pk}/moves/fly/", format="json").status_code == 404
    assert APIClient().post(f"/api/articles/{article.pk}/moves/publish/").status_code in (401, 403)


def test_the_api_schedules_with_a_time():
    article = ArticleFactory(status=S.READY)
    api = APIClient()
    api.force_authenticate(user_with_permissions("articles.view_article", "articles.publish_article"))
    at = timezone.now() + SOON

    response = api.post(
        f"/api/articles/{article.pk}/moves/schedule/", {"publish_at": at.isoformat()}, format="json"
    )

    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (S.SCHEDULED, at)


def test_the_command_moves_a_story_as_the_system_or_as_a_user():
    from django.core.management import CommandError, call_command

    article = ArticleFactory(status=S.PUBLISHED)
    user_with_permissions("articles.publish_article", username="night")

    with pytest.raises(CommandError, match="kill_article"):
        call_command("move_article", article.pk, "kill", "--notice", "Wrong.", "--user", "night")
    call_command("move_article", article.pk, "kill", "--notice", "Wrong.")

    article.refresh_from_db()
    assert (article.status, article.kill_notice) == (S.KILLED, "Wrong.")


# --- Corrections, embargoes and expiry -----------------------------------------------------------------


def test_a_correction_is_shown_to_readers_with_its_time_and_in_the_api(client):
    article = ArticleFactory(status=S.PUBLISHED, headline="Kuwait oil output")
    desk = user_with_permissions("articles.publish_article", username="desk")

    note = services.article_correct(
        article=article, by=desk, kind="correction", text="An earlier version gave the wrong <date>."
    )

    page = client.get(article.get_absolute_url()).text
    assert "<strong>Correction</strong>" in page
    assert "An earlier version gave the wrong &lt;date&gt;." in page
    notes = APIClient().get(f"/api/articles/{article.pk}/").json()["notes"]
    assert [(n["kind"], n["text"]) for n in notes] == [
        ("correction", "An earlier version gave the wrong <date>.")
    ]
    assert note.created_by == desk
    with pytest.raises(workflow.MoveRefused, match="needs its text"):
        services.article_correct(article=article, by=desk, kind="update", text=" ")


def test_an_embargoed_story_cannot_be_published_early_without_the_permission():
    embargo = timezone.now() + dt.timedelta(hours=1)
    article = ArticleFactory(status=S.READY, embargo_until=embargo)
    editor = user_with_permissions("articles.publish_article")
    chief = user_with_permissions("articles.publish_article", "articles.publish_embargoed_article")

    with pytest.raises(workflow.MoveRefused, match="under embargo"):
        services.article_publish(article=article, by=editor)
    with pytest.raises(workflow.MoveRefused, match="under embargo"):
        services.article_schedule(article=article, by=editor, publish_at=embargo - dt.timedelta(minutes=1))
    services.article_schedule(article=article, by=editor, publish_at=embargo)  # at its end is fine
    article.refresh_from_db()
    assert article.status == S.SCHEDULED

    services.article_publish(article=article, by=chief)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_an_expired_story_is_taken_down_by_the_scheduler(client, django_capture_on_commit_callbacks):
    expire_at = timezone.now() + dt.timedelta(hours=1)
    article = ArticleFactory(status=S.PUBLISHED, expire_at=expire_at)

    assert services.articles_expire_due(now=expire_at - dt.timedelta(seconds=1)) == 0
    assert client.get(article.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert services.articles_expire_due(now=expire_at) == 1

    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article_revisions(article)[0].reason == "Unpublished at its expiry time."


def test_the_command_adds_a_correction():
    from django.core.management import CommandError, call_command

    article = ArticleFactory(status=S.PUBLISHED)

    with pytest.raises(CommandError, match="needs its text"):
        call_command("move_article", article.pk, "correct")
    call_command(
        "move_article", article.pk, "correct", "--kind", "update", "--note", "Talks resumed on Monday."
    )

    assert [(n.kind, n.text) for n in article.notes.all()] == [("update", "Talks resumed on Monday.")]


@pytest.mark.parametrize("status", [S.PUBLISHED, S.SCHEDULED])
def test_an_edit_of_a_live_story_needs_the_permission_to_publish(status):
    article = ArticleFactory(status=status, headline="As readers see it")
    reporter = user_with_permissions("articles.change_article", username="reporter")
    editor = user_with_permissions("articles.change_article", "articles.publish_article", username="editor")

    article.headline = "Changed without review"
    with pytest.raises(PermissionDenied, match=r"articles\.publish_article"):
        services.article_save(article=article, by=reporter, fields=["headline"])
    assert Article.objects.get(pk=article.pk).headline == "As readers see it"

    services.article_save(article=article, by=editor, fields=["headline"])
    assert Article.objects.get(pk=article.pk).headline == "Changed without review"


def test_setting_an_expiry_is_scheduling_and_needs_the_permission_to_publish():
    article = ArticleFactory(status=S.DRAFT)
    reporter = user_with_permissions("articles.change_article", username="reporter")

    article.expire_at = timezone.now() + SOON
    with pytest.raises(PermissionDenied, match=r"articles\.publish_article"):
        services.article_save(article=article, by=reporter, fields=["expire_at"])
    article.refresh_from_db()
    assert article.expire_at is None

    article.headline = "A reporter's draft edit"
    services.article_save(article=article, by=reporter, fields=["headline"])
    assert Article.objects.get(pk=article.pk).headline == "A reporter's draft edit"
