"""Flags in an editor's words."""

from articles.flags import flag_fix, flag_fix_label, flag_note


def test_a_repeated_sentence_says_where_it_appears_twice():
    note = flag_note(
        {
            "kind": "repeated_sentence",
            "text": "We are trying to establish some kind of coordinated framework.",
            "detail": {"first_paragraph": 2, "again_paragraph": 6},
        }
    )
    assert note.title == "A sentence appears twice (paragraphs 2 and 6)"
    assert note.text == "“We are trying to establish some kind of coordinated framework.”"
    assert note.paragraph == 6


def test_glued_words_say_how_they_split():
    note = flag_note(
        {
            "kind": "glued_word",
            "text": "Iraqiannounced",
            "detail": {"paragraph": 3, "parts": ["Iraqi", "announced"]},
        }
    )
    assert (note.title, note.text, note.paragraph) == (
        "Words run together in paragraph 3",
        "“Iraqiannounced”, probably “Iraqi announced”",
        3,
    )


def test_an_unknown_kind_still_reads_as_words():
    assert flag_note({"kind": "odd_layout", "text": ""}).title == "Odd layout"


REPEATED = {
    "kind": "repeated_sentence",
    "text": "Putin said it again.",
    "detail": {
        "first": "Putin said it.",
        "again": "Putin said it again.",
        "first_paragraph": 1,
        "again_paragraph": 3,
    },
}
GLUED = {
    "kind": "glued_word",
    "text": "Iraqiannounced",
    "detail": {"paragraph": 2, "parts": ["Iraqi", "announced"]},
}
BODY = "Putin said it. More.\n\nThe Iraqiannounced talks.\n\nPutin said it again. Then he left."


def test_the_repeated_sentence_is_dropped_where_it_is_said_again():
    assert flag_fix(BODY, REPEATED) == "Putin said it. More.\n\nThe Iraqiannounced talks.\n\nThen he left."


def test_a_paragraph_left_empty_by_the_fix_goes():
    body = "Putin said it.\n\nPutin said it again."
    flag = {**REPEATED, "detail": {**REPEATED["detail"], "again_paragraph": 2}}
    assert flag_fix(body, flag) == "Putin said it."


def test_glued_words_are_split_where_they_were_found():
    assert (
        flag_fix(BODY, GLUED)
        == "Putin said it. More.\n\nThe Iraqi announced talks.\n\nPutin said it again. Then he left."
    )
    assert flag_fix_label(GLUED) == "Split into “Iraqi announced”"


def test_a_fix_the_text_no_longer_allows_is_refused():
    assert flag_fix("Someone rewrote it all.", REPEATED) is None
    assert flag_fix(BODY, {"kind": "odd_layout", "text": "x"}) is None
