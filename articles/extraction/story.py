"""Whether a page holds a story or lists other stories: runs of prose paragraphs against lone teasers.

A story's paragraphs follow one another; an index page's lines of prose each stand
alone under a headline link (a teaser), or are cut off by an ellipsis. Links inside a
story's paragraphs do not make it an index page, however many there are: the page is
read in order, and only a block that is mostly a link separates two paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .fusion import coverage, shingles, words_of
from .segment import HEADING_TAGS, Segmentation, TextBlock
from .teasers import CUT_OFF

# A paragraph of prose: this many words, a sentence's end, and not mostly link text.
MIN_PROSE_WORDS = 8
MAX_PROSE_LINK_SHARE = 0.8
# A block that is mostly a link of this many words is a headline link; it ends a run.
MIN_HEADLINE_WORDS = 3
HEADLINE_LINK_SHARE = 0.5
# Paragraphs of story in a row that make a page a story whatever else it holds; so does one
# paragraph this long. A line of prose on its own is a teaser only when it is shorter.
STORY_RUN = 2
LONG_PARAGRAPH_WORDS = 60
# Teasers on a page without a story that make it a list of stories.
MIN_TEASERS = 3
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
# Link targets that are no page of a site: the page itself, an address, a script, a share button's endpoint.
_NOT_A_PAGE = re.compile(
    r"^\s*(?:#|mailto:|tel:|sms:|javascript:|whatsapp:)"
    r"|//(?:www\.)?(?:facebook\.com/(?:sharer|share|dialog)|(?:twitter|x)\.com/(?:intent|share)"
    r"|linkedin\.com/(?:share|sharing|shareArticle)|wa\.me/|api\.whatsapp\.com/send|t\.me/share"
    r"|pinterest\.[a-z.]+/pin/create|reddit\.com/submit|(?:www\.)?tumblr\.com/(?:share|widgets/share))",
    re.IGNORECASE,
)
# What a text block is to the page's shape (block_kind); anything else is neither.
PROSE = "prose"
CUT = "cut"
LINK = "link"


@dataclass(frozen=True)
class Shape:
    """How the page's prose lies: ``story_run`` is the most paragraphs of the body in a row;
    ``teasers`` counts the page's lines of prose that stand alone after a headline link or are
    cut off; ``body_teasers`` and ``body_prose`` count the teasers and paragraphs of the body,
    and ``longest`` is the words of its longest paragraph."""

    story_run: int = 0
    teasers: int = 0
    body_teasers: int = 0
    body_prose: int = 0
    longest: int = 0

    @property
    def is_story(self) -> bool:
        return self.story_run >= STORY_RUN or self.longest >= LONG_PARAGRAPH_WORDS

    @property
    def is_teaser_list(self) -> bool:
        """No story, several teasers, and the body's prose is all teasers."""
        return not self.is_story and self.teasers >= MIN_TEASERS and self.body_prose == self.body_teasers


def page_shape(segmentation: Segmentation, in_body: list[bool]) -> Shape:
    """The shape of the page's prose; ``in_body`` says which of its text blocks the body holds."""
    story_run = run = teasers = body_teasers = body_prose = longest = 0
    # The prose blocks of the run being read (in the body?, words), and whether a headline
    # link opened it.
    members: list[tuple[bool, int]] = []
    after_link = False

    def close() -> None:
        nonlocal teasers, body_teasers
        if len(members) == 1 and after_link and members[0][1] < LONG_PARAGRAPH_WORDS:
            teasers += 1
            body_teasers += members[0][0]

    containers = segmentation.containers
    for block, inside in zip(segmentation.blocks, in_body, strict=True):
        kind = block_kind(block)
        if kind == LINK:
            close()
            members, run, after_link = [], 0, True
        elif not kind and not members and containers[block.container].tag in HEADING_TAGS:
            # A heading that is no link between a link and the prose (the page's own headline
            # under its menu) is what the prose stands under: it opens no teaser.
            after_link = False
        elif kind == CUT:
            # A cut-off excerpt is a teaser wherever it stands, and never story.
            teasers += 1
            body_teasers += inside
            body_prose += inside
        elif kind == PROSE:
            words = len(block.text.split())
            members.append((inside, words))
            body_prose += inside
            if inside:
                longest = max(longest, words)
            run = run + 1 if inside else 0
            story_run = max(story_run, run)
    close()
    return Shape(story_run, teasers, body_teasers, body_prose, longest)


def body_blocks_of(segmentation: Segmentation, chosen: list[int] | None, blocks: list[Block]) -> list[bool]:
    """Which text blocks of the page the body holds: the chosen ones, or those its text covers."""
    if chosen:
        taken = set(chosen)
        return [index in taken for index in range(len(segmentation.blocks))]
    reference = shingles([block.text for block in blocks])
    shares = coverage([words_of(block.text) for block in segmentation.blocks], reference)
    return [share >= 0.5 for share in shares]


def block_kind(block: TextBlock) -> str:
    """PROSE, CUT (prose cut off by an ellipsis), LINK (a headline link) or '' for anything else."""
    text = block.text
    words = len(text.split())
    link_share = block.link_chars / len(text)
    if words >= MIN_PROSE_WORDS and link_share < MAX_PROSE_LINK_SHARE:
        if CUT_OFF.search(_own_text(block)):
            return CUT
        if _SENTENCE_END.search(text):
            return PROSE
    if link_share >= HEADLINE_LINK_SHARE and words >= MIN_HEADLINE_WORDS and _leads_elsewhere(block):
        return LINK
    return ""


def _leads_elsewhere(block: TextBlock) -> bool:
    """Whether one of the block's links could lead to another story.

    A row of share buttons ("Facebook X Email") is mostly links, but to a sharer, an
    address or nowhere: it opens no teaser, and the story's lead after it is no teaser.
    """
    return any(href and not _NOT_A_PAGE.search(href) for _, href in block.links or ())


def _own_text(block: TextBlock) -> str:
    """The block's text before the links that close it ("… Continue reading")."""
    if not block.links:
        return block.text
    pieces = list(block.links)
    while pieces and (pieces[-1][1] is not None or not pieces[-1][0].strip()):
        pieces.pop()
    return "".join(text for text, _ in pieces).strip() or block.text
