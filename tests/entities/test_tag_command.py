"""``manage.py tag``: files in, one JSON object per file out, the stored alias table applied, nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from entities.models import Alias, Entity, Mention
from tests.factories import AliasFactory, EntityFactory


def run_tag(*args):
    out, err = StringIO(), StringIO()
    call_command("tag", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], err.getvalue()


@pytest.fixture
def table(db):
    islamic_state = EntityFactory(name="Islamic State", type="organization", slug="islamic-state")
    for text in ("IS", "ISIL"):
        AliasFactory(entity=islamic_state, text=text)
    EntityFactory(name="Syria", type="place", slug="syria")
    EntityFactory(name="Jordan", type="place", slug="jordan", status="blocked")
    EntityFactory(name="France", type="place", slug="france", status="suggested")
    return islamic_state


def test_each_file_gives_one_json_line_with_exact_offsets(table, tmp_path):
    first = tmp_path / "first.txt"
    first.write_bytes("“IS” in Syria\r\n\r\nISIL fighters fled Syria’s east.".encode())
    second = tmp_path / "second.txt"
    second.write_text("Nothing to see.", encoding="utf-8")

    lines, _ = run_tag(str(first), str(second), "--format", "jsonl", "--no-model")

    assert [line["source"] for line in lines] == [str(first), str(second)]
    text = first.read_bytes().decode()
    mentions = lines[0]["mentions"]
    assert [(m["entity"], m["type"], m["text"]) for m in mentions] == [
        ("Islamic State", "organization", "IS"),
        ("Syria", "place", "Syria"),
        ("Islamic State", "organization", "ISIL"),
        ("Syria", "place", "Syria"),
    ]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    assert mentions[2]["start"] == text.index("ISIL")
    assert lines[1]["mentions"] == []


def test_blocked_entities_suppress_and_suggested_ones_do_not_match(table, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Jordan and France talked about Syria.", encoding="utf-8")

    (line,), _ = run_tag(str(story), "--no-model")

    assert [m["entity"] for m in line["mentions"]] == ["Syria"]


def test_people_found_in_the_text_are_printed_under_their_full_name(table, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("President Bashar al-Assad spoke. Assad then left for Syria.", encoding="utf-8")

    (line,), _ = run_tag(str(story), "--no-model")

    assert [(m["entity"], m["text"]) for m in line["mentions"]] == [
        ("Bashar al-Assad", "Bashar al-Assad"),
        ("Bashar al-Assad", "Assad"),
        ("Syria", "Syria"),
    ]


def test_tagging_writes_nothing(table, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("IS in Syria.", encoding="utf-8")
    before = (Entity.objects.count(), Alias.objects.count(), Mention.objects.count())

    run_tag(str(story), "--no-model")

    assert (Entity.objects.count(), Alias.objects.count(), Mention.objects.count()) == before


def test_json_format_prints_one_array(table, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("IS in Syria.", encoding="utf-8")
    out = StringIO()

    call_command("tag", str(story), "--format", "json", "--no-model", stdout=out)

    (result,) = json.loads(out.getvalue())
    assert [m["entity"] for m in result["mentions"]] == ["Islamic State", "Syria"]


def test_unreadable_files_are_reported_and_fail_the_command(table, tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    out = StringIO()

    with pytest.raises(CommandError, match="2 of 2 files"):
        call_command("tag", str(binary), str(tmp_path / "missing.txt"), "--no-model", stdout=out)

    errors = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "not UTF-8" in errors[0]["error"]
    assert "could not be read" in errors[1]["error"]
