"""Plain-text pages of many sites (text_pages/): every field of each page's expected result, exactly."""

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest

from articles.extraction import extract

from .conftest import fold

PAGES = Path(__file__).resolve().parent / "text_pages"
PARTS = ("fitting", "held-out")
FIELDS = ("headline", "view_count", "dateline", "agency", "body_paragraphs", "removed_boilerplate")


def _pages() -> list[Path]:
    return [page for part in PARTS for page in sorted((PAGES / part).glob("*.txt"))]


def _page_id(page: Path) -> str:
    return f"{page.parent.name}/{page.stem}"


@cache
def _expected(page: Path) -> dict:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


@cache
def _extracted(page: Path) -> dict:
    """The page's extraction in the expected file's terms."""
    result = extract(page.read_bytes(), source=str(page))
    return {
        "headline": result.headline,
        "view_count": result.view_count,
        "dateline": dataclasses.asdict(result.dateline) if result.dateline else None,
        "agency": result.agency,
        "body_paragraphs": result.paragraphs,
        "removed_boilerplate": result.removed,
    }


def _folded(value):
    """Strings NFC- and whitespace-folded, as the seed's expected result is compared."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [_folded(item) for item in value]
    if isinstance(value, dict):
        return {key: _folded(item) for key, item in value.items()}
    return value


CASES = [pytest.param(page, field, id=f"{_page_id(page)}:{field}") for page in _pages() for field in FIELDS]


@pytest.mark.parametrize(("page", "field"), CASES)
def test_each_field_of_each_page_is_extracted_exactly(page, field):
    assert _folded(_extracted(page)[field]) == _folded(_expected(page)[field])


@pytest.mark.parametrize("page", _pages(), ids=_page_id)
def test_each_expected_result_is_in_the_set_format(page):
    expected = _expected(page)
    assert set(expected) == {"site", *FIELDS}
    assert page.stem.rsplit("-", 1)[0] == expected["site"]
    if expected["dateline"] is not None:
        assert set(expected["dateline"]) == {"text", "place", "month", "day", "year"}


def test_the_fitting_part_holds_enough_pages_and_styles():
    fitting = [page for page in _pages() if page.parent.name == "fitting"]
    assert len(fitting) >= 28
    assert len({_expected(page)["site"] for page in fitting}) >= 12
