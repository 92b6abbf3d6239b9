"""``manage.py load_demo``: load the demo corpus, with the desk in every state, and one account per role."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles import services
from articles.models import Article
from entities import services as entity_services
from entities.models import EntitySuggestion
from newsroom import roles

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo"
SEED_DIR = settings.BASE_DIR / "fixtures" / "seed"
# The seed page's dateline gives no year; it was scraped the day after the story.
SEED_REFERENCE_DATE = dt.date(2015, 9, 28)
# One account per role of the desk; passwords are made on first run and kept under var/.
DEMO_USERS = [("editor", roles.EDITOR), ("chief", roles.CHIEF_EDITOR), ("reporter", roles.REPORTER)]
USERS_FILE = "demo-users.txt"
# The last stories of the manifest show the rest of the workflow (the seed waits in review).
STATES = [
    ("draft", "Unpublished to a draft by the desk."),
    ("archived", "Withdrawn: the figures in this story were not confirmed."),
    ("killed", "Withdrawn: this story repeated a claim that was later denied."),
    ("scheduled", ""),
    ("ready", ""),
]


class Command(BaseCommand):
    help = "Load the demo stories (the desk in every state) and create one account per role if missing."

    def handle(self, *args, **options):
        manifest_path = DEMO_DIR / "manifest.json"
        if not manifest_path.exists():
            raise CommandError(f"{manifest_path} is missing")
        entries = json.loads(manifest_path.read_text(encoding="utf-8"))
        pages = [
            (DEMO_DIR / "stories" / e["file"], dt.date.fromisoformat(e["reference_date"])) for e in entries
        ]
        pages.append((SEED_DIR / "page.txt", SEED_REFERENCE_DATE))
        held_back = {path for path, _ in pages[-1 - len(STATES) : -1]}

        # Entities first, so the stories are tagged as they are extracted.
        call_command("load_knowledge", stdout=self.stdout)
        created = []
        for path, reference_date in pages:
            result = services.raw_document_ingest(
                content=path.read_bytes(),
                source=f"demo/{path.name}",
                content_type="text/html" if path.suffix == ".html" else "text/plain",
                reference_date=reference_date,
                # Extraction flags the seed, so it waits in review whatever is asked.
                publish=path not in held_back,
            )
            if result.created:
                created.append(result.raw_document)
        self.stdout.write(
            f"Demo corpus: {len(created)} new page(s), {len(pages) - len(created)} already loaded."
        )
        if created:
            self._show_every_state([f"demo/{path.name}" for path, _ in pages[-1 - len(STATES) : -1]])
        approved = self._review_suggestions(entries)
        if approved:
            self.stdout.write(f"Demo editor approved {approved} suggested people and organisations.")
        for username, role, password in self._ensure_users():
            self.stdout.write(f"Created the {role.lower()} account '{username}' with password '{password}'.")

    def _show_every_state(self, sources: list[str]) -> None:
        """Move the held-back stories to the states the ingest alone leaves empty, as the desk would."""
        for source, (state, notice) in zip(sources, STATES, strict=True):
            article = Article.objects.filter(raw_document__source=source).first()
            if article is None:
                continue
            if state in ("draft", "killed", "archived"):
                services.article_publish(article=article, by=None)
            if state == "draft":
                services.article_unpublish(article=article, by=None)
            elif state in ("killed", "archived"):
                services.article_kill(article=article, by=None, notice=notice)
                if state == "archived":
                    services.article_archive(article=article, by=None)
            elif state == "scheduled":
                tomorrow = timezone.now().replace(hour=6, minute=0, second=0, microsecond=0) + dt.timedelta(
                    days=1
                )
                services.article_schedule(article=article, by=None, publish_at=tomorrow)
        counts = _status_counts()
        self.stdout.write("Desk: " + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")

    def _review_suggestions(self, entries: list[dict]) -> int:
        """Play the editor once: approve the suggested names the manifest knows as people or organisations.

        Everything else stays in the suggestion queue for a real editor to review.
        """
        known = {
            (name, type_)
            for entry in entries
            for key, type_ in (("people", "person"), ("organizations", "organization"))
            for name in entry.get(key, [])
        }
        open_ = EntitySuggestion.objects.filter(status=EntitySuggestion.Status.OPEN)
        names = sorted(set(open_.values_list("name", "type")) & known)
        for name, type_ in names:
            # Approving one settles the same name's suggestions on other articles too.
            suggestion = open_.filter(name=name, type=type_).first()
            if suggestion is not None:
                entity_services.suggestion_approve(suggestion=suggestion, by=None)
        return len(names)

    def _ensure_users(self) -> list[tuple[str, str, str]]:
        """One staff account per desk role, none a superuser; new passwords are kept under var/ to show again."""
        users_file = Path(settings.VAR_DIR) / USERS_FILE
        User = get_user_model()
        made = []
        for username, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username, email=f"{username}@example.test", password=password
                )
                made.append((username, role, password))
            # Earlier demos made the editor a superuser: the roles decide now.
            user.is_staff, user.is_superuser = True, False
            user.save(update_fields=["is_staff", "is_superuser"])
            user.groups.set([Group.objects.get(name=role)])
        if made:
            users_file.parent.mkdir(parents=True, exist_ok=True)
            kept = users_file.read_text(encoding="utf-8").splitlines() if users_file.exists() else []
            with users_file.open("w", encoding="utf-8") as out:
                for line in kept + [f"{username} {password} {role}" for username, role, password in made]:
                    out.write(line + "\n")
            users_file.chmod(0o600)
        return made


def _status_counts() -> dict[str, int]:
    counts = {}
    for status in Article.Status:
        n = Article.objects.filter(status=status).count()
        if n:
            counts[status.label.lower()] = n
    return counts
