"""Fixtures for the entity tests: the seed story as an article, the starter knowledge, its people."""

import json

import pytest

from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory, EntityFactory

SEED = json.loads((REPO_ROOT / "fixtures" / "seed" / "expected.json").read_text(encoding="utf-8"))
SEED_PEOPLE = ["Vladimir Putin", "Francois Hollande", "John Kerry", "Sergei Lavrov"]


def model_installed() -> bool:
    from entities.tagging import load_model

    model, _ = load_model()
    return model is not None


@pytest.fixture
def seed_article(db):
    return ArticleFactory(
        headline=SEED["headline"],
        slug="france-in-first-air-strike",
        body_text="\n\n".join(SEED["body_paragraphs"]),
    )


@pytest.fixture
def knowledge(db, django_capture_on_commit_callbacks):
    """The starter places and organisations, as ``manage.py load_knowledge`` stores them."""
    from entities import services

    with django_capture_on_commit_callbacks(execute=True):
        return services.knowledge_load()


@pytest.fixture
def seed_people(db, django_capture_on_commit_callbacks):
    """The people of the seed story, by canonical name only: the aliases the story uses are resolved."""
    with django_capture_on_commit_callbacks(execute=True):
        return {name: EntityFactory(name=name, type="person") for name in SEED_PEOPLE}
