"""Which text blocks of a page are its article: several readings of the page, weighed block by block.

The readings are independent ways of finding the article in the same page:

- trafilatura's extraction (fast mode; with its readability and jusText fallbacks when
  that is short), mapped back onto the page's text blocks by shared four-word shingles;
- a readability-style score: paragraphs vote for the element around them, links
  count against it, and the best element with its strong siblings is the region;
- the page's own statement of its article: schema.org ``articleBody`` in JSON-LD or
  an element marked ``itemprop="articleBody"``;
- the markup around each block below the article's root element: class and id words
  (comments, related links, share bars, author boxes, promotions, captions, ...),
  link density, headings, lists, quotations, table cells;
- the block itself: length, punctuation, whether its neighbours were taken, whether it
  opens with the name of a stated author (a bio, not the story).

A logistic model (``data/block_model.json``, fitted by ``bench/block_model.py`` on the
development and training pages, its penalty and threshold chosen by cross-validation
grouped by site) turns these into the probability that a block is article text.
An article is a few runs of consecutive blocks, not a scatter, so the blocks are not
kept one by one at the threshold: the best split of the page into article runs and
the rest is found (:func:`article_runs`), where each block weighs its log-odds and
leaving or re-entering the article costs a fixed penalty. A teaser list after the
article or an isolated caption goes; a short line inside the story stays. See
docs/main-content.md.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .markers import ARTICLE_BODY, BITS, CATEGORIES
from .rules import _data_json
from .segment import CELL_TAGS, HEADING_TAGS, Segmentation, TextBlock

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
# The article root is the deepest element that holds this share of the text trafilatura took.
ROOT_SHARE = 0.85
# Readability's rules: paragraphs shorter than this do not vote; a sibling of the best
# element joins the region with this share of its score.
MIN_VOTING_CHARS = 25
SIBLING_SHARE = 0.2
_NEIGHBOURS = 3
# Below this share of its words in trafilatura's text, a block was not taken.
_MIN_CANDIDATE_SHARE = 0.05
# When the page shows this much of its JSON-LD article body, the body is STATED_LONGER
# times the chosen text and the choice holds less than STATED_MISSED of it, the stated
# body's blocks are the article.
STATED_SHOWN_SHARE = 0.9
STATED_LONGER = 2.0
STATED_MISSED = 0.5
_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "li", "blockquote", "dd"}) | HEADING_TAGS
# Readability's element weights: what kind of element usually holds an article.
_TAG_WEIGHTS = {
    **dict.fromkeys(("div", "article"), 5),
    **dict.fromkeys(("pre", "td", "blockquote"), 3),
    **dict.fromkeys(("address", "ol", "ul", "dl", "dd", "dt", "li", "form", "aside"), -3),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "th", "header", "footer", "nav"), -5),
}
# The contiguity prior of article_runs: the cost of one switch between article and
# non-article, in units of a block's log-odds times log(1 + words); and the score of a
# block the model does not weigh (not a candidate), which counts against a run through it.
SWITCH_COST = 1.5
NON_CANDIDATE_SCORE = -3.0
_NEGATIVE = sum(BITS[name] for name in CATEGORIES if name != "content")
_CATEGORY_FEATURES = tuple(f"below_{name}" for name in CATEGORIES)

FEATURES = (
    "taken",
    "taken_half",
    "taken_around",
    "taken_before",
    "taken_after",
    "outside_root",
    "in_region",
    "taken_outside_region",
    "link_density",
    "log_words",
    "short",
    "sentence_end",
    "comma",
    "heading",
    "list_item",
    "cell",
    "quote",
    "repeated",
    "has_article_body",
    "in_article_body",
    "before_first_taken",
    "after_last_taken",
    "parent_taken",
    "below_article_body_mark",
    "opens_with_author",
    *_CATEGORY_FEATURES,
)


@dataclass(frozen=True)
class BlockModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, features: list[float]) -> float:
        z = self.bias + sum(map(operator.mul, self.weights, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def block_model() -> BlockModel:
    data = _data_json("block_model.json")
    weights = dict(zip(data["features"], data["weights"], strict=True))
    missing = set(FEATURES) - set(weights)
    if missing:
        raise ValueError(f"block_model.json lacks weights for {sorted(missing)}")
    return BlockModel(tuple(weights[name] for name in FEATURES), data["bias"], data["threshold"])


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(texts: list[str]) -> set[tuple[str, ...]]:
    """The four-word shingles of the texts read one after another."""
    words = words_of(" ".join(texts))
    return set(zip(words, words[1:], words[2:], words[3:], strict=False))


def coverage(block_words: list[list[str]], reference: set[tuple[str, ...]]) -> list[float]:
    """For each block, the share of its words that lie in a shingle the reference also has.

    Shingles run across block boundaries, so a short heading counts as taken when the
    reference has it together with the paragraph that follows it.
    """
    flat: list[str] = []
    bounds: list[int] = []
    for words in block_words:
        bounds.append(len(flat))
        flat.extend(words)
    bounds.append(len(flat))
    covered = bytearray(len(flat))
    if reference:
        grams = zip(flat, flat[1:], flat[2:], flat[3:], strict=False)
        for index in [i for i, gram in enumerate(grams) if gram in reference]:
            covered[index : index + 4] = b"\x01\x01\x01\x01"
    return [
        covered.count(1, bounds[i], bounds[i + 1]) / (bounds[i + 1] - bounds[i])
        if bounds[i + 1] > bounds[i]
        else 0.0
        for i in range(len(block_words))
    ]


class _Sums:
    """Prefix sums over the blocks, so any container's total is two lookups."""

    def __init__(self, values: list[float]) -> None:
        self.prefix = [0.0]
        total = 0.0
        for value in values:
            total += value
            self.prefix.append(total)

    def over(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start]


@dataclass
class Choice:
    """The chosen text blocks, and how much of trafilatura's reading was link text."""

    chosen: list[int]
    taken_link_share: float = 0.0


@dataclass
class Features:
    """Feature vectors (in FEATURES order) of the page's candidate blocks, and what they were computed from."""

    candidates: list[int]
    rows: list[list[float]]
    taken: list[float]
    # For each block, the share of its words in the page's stated article body (JSON-LD).
    stated: list[float] | None = None
    # The share of the stated body's shingles that the page shows anywhere.
    stated_shown: float = 0.0


def block_features(
    segmentation: Segmentation, taken_texts: list[str], article_body: str = "", authors: list[str] = ()
) -> Features:
    """Feature vectors of the blocks that could be article text.

    A block outside the article root that trafilatura did not take and readability's
    region does not hold is no candidate: none such is ever article text by the model,
    and they are half of a typical page.
    """
    blocks, containers = segmentation.blocks, segmentation.containers
    if not blocks:
        return Features([], [], [])
    block_words = [words_of(block.text) for block in blocks]
    taken = coverage(block_words, shingles(taken_texts))
    stated = coverage(block_words, shingles([article_body])) if article_body else None
    chars = [len(block.text) for block in blocks]
    char_sums = _Sums(chars)
    link_sums = _Sums([block.link_chars for block in blocks])
    taken_sums = _Sums([c * t for c, t in zip(chars, taken, strict=True)])
    taken_prefix = _Sums(taken)

    root = _article_root(segmentation, taken_sums)
    region = _readability_region(segmentation, char_sums, link_sums)
    # How much of trafilatura's text lies in readability's region: when most does, the
    # taken blocks outside it are what trafilatura added (a teaser list, a bio).
    taken_total = taken_sums.over(0, len(blocks))
    region_share = (
        sum(chars[i] * taken[i] for i, block in enumerate(blocks) if region[block.container]) / taken_total
        if taken_total
        else 0.0
    )
    below = _marks_below(segmentation, root)
    text_counts = Counter(block.text for block in blocks)
    taken_at = [i for i, share in enumerate(taken) if share >= 0.5]
    first_taken = taken_at[0] if taken_at else len(blocks)
    last_taken = taken_at[-1] if taken_at else -1
    author_keys = tuple(name.casefold() for name in authors)
    has_stated = float(stated is not None)
    count = len(blocks)

    features = Features([], [], taken, stated)
    if stated is not None:
        stated_shingles = shingles([article_body])
        shown = set()
        for words in block_words:
            shown.update(zip(words, words[1:], words[2:], words[3:], strict=False))
        features.stated_shown = (
            len(stated_shingles & shown) / len(stated_shingles) if stated_shingles else 0.0
        )
    for index, block in enumerate(blocks):
        marks, _, outside, _ = below[block.container]
        share = taken[index]
        if outside and share < _MIN_CANDIDATE_SHARE and not region[block.container]:
            continue
        container = containers[block.container]
        tag = container.tag
        low, high = max(0, index - _NEIGHBOURS), min(count, index + 1 + _NEIGHBOURS)
        neighbours = high - low - 1
        parent = containers[container.parent] if container.parent >= 0 else container
        parent_chars = char_sums.over(parent.start, parent.end)
        words = len(block_words[index])
        text = block.text
        row = [
            share,
            1.0 if share >= 0.5 else 0.0,
            (taken_prefix.over(low, high) - share) / neighbours if neighbours else 0.0,
            taken[index - 1] if index else 0.0,
            taken[index + 1] if index + 1 < count else 0.0,
            1.0 if outside else 0.0,
            1.0 if region[block.container] else 0.0,
            0.0 if region[block.container] else share * region_share,
            block.link_chars / chars[index],
            math.log1p(words),
            1.0 if words < 4 else 0.0,
            1.0 if _SENTENCE_END.search(text) else 0.0,
            1.0 if "," in text else 0.0,
            1.0 if tag in HEADING_TAGS else 0.0,
            1.0 if tag == "li" else 0.0,
            1.0 if tag in CELL_TAGS else 0.0,
            1.0 if block.quote else 0.0,
            1.0 if text_counts[text] > 1 else 0.0,
            has_stated,
            stated[index] if stated is not None else 0.0,
            1.0 if index < first_taken else 0.0,
            1.0 if index > last_taken else 0.0,
            taken_sums.over(parent.start, parent.end) / parent_chars if parent_chars else 0.0,
            1.0 if marks & ARTICLE_BODY else 0.0,
            1.0 if author_keys and text.casefold().startswith(author_keys) else 0.0,
            *below[block.container].counts(),
        ]
        features.candidates.append(index)
        features.rows.append(row)
    return features


def choose_blocks(
    segmentation: Segmentation, taken_texts: list[str], article_body: str = "", authors: list[str] = ()
) -> Choice:
    """The text blocks that make up the article, in page order."""
    model = block_model()
    features = block_features(segmentation, taken_texts, article_body, authors)
    probabilities = [model.probability(row) for row in features.rows]
    words = [len(block.text.split()) for block in segmentation.blocks]
    chosen = article_runs(features.candidates, probabilities, words, model.threshold)
    chosen = _captions_kept(segmentation, features, chosen)
    chosen = _without_slideshow(segmentation, chosen)
    chosen = _without_markup_text(segmentation, chosen)
    chosen = _with_whole_tables(segmentation, chosen)
    chosen = _rescued_by_stated_body(segmentation, features, chosen)
    taken_chars = link_chars = 0.0
    for block, share in zip(segmentation.blocks, features.taken, strict=True):
        if share >= 0.5:
            taken_chars += len(block.text)
            link_chars += block.link_chars
    return Choice(chosen, link_chars / taken_chars if taken_chars else 0.0)


def article_runs(
    candidates: list[int], probabilities: list[float], words: list[int], threshold: float = 0.5
) -> list[int]:
    """The candidate blocks in the article's runs: the best two-state path over the page.

    Each block scores its log-odds against the threshold times ``log(1 + words)`` (a long
    paragraph says more than a one-word line); a block that is not a candidate scores
    NON_CANDIDATE_SCORE. The chosen blocks are those in the article state on the path of
    highest total score, where each change of state costs SWITCH_COST (Viterbi).
    ``words`` has one count per block of the page; the result is in page order.
    """
    count = len(words)
    if not count or not candidates:
        return []
    scores = [NON_CANDIDATE_SCORE] * count
    bias = _logit(threshold)
    for index, probability in zip(candidates, probabilities, strict=True):
        scores[index] = (_logit(probability) - bias) * math.log1p(words[index])
    out_score, in_score = 0.0, scores[0]
    # For each block after the first, whether the best path to each state came from "in".
    from_in: list[tuple[bool, bool]] = []
    for score in scores[1:]:
        out_from_in = in_score - SWITCH_COST > out_score
        in_from_in = in_score >= out_score - SWITCH_COST
        from_in.append((out_from_in, in_from_in))
        out_score, in_score = (
            in_score - SWITCH_COST if out_from_in else out_score,
            (in_score if in_from_in else out_score - SWITCH_COST) + score,
        )
    inside = in_score > out_score
    chosen: list[int] = []
    for index in range(count - 1, -1, -1):
        if inside:
            chosen.append(index)
        if index:
            inside = from_in[index - 1][inside]
    candidate_set = set(candidates)
    return [index for index in reversed(chosen) if index in candidate_set]


# A gallery's captions: at least this many sentences of prose under its pictures.
MIN_GALLERY_CAPTIONS = 3


def _captions_kept(segmentation: Segmentation, features: Features, chosen: list[int]) -> list[int]:
    """The chosen blocks less the captions of pictures (text inside a figcaption), unless the pictures are the story.

    A caption between two paragraphs of the story would be kept by the runs like any
    short line inside it; it describes the picture, not the story. On a photo gallery
    ("In pictures: ...") the captions are the story and the prose around them an
    introduction: when at least MIN_GALLERY_CAPTIONS captions that trafilatura read are
    sentences of prose and hold more words than the rest of the chosen text, they are
    all kept, though the runs left them out between the slides' counters and credits.
    """
    blocks = segmentation.blocks
    kept = [index for index in chosen if segmentation.ancestor(blocks[index].container, "figcaption") is None]
    captions = [
        index
        for index in features.candidates
        if features.taken[index] >= 0.5
        and _is_paragraph(blocks[index])
        and segmentation.ancestor(blocks[index].container, "figcaption") is not None
    ]
    if len(captions) >= MIN_GALLERY_CAPTIONS:
        story_words = sum(len(blocks[index].text.split()) for index in kept)
        if sum(len(blocks[index].text.split()) for index in captions) > story_words:
            return sorted({*kept, *captions})
    # A page whose only text stands in captions keeps them.
    return kept or chosen


# A slide's counter opening its caption or title: "12/50 Star Wars boosts economy".
_SLIDE_COUNTER = re.compile(r"(\d{1,3}) ?/ ?(\d{1,3})\s+\w")
# A slideshow has at least this many slides in a row (1/N, 2/N, 3/N, ...).
MIN_SLIDES = 3
# The story around a slideshow: at least this many paragraphs outside it, each a sentence
# of at least MIN_STORY_WORDS words that is not mostly link text.
MIN_STORY_PARAGRAPHS = 2
MIN_STORY_WORDS = 8


def _without_slideshow(segmentation: Segmentation, chosen: list[int]) -> list[int]:
    """The chosen blocks less a slideshow of other stories that the story's page embeds.

    Its slides are numbered ("1/50 ...", "2/50 ...") and each has a title and a caption
    that read like a story's paragraphs, so the readings take them when the slideshow
    stands inside the article's element. When the chosen text outside the slideshow holds
    a story, the slideshow's element goes whole; a page that is a slideshow keeps it.
    """
    blocks = segmentation.blocks
    slides: list[int] = []
    total = 0
    for index in chosen:
        text = blocks[index].text
        if not text[0].isdigit():
            continue
        match = _SLIDE_COUNTER.match(text)
        if match is None:
            continue
        number, count = int(match.group(1)), int(match.group(2))
        if slides and count == total and number == len(slides) + 1:
            slides.append(index)
        elif number == 1 and count >= MIN_SLIDES:
            slides, total = [index], count
        if len(slides) >= MIN_SLIDES:
            break
    if len(slides) < MIN_SLIDES:
        return chosen
    containers = segmentation.containers
    show = segmentation.common_ancestor(blocks[slides[0]].container, blocks[slides[-1]].container)
    start, end = containers[show].start, containers[show].end
    # Its title and buttons ("Business news in pictures", "50 show all") stand around the
    # slides: the slideshow is the largest element around them that holds no other paragraph.
    parent = containers[show].parent
    while parent >= 0:
        above = containers[parent]
        outside = itertools.chain(range(above.start, start), range(end, above.end))
        if any(_is_paragraph(blocks[index]) for index in outside):
            break
        start, end, parent = above.start, above.end, above.parent
    story = sum(1 for index in chosen if not start <= index < end and _is_paragraph(blocks[index]))
    if story < MIN_STORY_PARAGRAPHS:
        return chosen
    return [index for index in chosen if not start <= index < end]


def _is_paragraph(block: TextBlock) -> bool:
    text = block.text
    return (
        len(text.split()) >= MIN_STORY_WORDS
        and block.link_chars * 2 < len(text)
        and _SENTENCE_END.search(text) is not None
    )


# A shortcode or template tag a page printed instead of running it: "[convertkit form=12]",
# "[video-player video-id="x" name="y"]", "{{banner="/promo/a"}}": a name and name=value settings.
_SHORTCODE = re.compile(
    r"\[/?[a-z][\w-]*(?:\s+[\w-]+\s*=\s*(?:[\"“”'][^\"“”']*[\"“”']|[^\s\]\"“”']+))+\s*/?\]"
    r"|\{\{[^{}=]+=[^{}]+\}\}"
)


def _without_markup_text(segmentation: Segmentation, chosen: list[int]) -> list[int]:
    """The chosen blocks less markup a page shows as text: a widget's JSON settings, a shortcode.

    A JSON object or array standing alone outside preformatted text is a widget's settings
    that its script reads (often from a hidden element), and a shortcode or template tag
    is markup the page forgot to run; a code sample stands in <pre> and stays.
    """
    blocks = segmentation.blocks
    kept = [index for index in chosen if blocks[index].pre or not _is_markup_text(blocks[index].text)]
    return kept or chosen


def _is_markup_text(text: str) -> bool:
    text = text.strip()
    if not text or text[0] not in "[{" or text[-1] not in "]}":
        return False
    if _SHORTCODE.fullmatch(text):
        return True
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict | list) and len(value) > 1


def _with_whole_tables(segmentation: Segmentation, chosen: list[int]) -> list[int]:
    """The chosen blocks with every cell of a data table the story already holds part of.

    A table's cells are short lines that the runs weigh one by one, so a table between
    two paragraphs of the story keeps its header and a stray row. A data table (all its
    text in cells) that stands inside the story and has a chosen cell belongs to it whole;
    a table whose first cell opens another table of the page too is a card's box repeated
    for each item (a product's specifications), not the story's data, and is left as chosen.
    """
    if not chosen:
        return chosen
    blocks, containers = segmentation.blocks, segmentation.containers
    tables = [c for c in containers if c.tag == "table" and c.start < c.end]
    openings = Counter(blocks[table.start].text for table in tables)
    chosen_set = set(chosen)
    first, last = chosen[0], chosen[-1]
    added = False
    for table in tables:
        start, end = table.start, table.end
        if start <= first or end > last or openings[blocks[start].text] > 1:
            continue
        cells = range(start, end)
        if any(containers[blocks[i].container].tag not in CELL_TAGS for i in cells):
            continue
        if any(i in chosen_set for i in cells):
            added = added or not chosen_set.issuperset(cells)
            chosen_set.update(cells)
    return sorted(chosen_set) if added else chosen


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(probability / (1 - probability))


def _rescued_by_stated_body(segmentation: Segmentation, features: Features, chosen: list[int]) -> list[int]:
    """The blocks of the page's stated article body, when the choice missed most of it.

    The publisher's JSON-LD ``articleBody`` wins only when the page shows it (so it is
    not another article or a stale copy), it is much longer than the chosen text (so it
    is not a teaser) and the choice holds little of it: then the readings missed the
    article, typically one split over elements they took for furniture.
    """
    stated = features.stated
    if stated is None or features.stated_shown < STATED_SHOWN_SHARE:
        return chosen
    blocks = segmentation.blocks
    chosen_chars = sum(len(blocks[i].text) for i in chosen)
    stated_blocks = [i for i, share in enumerate(stated) if share >= 0.5]
    stated_chars = sum(len(blocks[i].text) for i in stated_blocks)
    covered = sum(len(blocks[i].text) for i in chosen if stated[i] >= 0.5)
    if stated_chars >= STATED_LONGER * chosen_chars and covered < STATED_MISSED * stated_chars:
        return stated_blocks
    return chosen


def _article_root(segmentation: Segmentation, taken_sums: _Sums) -> int:
    """The deepest container holding ROOT_SHARE of the taken text; -1 when nothing was taken."""
    total = taken_sums.over(0, len(segmentation.blocks))
    if total <= 0:
        return -1
    best, best_depth = -1, -1
    for index, container in enumerate(segmentation.containers):
        if (
            container.depth > best_depth
            and taken_sums.over(container.start, container.end) >= ROOT_SHARE * total
        ):
            best, best_depth = index, container.depth
    return best


def _readability_region(segmentation: Segmentation, char_sums: _Sums, link_sums: _Sums) -> list[bool]:
    """For each container, whether it lies in the region readability's scoring picks."""
    containers = segmentation.containers
    scores: dict[int, float] = {}
    for block in segmentation.blocks:
        length = len(block.text)
        if length < MIN_VOTING_CHARS:
            continue
        container = containers[block.container]
        # Text straight inside a div is a paragraph of that div.
        parent = container.parent if container.tag in _PARAGRAPH_TAGS else block.container
        if parent < 0:
            continue
        grandparent = containers[parent].parent
        score = 1 + block.text.count(",") + min(length / 100, 3)
        for node, share in ((parent, 1.0), (grandparent, 0.5)):
            if node < 0:
                continue
            if node not in scores:
                scores[node] = _class_weight(containers[node].marks) + _TAG_WEIGHTS.get(
                    containers[node].tag, 0
                )
            scores[node] += score * share
    inside = [False] * len(containers)
    if not scores:
        return inside
    for node in scores:
        container = containers[node]
        text = char_sums.over(container.start, container.end)
        if text:
            scores[node] *= 1 - link_sums.over(container.start, container.end) / text
    best = max(scores, key=scores.__getitem__)
    chosen = {best}
    parent = containers[best].parent
    threshold = max(10.0, scores[best] * SIBLING_SHARE)
    if parent >= 0:
        chosen.update(n for n, s in scores.items() if containers[n].parent == parent and s >= threshold)
    for index, container in enumerate(containers):
        inside[index] = index in chosen or (container.parent >= 0 and inside[container.parent])
    return inside


def _class_weight(marks: int) -> int:
    weight = 0
    if marks & _NEGATIVE:
        weight -= 25
    if marks & BITS["content"] or marks & ARTICLE_BODY:
        weight += 25
    return weight


class _Below(NamedTuple):
    """What the markup between a container and the article root says about it.

    ``once`` and ``twice`` are category bits marked by at least one and by at least two
    of those elements: a second marked ancestor confirms the first, more add nothing.
    """

    marks: int
    depth: int
    outside: bool
    twice: int

    def counts(self) -> list[float]:
        return [(self.marks & bit != 0) + (self.twice & bit != 0) for bit in _CATEGORY_BITS]


_CATEGORY_BITS = tuple(BITS[name] for name in CATEGORIES)
_ROOT = _Below(0, 0, False, 0)
# Outside the article only the nearest ancestors say anything about a block.
_MAX_OUTSIDE_DEPTH = 8


def _marks_below(segmentation: Segmentation, root: int) -> list[_Below]:
    """For each container: the marks of it and its ancestors below the article root.

    Outside the root (or with no root) the nearest ancestors count instead. Containers
    come parents first, so one pass suffices.
    """
    containers = segmentation.containers
    result: list[_Below] = []
    inside_root = [False] * len(containers)
    for index, container in enumerate(containers):
        parent = container.parent
        if index == root:
            inside_root[index] = True
            result.append(_ROOT)
            continue
        inside = parent >= 0 and inside_root[parent]
        inside_root[index] = inside
        above = result[parent] if parent >= 0 else _ROOT
        if not inside and above.depth >= _MAX_OUTSIDE_DEPTH:
            above = _ROOT
        own = container.marks
        result.append(
            _Below(above.marks | own, above.depth + 1, not inside, above.twice | (above.marks & own))
        )
    return result
