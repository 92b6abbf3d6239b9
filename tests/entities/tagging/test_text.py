"""Whole-word occurrences, as the rules that ask "does the text write this word elsewhere?" find them."""

import pytest

from entities.tagging.text import word_starts


@pytest.mark.parametrize(
    ("text", "word", "starts"),
    [
        ("Cholera spread. cholera, they said; cholera's toll", "cholera", [16]),
        ("Velto and Velton and Velto-Tarsk and O'Velto", "Velto", [0]),
        ("no such word here", "Velto", []),
        ("café Café café", "café", [0, 10]),
    ],
)
def test_a_word_is_found_only_where_nothing_touches_it(text, word, starts):
    assert list(word_starts(text, word)) == starts
