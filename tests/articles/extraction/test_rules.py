"""The rule files compiled: one search pattern finds what any of its rules finds."""

import re

import pytest

from articles.extraction.rules import _data_lines, _search_pattern

RULES = [
    r"\bsubscribe to our (?:[\w-]+ ){0,3}newsletter\b",
    r"\bconsider supporting (?:our|us)\b",
    r"(?:^|[.!?] )reply stop to (?:opt[- ]?out|end)\b",
    r"^cookies help us\b",
    r"\bfoo|bar baz",
    r"\b[|)]+ pipes",
    r"[]|] bracket",
    r"no anchor at all",
]
TEXTS = [
    "please subscribe to our weekly tech newsletter today",
    "we ask you to consider supporting us.",
    "get deals. reply stop to opt-out.",
    "see reply stop to end",
    "cookies help us deliver our services",
    "our cookies help us",
    "a bar baz here",
    "xfoo",
    "foo!",
    "||) pipes",
    "] bracket and | bracket",
    "there is no anchor at all here",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_search_pattern_finds_what_one_of_its_rules_finds(text):
    expected = any(re.search(rule, text) for rule in RULES)
    assert (_search_pattern(RULES).search(text) is not None) == expected


NOTICES = [
    "we may earn a commission if you buy something through links on this page.",
    "msg & data rates may apply. reply stop to cancel.",
    "the content is for informational purposes only and not a substitute for medical advice.",
    "this website uses cookies to improve your experience.",
    "the minister said the policy is not a substitute for action.",
]


@pytest.mark.parametrize("name", ["notices.txt", "text_notices.txt"])
def test_notice_pattern_finds_what_one_of_its_rules_finds(name):
    rules = _data_lines(name)
    pattern = _search_pattern(rules)
    for text in [*NOTICES, *TEXTS]:
        assert (pattern.search(text) is not None) == any(re.search(rule, text) for rule in rules)
