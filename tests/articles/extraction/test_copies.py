"""Second copies of the story's text: removed once, whatever their blocks; template repeats and quotes stay."""

from articles.extraction.blocks import HEADING_KINDS, LIST_ITEM, PARAGRAPH, QUOTE, Block
from articles.extraction.copies import drop_copies

ONE = "Harbor lobstermen brought in 9.8 million pounds last year, down 14 percent from 2022, the state said Tuesday."
TWO = (
    "The value of the catch fell less sharply, to $41 million, because boat prices stayed near record highs."
)
THREE = (
    "Scientists have linked the decline to warming water in the gulf, which pushed young lobsters offshore."
)


def block(text: str, kind: str = PARAGRAPH, group: int = 0) -> Block:
    return Block(text, kind=kind, group=group)


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def test_a_second_copy_with_merged_paragraphs_and_plain_quotes_goes_and_the_story_stays():
    story = [block(ONE), block(TWO), block(THREE)]
    copy = [
        block("Lobster landings fall", HEADING_KINDS[0]),
        block(f"{ONE} {TWO}".replace("’", "'")),
        block(THREE),
    ]
    result = drop_copies(story + copy, "Lobster landings fall")
    assert texts(result.kept) == [ONE, TWO, THREE]
    assert texts(result.removed) == texts(copy)


def test_a_summary_list_repeating_the_lead_goes_with_its_heading():
    summary = [block("Key points", HEADING_KINDS[0]), block(ONE, LIST_ITEM, 1), block(TWO, LIST_ITEM, 1)]
    story = [block(f"{ONE} {TWO}"), block(f"{THREE} Fishermen said bait cost more too.")]
    assert texts(drop_copies(summary + story).kept) == texts(story)


def test_a_pull_quote_goes_with_its_attribution_and_the_quoted_paragraph_stays():
    said = "We baked for the children of people we baked for. Now it is time for us to sleep in"
    pull = [block(said + ".", QUOTE, 1), block("Rosa Alvaro", QUOTE, 1)]
    story = [block(ONE), block(f"“{said},” Rosa Alvaro said, wiping flour from the counter."), block(THREE)]
    assert texts(drop_copies([story[0], *pull, *story[1:]]).kept) == texts(story)


def test_one_paragraph_repeated_alone_stays_for_an_editor():
    # A single repeat is no second copy of the story; repeats.py flags its sentences.
    blocks = [block(ONE), block(TWO), block(THREE), block(ONE.replace("Tuesday", "on Tuesday"))]
    assert drop_copies(blocks).kept == blocks


def test_list_items_written_from_one_template_stay():
    item = "Included services: hotel-to-hotel baggage handling and the dedicated support of a tour manager."
    blocks = [block("Alps by rail", HEADING_KINDS[0]), block(item, LIST_ITEM, 1), block("Rhine by boat", HEADING_KINDS[0]),
              block(item, LIST_ITEM, 2)]  # fmt: skip
    assert drop_copies(blocks).kept == blocks


def test_a_sentence_repeated_inside_a_longer_paragraph_is_not_a_copy():
    quote = "We have proposed to cooperate with the countries in the region, Putin said in an interview."
    blocks = [
        block(f"{ONE} {quote}"),
        block(TWO),
        block(f"{THREE} {quote} Kerry said it was vital to coordinate."),
    ]
    assert drop_copies(blocks).kept == blocks
