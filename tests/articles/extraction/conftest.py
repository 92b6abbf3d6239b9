"""Shared fixtures for the extraction package's unit tests (no database)."""

import json
import unicodedata
from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "seed"


def fold(text: str) -> str:
    """NFC and whitespace folding, as the seed's expected.json is compared."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return (SEED_DIR / "page.txt").read_bytes()


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))
