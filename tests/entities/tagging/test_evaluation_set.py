"""The entity evaluation set: enough stories of the right size, offsets exact, JSONL in step with its source."""

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "bench" / "data" / "entities"
STORIES = [json.loads(line) for line in (DATA / "stories.jsonl").read_text(encoding="utf-8").splitlines()]


def test_there_are_at_least_forty_stories_on_several_topics():
    assert len(STORIES) >= 40
    assert len({story["id"] for story in STORIES}) == len(STORIES)
    assert len({story["id"].split("-")[0] for story in STORIES}) >= 6


@pytest.mark.parametrize("story", STORIES, ids=[s["id"] for s in STORIES])
def test_story_is_wire_sized_and_its_offsets_are_exact(story):
    assert 150 <= len(story["text"].split()) <= 300
    previous_end = 0
    for entity in story["entities"]:
        assert story["text"][entity["start"] : entity["end"]] == entity["text"]
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


def test_jsonl_is_built_from_the_marked_up_source():
    build = subprocess.run([sys.executable, str(DATA / "build.py"), "--check"], check=False)

    assert build.returncode == 0, "stories.jsonl is stale: run bench/data/entities/build.py"
