"""``manage.py load_demo``: load the demo corpus and make sure an editor account exists."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles import services
from entities import services as entity_services
from entities.models import EntitySuggestion

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo"
SEED_DIR = settings.BASE_DIR / "fixtures" / "seed"
# The seed page's dateline gives no year; it was scraped the day after the story.
SEED_REFERENCE_DATE = dt.date(2015, 9, 28)


class Command(BaseCommand):
    help = "Load the demo stories (published) and create the demo editor account if it is missing."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        manifest_path = DEMO_DIR / "manifest.json"
        if not manifest_path.exists():
            raise CommandError(f"{manifest_path} is missing")
        entries = json.loads(manifest_path.read_text(encoding="utf-8"))
        pages = [
            (DEMO_DIR / "stories" / e["file"], dt.date.fromisoformat(e["reference_date"])) for e in entries
        ]
        pages.append((SEED_DIR / "page.txt", SEED_REFERENCE_DATE))

        # Entities first, so the stories are tagged as they are extracted.
        call_command("load_knowledge", stdout=self.stdout)
        created = 0
        for path, reference_date in pages:
            result = services.raw_document_ingest(
                content=path.read_bytes(),
                source=f"demo/{path.name}",
                content_type="text/html" if path.suffix == ".html" else "text/plain",
                reference_date=reference_date,
                publish=True,
            )
            created += result.created
        self.stdout.write(f"Demo corpus: {created} new page(s), {len(pages) - created} already loaded.")
        approved = self._review_suggestions(entries)
        if approved:
            self.stdout.write(f"Demo editor approved {approved} suggested people and organisations.")
        password = self._ensure_editor(username)
        if password:
            self.stdout.write(f"Created the editor account '{username}' with password '{password}'.")

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

    def _ensure_editor(self, username: str) -> str | None:
        """Create the demo superuser once; its password is kept under var/ so it can be shown again."""
        password_file = Path(settings.VAR_DIR) / "demo-editor-password.txt"
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=f"{username}@example.test", password=password)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        return password
