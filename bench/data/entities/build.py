"""Turn the marked-up story files into ``stories.jsonl`` with exact character offsets.

Usage: ``.venv/bin/python bench/data/entities/build.py`` (``--check`` exits 1 when the JSONL is stale).
The sources are ``stories.txt`` and ``fitting/*.txt`` (the fitting part) and ``held-out/*.txt``
(the held-out part); a missing folder is no error. Each line of the JSONL is
``{id, part, kind, text, entities: [{start, end, text, type, canonical}]}``, fitting stories
first, each part in file-name order.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = HERE / "stories.txt"
OUTPUT = HERE / "stories.jsonl"
FITTING, HELD_OUT = "fitting", "held-out"
TYPES = {"per": "person", "org": "organization", "loc": "place"}
# Kinds of source by id prefix; the first forty stories' topic prefixes (pol-, bus-, ...) are wire copy.
KINDS = {"wire": "wire", "brd": "broadsheet", "reg": "regional", "biz": "business", "agn": "agency"}
DEFAULT_KIND = "wire"
_MARK = re.compile(r"\[\[([^|\]]+)\|(per|org|loc)(?:\|([^\]]+))?\]\]")
_HEADER = re.compile(r"^=== (\S+)\n", re.M)


def sources() -> list[tuple[str, Path]]:
    """The marked-up files with the part each belongs to, in build order."""
    files = [(FITTING, FIRST)] if FIRST.exists() else []
    files += [(FITTING, path) for path in sorted((HERE / FITTING).glob("*.txt"))]
    files += [(HELD_OUT, path) for path in sorted((HERE / HELD_OUT).glob("*.txt"))]
    return files


def kind(story_id: str) -> str:
    """The kind of source a story id names: ``brd-04`` is a broadsheet's, ``pol-01`` wire copy."""
    return KINDS.get(story_id.split("-", 1)[0], DEFAULT_KIND)


def parse(source: str, part: str = FITTING) -> list[dict]:
    """The stories of a marked-up source, in order."""
    source = "\n".join(line for line in source.splitlines() if not line.startswith("#"))
    parts = _HEADER.split(source)
    stories = []
    for story_id, body in zip(parts[1::2], parts[2::2], strict=True):
        stories.append(_story(story_id, part, body.strip("\n") + "\n"))
    return stories


def _story(story_id: str, part: str, marked: str) -> dict:
    text, entities, position = [], [], 0
    length = 0
    for match in _MARK.finditer(marked):
        before = marked[position : match.start()]
        if "[[" in before or "]]" in before:
            raise ValueError(f"{story_id}: broken markup near {before[-40:]!r}")
        text.append(before)
        length += len(before)
        surface, code, canonical = match.groups()
        entities.append(
            {
                "start": length,
                "end": length + len(surface),
                "text": surface,
                "type": TYPES[code],
                "canonical": canonical or surface,
            }
        )
        text.append(surface)
        length += len(surface)
        position = match.end()
    rest = marked[position:]
    if "[[" in rest or "]]" in rest:
        raise ValueError(f"{story_id}: broken markup near {rest[:40]!r}")
    text.append(rest)
    return {"id": story_id, "part": part, "kind": kind(story_id), "text": "".join(text), "entities": entities}


def build() -> list[dict]:
    """Every story of every source; an id used twice is an error."""
    stories = [story for part, path in sources() for story in parse(path.read_text(encoding="utf-8"), part)]
    seen: set[str] = set()
    for story in stories:
        if story["id"] in seen:
            raise ValueError(f"story id {story['id']} is used twice")
        seen.add(story["id"])
    return stories


def render(stories: list[dict]) -> str:
    return "".join(json.dumps(story, ensure_ascii=False) + "\n" for story in stories)


def main(argv: list[str]) -> int:
    rendered = render(build())
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        return 0 if current == rendered else 1
    OUTPUT.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
