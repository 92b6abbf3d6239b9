"""``manage.py load_demo``: the demo desk in every state, the seed waiting in review, one account per role."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article
from newsroom import roles

# Committed as it goes, as on a fresh machine: each page is extracted as it is stored.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_shows_every_state_and_makes_one_account_per_role(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert set(Article.objects.values_list("status", flat=True)) == set(Article.Status.values)
    seed = Article.objects.get(raw_document__source="demo/page.txt")
    assert seed.status == Article.Status.NEEDS_REVIEW
    assert seed.report.flagged
    users = {user.username: user for user in get_user_model().objects.filter(is_staff=True)}
    assert {name: [g.name for g in user.groups.all()] for name, user in users.items()} == {
        "editor": [roles.EDITOR],
        "chief": [roles.CHIEF_EDITOR],
        "reporter": [roles.REPORTER],
    }
    assert not any(user.is_superuser for user in users.values())
    kept = (tmp_path / "demo-users.txt").read_text().split()
    assert "editor" in kept and users["editor"].check_password(kept[kept.index("editor") + 1])

    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "0 new page(s), 37 already loaded" in again.getvalue()
    assert "Created" not in again.getvalue()
