"""``manage.py move_article ID MOVE``: make one move of a story's life (docs/workflow.md) from the shell."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from articles import services, workflow
from articles.models import Article


class Command(BaseCommand):
    help = "Move a story: submit, mark_ready, send_back, schedule, unschedule, publish, unpublish, kill, archive."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("move", choices=list(workflow.MOVES))
        parser.add_argument("--at", help="schedule: when the story goes live, ISO 8601 with a time zone")
        parser.add_argument("--notice", help="kill: what readers are told in place of the story")
        parser.add_argument("--note", help="correct: the correction or update readers see with its time")
        parser.add_argument(
            "--kind", choices=["correction", "update"], default="correction", help="correct: which"
        )
        parser.add_argument(
            "--user", help="act as this user, with their permissions and in their name (default: the system)"
        )

    def handle(self, *args, article_id, move, at, notice, note, kind, user, **options):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article {article_id}.")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"There is no user {user}.")
        data = {}
        if move == "schedule":
            data["publish_at"] = _parse_time(at)
        if move == "kill":
            data["notice"] = notice or ""
        if move == "correct":
            data["kind"], data["text"] = kind, note or ""
        try:
            article = services.article_move(article=article, name=move, by=by, **data)
        except (workflow.MoveRefused, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{article}: {workflow.MOVES[move].done.lower()}, now {article.get_status_display().lower()}."
        )


def _parse_time(value: str | None) -> dt.datetime:
    if not value:
        raise CommandError("schedule needs --at, the time the story goes live.")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at must be an ISO 8601 time, not {value!r}") from exc
    if parsed.tzinfo is None:
        raise CommandError("--at needs a time zone, e.g. 2026-12-03T06:00+00:00.")
    return parsed
