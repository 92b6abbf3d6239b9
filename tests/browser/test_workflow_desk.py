"""The desk in a real browser: a story waiting in review published from its page, one scheduled going live
on time, one killed answering 410 to readers. Each step counted as the clicks an editor makes."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import services
from articles.models import Article
from newsroom import roles
from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-desk-password"


def desk_user(username: str, role: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.test", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(page, username: str, then: str):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{then}")


def test_from_the_desk_an_editor_fixes_the_flagged_seed_story_and_publishes_it_in_three_actions(page):
    desk_user("desk", roles.EDITOR)
    raw = services.raw_document_ingest(
        content=(REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes(),
        source="seed/page.txt",
        reference_date=dt.date(2015, 9, 28),
    ).raw_document
    seed = Article.objects.get(raw_document=raw)
    assert seed.status == Article.Status.NEEDS_REVIEW

    repeated = next(flag for flag in seed.report.flagged if flag["kind"] == "repeated_sentence")
    again, first = repeated["detail"]["again"], repeated["detail"]["first"]
    assert again in seed.body_text and first in seed.body_text

    log_in(page, "desk", "/admin/")
    desk = page.inner_text("#desk")
    assert seed.headline[:40] in desk and "A sentence appears twice" in desk
    page.screenshot(path=page.screenshots / "desk.png", full_page=True)
    actions = 0
    page.click(f"#desk >> text={seed.headline[:30]}")  # open it
    actions += 1
    assert "Now needs review." in page.inner_text(".workflow-moves")
    page.click('button[name=_fix]:has-text("Drop the repeated sentence")')  # fix the flag, in one click
    actions += 1
    page.wait_for_selector("text=Fixed; the flag is settled.")
    page.click("button[name=_move][value=publish]")  # Save and publish
    actions += 1
    page.wait_for_selector("text=Saved. Published.")
    page.screenshot(path=page.screenshots / "published-from-review.png", full_page=True)

    seed.refresh_from_db()
    assert seed.status == Article.Status.PUBLISHED
    assert actions == 3
    assert again not in seed.body_text and first in seed.body_text  # said once now
    page.context.clear_cookies()
    assert page.goto(seed.get_absolute_url()).status == 200


def test_on_a_wide_screen_the_page_a_story_came_from_sits_beside_it_with_the_removed_lines_struck(page):
    desk_user("desk", roles.EDITOR)
    raw = services.raw_document_ingest(
        content=(REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes(), source="seed/page.txt"
    ).raw_document
    seed = Article.objects.get(raw_document=raw)
    page.set_viewport_size({"width": 1600, "height": 1000})

    log_in(page, "desk", f"/admin/articles/article/{seed.pk}/change/")

    form, frame = (
        page.locator("#article_form").bounding_box(),
        page.locator(".source-page iframe").bounding_box(),
    )
    assert frame["x"] >= form["x"] + form["width"]  # beside the form, not under it
    assert frame["y"] < 300 and frame["height"] > 600  # in view from the top, most of the screen tall
    page.screenshot(path=page.screenshots / "story-with-source.png")
    # Looked into last: Playwright's own scripts are refused in the sandboxed frame, and its next
    # actions on the page no longer land.
    struck = page.frame_locator(".source-page iframe").locator("del")
    struck.first.wait_for()
    assert struck.first.inner_text() == seed.report.removed[0]
    assert struck.count() == len(seed.report.removed)


def test_a_story_scheduled_from_its_page_goes_live_on_time(page):
    desk_user("desk", roles.EDITOR)
    story = ArticleFactory(status=Article.Status.READY, headline="Budget day in Kuwait")
    at = (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)

    log_in(page, "desk", f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_move_publish_at_0", at.strftime("%Y-%m-%d"))
    page.fill("#id_move_publish_at_1", at.strftime("%H:%M:%S"))
    page.click("button[name=_move][value=schedule]")
    page.wait_for_selector("text=Saved. Scheduled.")

    story.refresh_from_db()
    assert (story.status, story.publish_at) == (Article.Status.SCHEDULED, at)
    page.context.clear_cookies()  # a reader now; the desk may preview what is not yet public
    assert page.goto(story.get_absolute_url()).status == 404

    assert services.articles_publish_due(now=at - dt.timedelta(seconds=1)) == 0
    assert services.articles_publish_due(now=at) == 1
    assert page.goto(story.get_absolute_url()).status == 200


def test_an_editor_cannot_kill_and_a_chief_editor_kills_with_a_notice_readers_see(page):
    desk_user("desk", roles.EDITOR)
    desk_user("chief", roles.CHIEF_EDITOR)
    story = ArticleFactory(status=Article.Status.PUBLISHED, headline="Wrong casualty figures")
    change = f"/admin/articles/article/{story.pk}/change/"

    log_in(page, "desk", change)
    assert page.locator("button[name=_move][value=kill]").count() == 0
    page.context.clear_cookies()

    log_in(page, "chief", change)
    page.fill("#id_move_notice", "The figures were not confirmed.")
    page.click("button[name=_move][value=kill]")
    page.wait_for_selector("text=Saved. Killed.")

    page.context.clear_cookies()
    response = page.goto(story.get_absolute_url())
    assert response.status == 410
    assert "The figures were not confirmed." in page.inner_text("main")
    page.screenshot(path=page.screenshots / "killed.png", full_page=True)


def test_the_history_page_shows_each_revision_with_a_diff_and_reverts_one(page):
    desk_user("desk", roles.EDITOR)
    story = ArticleFactory(status=Article.Status.READY, headline="Oil output steady", body_text="First line.")
    services.article_save(article=story, by=None, fields=["headline"], reason="Extracted.")

    log_in(page, "desk", f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_body_text", "First line.\n\nA wrong second line.")
    page.click("input[name=_save]")
    page.goto(f"/admin/articles/article/{story.pk}/history/")
    revisions = page.inner_text("#revisions")
    assert "desk · Edited: body text." in revisions
    newest = page.locator("#revisions .revision").first
    assert [label.strip() for label in newest.locator("th").all_inner_texts()] == ["Body text"]
    assert "A wrong second line." in newest.locator("ins").all_inner_texts()
    page.screenshot(path=page.screenshots / "revisions.png", full_page=True)

    page.click("button[name=revert]")  # the oldest revision's button is the last; the newest has none
    page.wait_for_selector("text=Reverted to the revision of")

    story.refresh_from_db()
    assert story.body_text == "First line."
