"""Fixtures for the pure tagging tests: taggers over the starter knowledge, with and without the model."""

import json
import os

import pytest

from tests.conftest import REPO_ROOT

SEED_TEXT = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_text(encoding="utf-8")
SEED_EXPECTED = json.loads((REPO_ROOT / "fixtures" / "seed" / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def starter_tagger():
    """The starter knowledge, alias table and in-article rules only."""
    from entities.tagging import Tagger, starter_records

    return Tagger(starter_records(), model=None)


@pytest.fixture(scope="session")
def model_tagger(starter_tagger):
    """The starter knowledge with the NER model. Skipped where the model is not installed, except
    in CI, which installs requirements-ner.txt and so must not skip silently."""
    pytest.importorskip("spacy") if os.environ.get("CI", "").lower() != "true" else None
    from entities.tagging import Tagger, load_model

    model, capabilities = load_model()
    if model is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must install requirements-ner.txt: {capabilities.detail}")
        pytest.skip(f"NER model not installed: {capabilities.detail}")
    return Tagger(starter_tagger.matcher.records)
