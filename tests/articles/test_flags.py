"""Flags in an editor's words."""

from articles.flags import flag_note


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
