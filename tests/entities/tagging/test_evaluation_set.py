"""The entity evaluation set: enough stories of every kind, a held-out third, offsets exact, JSONL in step."""

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "bench" / "data" / "entities"
STORIES = [json.loads(line) for line in (DATA / "stories.jsonl").read_text(encoding="utf-8").splitlines()]
KINDS = {"wire", "broadsheet", "regional", "business", "agency"}


def load_build():
    spec = importlib.util.spec_from_file_location("entity_stories_build", DATA / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_complete_set_has_150_stories_of_five_kinds_and_a_held_out_third():
    # The target of the set; the held-out files are added last, so this passes only once they are in.
    held_out = [s for s in STORIES if s["part"] == "held-out"]

    assert len(STORIES) >= 150
    assert {s["kind"] for s in STORIES} == KINDS
    assert 3 * len(held_out) >= len(STORIES)


def test_ids_are_unique_and_every_story_has_a_part_and_a_kind():
    assert len({story["id"] for story in STORIES}) == len(STORIES)
    assert {s["part"] for s in STORIES} <= {"fitting", "held-out"}
    assert {s["kind"] for s in STORIES} <= KINDS


@pytest.mark.parametrize("story", STORIES, ids=[s["id"] for s in STORIES])
def test_story_is_news_sized_and_its_offsets_are_exact(story):
    # From a brief of a paragraph or two to a long report.
    assert 80 <= len(story["text"].split()) <= 750
    previous_end = 0
    for entity in story["entities"]:
        assert story["text"][entity["start"] : entity["end"]] == entity["text"]
        assert entity["text"] == entity["text"].strip()
        assert entity["type"] in ("person", "organization", "place")
        assert entity["canonical"].strip() == entity["canonical"] and entity["canonical"]
        assert entity["start"] >= previous_end  # in order, never overlapping
        previous_end = entity["end"]


def test_every_type_is_well_represented():
    counts = {
        t: sum(e["type"] == t for s in STORIES for e in s["entities"])
        for t in ("person", "organization", "place")
    }

    assert min(counts.values()) >= 150


def test_jsonl_is_built_from_the_marked_up_sources():
    build = subprocess.run([sys.executable, str(DATA / "build.py"), "--check"], check=False)

    assert build.returncode == 0, "stories.jsonl is stale: run bench/data/entities/build.py"


def test_the_kind_of_source_comes_from_the_id_and_topic_ids_are_wire_copy():
    build = load_build()

    assert [build.kind(i) for i in ("brd-01", "reg-02", "biz-03", "agn-04", "wire-41", "pol-01")] == [
        "broadsheet",
        "regional",
        "business",
        "agency",
        "wire",
        "wire",
    ]


def test_markup_becomes_offsets_with_the_part_and_canonical_names():
    build = load_build()
    source = "# a comment line\n=== agn-01\n[[KUNA|org|Kuwait News Agency]] quoted [[Ali Saleh|per]] in [[Doha|loc]].\n"

    [story] = build.parse(source, "held-out")

    assert (story["id"], story["part"], story["kind"]) == ("agn-01", "held-out", "agency")
    assert story["text"] == "KUNA quoted Ali Saleh in Doha.\n"
    assert [(e["start"], e["end"], e["type"], e["canonical"]) for e in story["entities"]] == [
        (0, 4, "organization", "Kuwait News Agency"),
        (12, 21, "person", "Ali Saleh"),
        (25, 29, "place", "Doha"),
    ]


def test_broken_markup_is_an_error_naming_the_story():
    build = load_build()

    with pytest.raises(ValueError, match="reg-07"):
        build.parse("=== reg-07\nThe [[Leeds|loc] council met.\n")
