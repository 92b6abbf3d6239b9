"""Titles, title-led names, surnames and acronyms: the in-article rules, from the data files."""

import pytest

from entities.tagging.names import acronym, strip_span, surname_keys, title_spans, titled_names
from entities.tagging.rules import name_rules


def stripped(text, type_):
    start, end = strip_span(text, 0, len(text), type_)
    return text[start:end]


@pytest.mark.parametrize(
    ("span", "type_", "name"),
    [
        ("Russian President Vladimir Putin", "person", "Vladimir Putin"),
        ("US Secretary of State John Kerry", "person", "John Kerry"),
        ("Russian Foreign Minister Sergei Lavrov", "person", "Sergei Lavrov"),
        ("Oil Minister Dr. Ali Saleh Al-Omair", "person", "Ali Saleh Al-Omair"),
        ("the Islamic State group", "organization", "Islamic State"),
        ("the Islamic State militant group", "organization", "Islamic State"),
        ("Alibaba Group", "organization", "Alibaba Group"),
        ("the Middle East", "place", "Middle East"),
        ("Putin’s", "person", "Putin"),
        ("the U.S.", "place", "U.S."),
    ],
)
def test_titles_determiners_and_descriptors_are_stripped(span, type_, name):
    assert stripped(span, type_) == name


def titled(text):
    return [text[start:end] for _, start, end in titled_names(text)]


def test_names_after_titles_are_found():
    text = (
        "President Francois Hollande said. US Secretary of State John Kerry met Russian Foreign "
        "Minister Sergei Lavrov and Interior Minister Thomas de Maiziere. Coach Jose Mourinho's side lost."
    )

    assert titled(text) == [
        "Francois Hollande",
        "John Kerry",
        "Sergei Lavrov",
        "Thomas de Maiziere",
        "Jose Mourinho",
    ]


def test_a_name_after_a_title_may_open_with_dotted_initials():
    text = "A Bench of Justices P.S. Narasimha and Manoj Mishra listed it. President George W. Bush spoke."

    assert titled(text) == ["P.S. Narasimha", "George W. Bush"]


def test_title_like_words_before_institutions_and_lower_case_adjectives_name_nobody():
    text = "the UN General Assembly; a major Syrian city; the general Russian view; the minister said"

    assert titled(text) == []


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Vladimir Putin", ["Putin"]),
        ("Bashar al-Assad", ["al-Assad", "Assad"]),
        ("Thomas de Maiziere", ["de Maiziere", "Maiziere"]),
        ("Ban Ki-moon", ["Ban"]),
        ("Putin", []),
    ],
)
def test_surname_keys(name, keys):
    assert surname_keys(name) == keys


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Islamic State of Iraq and the Levant", "ISIL"),
        ("Kuwait Petroleum Corporation", "KPC"),
        ("Agence France-Presse", "AFP"),
        ("Al-Qaeda in the Arabian Peninsula", "AQAP"),
        ("Oxfam", None),
    ],
)
def test_acronyms(name, short):
    assert acronym(name) == short


@pytest.mark.parametrize(
    "text",
    [
        "Attorney-General Lirio Vesk and the attorney general met Dato' Seri Tan and Adm. Kael.",
        "ex-President Ostra, Prime  Minister Vesk (President-elect) and Mr. Lirio; PRESIDENT TARN",
        "Chief Executive Officer Ana Ruiz, chief executive officer Ben, Dr.Lee and Sheikh Sabah.",
        "",
    ],
)
def test_title_spans_are_the_title_patterns_own_matches(text):
    # title_spans tries the pattern only where a title can start; it must find what the whole
    # pattern finds.
    rules = name_rules()
    assert title_spans(text, rules) == [m.span() for m in rules.titles.finditer(text)]
