"""Trafilatura's counterpart of ``manage.py extract``: each FILE read and extracted, one JSON line per file.

``trafilatura.extract`` runs with the library defaults, as in ``bench/extraction.py``'s
quality runs; the end-to-end throughput of that script times this against
``manage.py extract`` on the same files. Usage::

    .venv/bin/python bench/trafilatura_extract.py FILE [FILE ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import trafilatura


def main(files: list[str]) -> int:
    """Print ``{"source", "body"}`` for each file; ``body`` is null where trafilatura found nothing."""
    for name in files:
        body = trafilatura.extract(Path(name).read_bytes())
        sys.stdout.write(json.dumps({"source": name, "body": body}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
