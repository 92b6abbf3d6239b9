"""Turn the marked-up stories in ``stories.txt`` into ``stories.jsonl`` with exact character offsets.

Usage: ``.venv/bin/python bench/data/entities/build.py`` (``--check`` exits 1 when the JSONL is stale).
Each line of the JSONL is ``{id, text, entities: [{start, end, text, type, canonical}]}``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "stories.txt"
OUTPUT = HERE / "stories.jsonl"
TYPES = {"per": "person", "org": "organization", "loc": "place"}
_MARK = re.compile(r"\[\[([^|\]]+)\|(per|org|loc)(?:\|([^\]]+))?\]\]")
_HEADER = re.compile(r"^=== (\S+)\n", re.M)


def parse(source: str) -> list[dict]:
    """The stories of a marked-up source, in order."""
    source = "\n".join(line for line in source.splitlines() if not line.startswith("#"))
    parts = _HEADER.split(source)
    stories = []
    for story_id, body in zip(parts[1::2], parts[2::2], strict=True):
        stories.append(_story(story_id, body.strip("\n") + "\n"))
    return stories


def _story(story_id: str, marked: str) -> dict:
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
    return {"id": story_id, "text": "".join(text), "entities": entities}


def render(stories: list[dict]) -> str:
    return "".join(json.dumps(story, ensure_ascii=False) + "\n" for story in stories)


def main(argv: list[str]) -> int:
    rendered = render(parse(SOURCE.read_text(encoding="utf-8")))
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        return 0 if current == rendered else 1
    OUTPUT.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
