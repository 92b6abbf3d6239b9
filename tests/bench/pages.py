"""Small labelled page sets in the benchmark's layout, written under a test's temporary folder."""

import gzip
import json
from pathlib import Path

PARAGRAPHS = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending "
    "months of argument over the cost of repairing the ninety-year-old steel structure.",
    "Engineers told the council last year that the bridge needed new supports, and that the work would "
    "take at least two years and cost more than the city spends on roads in a decade.",
    "Cyclists and pedestrians will still be able to use the bridge, the council said, and a ferry service "
    "will run every twenty minutes during the morning and evening rush hours.",
    "Shop owners on the north bank said they feared losing customers, while residents of the old town "
    "welcomed the decision, saying traffic had made their streets unsafe for children.",
]


def article_page(title: str) -> str:
    """A news page: navigation, the story under ``title``, a footer."""
    story = "\n".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/city">City</a></nav>
<article><h1>{title}</h1>{story}</article>
<footer><p>Contact us</p></footer></body></html>"""


def write_dataset(folder: Path, keys: list[str]) -> Path:
    """A dataset at ``folder``: one article page per key, its truth the story's paragraphs."""
    (folder / "html").mkdir(parents=True)
    truth = {}
    for key in keys:
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(article_page(key).encode()))
        truth[key] = {
            "articleBody": "\n\n".join(PARAGRAPHS),
            "url": f"https://{key}.example.com/city/bridge",
            "source": "test-pages",
        }
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder
