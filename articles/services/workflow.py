"""Moves of an article through its life: submit, mark ready, send back, schedule, publish, correct, unpublish, kill.

Each move is an action: it takes the acting user as ``by`` (None: the system, such as the
scheduler), checks the permission ``articles.workflow`` names for it and that the story's
state allows it, and writes the change log. What readers and lists see follows at once:
a story leaving the public leaves every related list in the same transaction, and one going
public is related once the transaction commits (``articles.pipeline``).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles import counters, pipeline, revisions, workflow
from articles.models import Article, ArticleNote
from articles.related.refresh import article_related_withdraw
from articles.selectors import article_published_cache_key
from newsroom import audit, page_cache

MoveRefused = workflow.MoveRefused


def article_submit(*, article: Article, by) -> Article:
    """A draft goes to the review queue."""
    return _move(article, "submit", by)


def article_mark_ready(*, article: Article, by) -> Article:
    """A reviewed story is ready to be scheduled or published."""
    return _move(article, "mark_ready", by)


def article_send_back(*, article: Article, by) -> Article:
    return _move(article, "send_back", by)


def article_schedule(*, article: Article, by, publish_at: dt.datetime) -> Article:
    """The story goes live at ``publish_at`` (within the scheduler interval, 30 s), and not before, wherever readers look."""
    if publish_at <= timezone.now():
        raise MoveRefused("A story is scheduled for a time still to come; publish it to make it live now.")
    _embargo_check(article, by, publish_at)
    return _move(article, "schedule", by, publish_at=publish_at, note=f"for {publish_at:%Y-%m-%d %H:%M %Z}")


def article_unschedule(*, article: Article, by) -> Article:
    return _move(article, "unschedule", by, publish_at=None)


def article_publish(*, article: Article, by, relate: bool = True) -> Article:
    """Make the story public; its related list and its neighbours' lists follow.

    Publishing a story already public changes nothing but refreshes its related list.
    ``relate=False`` when the caller reports the story to the pipeline itself: a story
    published as it is extracted has its related refresh after its tags, not before.
    """
    if article.status == Article.Status.PUBLISHED:
        audit.permission_require(by, workflow.MOVES["publish"].permission)
    else:
        _embargo_check(article, by, timezone.now())
        article = _move(article, "publish", by, publish_at=None)
    if relate:
        pipeline.article_published(article_id=article.pk)
    return article


def article_unpublish(*, article: Article, by) -> Article:
    """Take the story down to a draft; it leaves every related list at once."""
    return _move(article, "unpublish", by)


def article_kill(*, article: Article, by, notice: str) -> Article:
    """Withdraw a story for good: readers get 410 Gone with ``notice``; it leaves lists and feeds at once."""
    notice = notice.strip()
    if not notice:
        raise MoveRefused("A killed story needs a notice telling readers why it was withdrawn.")
    return _move(article, "kill", by, kill_notice=notice, publish_at=None)


def article_archive(*, article: Article, by) -> Article:
    return _move(article, "archive", by)


def article_correct(*, article: Article, by, kind: str, text: str) -> ArticleNote:
    """Add a correction or update note to a published story; readers see it with its time."""
    text = text.strip()
    if kind not in ArticleNote.Kind.values:
        raise MoveRefused(f"A note is a correction or an update, not {kind!r}.")
    if not text:
        raise MoveRefused("A correction or update needs its text.")
    # One transaction, so the public pages turn over (on commit) with the note in them.
    with transaction.atomic():
        _move(article, "correct", by, note=f"({ArticleNote.Kind(kind).label.lower()})")
        return ArticleNote.objects.create(article=article, kind=kind, text=text, created_by=by)


def articles_expire_due(*, now: dt.datetime | None = None) -> int:
    """Take down the published stories whose expiry time has come (the scheduler); how many."""
    return _each_due(
        Article.Status.PUBLISHED,
        "expire_at",
        now or timezone.now(),
        lambda article: _move(article, "unpublish", None, note="at its expiry time"),
    )


def articles_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish the scheduled stories whose time has come (the scheduler); how many."""
    return _each_due(
        Article.Status.SCHEDULED,
        "publish_at",
        now or timezone.now(),
        lambda article: article_publish(article=article, by=None),
    )


def _each_due(status: str, field: str, now: dt.datetime, move) -> int:
    """Make ``move`` on each story in ``status`` whose ``field`` time has come, each in its own transaction."""
    due = Article.objects.filter(status=status, **{f"{field}__lte": now}).order_by(field, "pk")
    moved = 0
    for article in due.iterator():
        with transaction.atomic():
            # Locked and checked again: an editor may have moved it while the scheduler ran.
            locked = Article.objects.select_for_update().filter(pk=article.pk).first()
            if locked is None or locked.status != status or getattr(locked, field) > now:
                continue
            move(locked)
            moved += 1
    return moved


@transaction.atomic
def _move(article: Article, name: str, by, *, note: str = "", **fields) -> Article:
    move = workflow.MOVES[name]
    audit.permission_require(by, move.permission)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    workflow.move_check(move, locked.status)
    was_public = locked.status == Article.Status.PUBLISHED
    article.status = move.target
    for field, value in fields.items():
        setattr(article, field, value)
    revisions.revision_stamp(article, by=by, reason=f"{move.done}{f' {note}' if note else ''}.")
    article.save(update_fields=["status", *fields, "updated_at"])
    if was_public and move.target != Article.Status.PUBLISHED:
        # Out of every computed list, and every cached list that showed it, in this transaction.
        article_related_withdraw(article=article)
        # And out of "most read" the moment the change commits, not when the cached list expires.
        transaction.on_commit(counters.articles_most_read_forget)
    if was_public or move.target == Article.Status.PUBLISHED:
        transaction.on_commit(lambda: cache.delete(article_published_cache_key(article.pk)))
    # Every move may change what readers see (a list, a page, a notice): the public pages'
    # cache turns over once the move commits (newsroom.page_cache).
    transaction.on_commit(page_cache.site_changed)
    audit.change_log(by, [article], f"{move.done}{f' {note}' if note else ''}.")
    return article


def _embargo_check(article: Article, by, when: dt.datetime) -> None:
    embargo = article.embargo_until
    if embargo is None or when >= embargo:
        return
    # The system (the scheduler, an operator's command) acts on what someone allowed to do so set up.
    if by is not None and not by.has_perm("articles.publish_embargoed_article"):
        raise MoveRefused(
            f"The story is under embargo until {embargo:%Y-%m-%d %H:%M %Z}: "
            "schedule it for then, or ask someone allowed to break an embargo."
        )


def article_move(*, article: Article, name: str, by, **data) -> Article:
    """Make the move called ``name`` (the admin's buttons, the API and ``manage.py article`` call this)."""
    actions = {
        "submit": article_submit,
        "mark_ready": article_mark_ready,
        "send_back": article_send_back,
        "schedule": article_schedule,
        "unschedule": article_unschedule,
        "publish": article_publish,
        "unpublish": article_unpublish,
        "correct": article_correct,
        "kill": article_kill,
        "archive": article_archive,
    }
    workflow.move_get(name)
    actions[name](article=article, by=by, **data)
    # The story as the move left it (a correction's action answers with its note).
    return Article.objects.get(pk=article.pk)
