"""Datelines and bylines: the town, region and agency a story opens with, in the shapes agencies write them, and the writers named under the headline."""

import pytest

from entities.tagging.datelines import byline_names, dateline_names


def dateline(text):
    return [(text[start:end], type_) for start, end, type_ in dateline_names(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Ferry service resumes\n\nBRAVIK, March 4 (Nordpress) - The ferry ran.",
            [("BRAVIK", "place"), ("Nordpress", "organization")],
        ),
        (
            "Headline\n\nSOLVA, Kestrel Isles (AP/NPA) — Storms hit.",
            [("SOLVA", "place"), ("Kestrel Isles", "place"), ("AP", "organization"), ("NPA", "organization")],
        ),
        (
            "Headline\n\nPort Elra, Dec 3, 2025, NPA -- The authority said.",
            [("Port Elra", "place"), ("NPA", "organization")],
        ),
        (
            "Headline\n\nORSK, 14th January, 2026 (ONA) -- The minister said.",
            [("ORSK", "place"), ("ONA", "organization")],
        ),
        (
            "Headline\n\nVardo, Jun 8 (Tern News) The ballet opened.",
            [("Vardo", "place"), ("Tern News", "organization")],
        ),
        ("Headline\n\nCARRAN: The council met.", [("CARRAN", "place")]),
    ],
)
def test_a_dateline_gives_its_place_and_agency(text, names):
    assert dateline(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Fire guts 60 shops at Orla market, traders count losses\n\nTraders at the market said.",
        "Headline\n\nFirst-time buyers are borrowing more.",
        "Headline\n\nThe Kessel Integrity Unit (KIU), the body that runs it, said.",
        "Headline\n\nTwenty-two bronzes came home.",
    ],
)
def test_openings_that_are_not_datelines_give_nothing(text):
    assert dateline(text) == []


def test_a_byline_under_the_headline_names_its_writers():
    text = (
        "Velmo makes offer for Tarsk\n\nHarriet Kemp in London and Matthias Brunner in Zurich\n\nVelmo said."
    )
    single = "Drought hits Orrin farms\n\nBy Karim Benslim\n\nFarmers said."
    headline = "Velmo Buys Tarsk\n\nThe deal closed."

    assert [text[s:e] for s, e in byline_names(text)] == ["Harriet Kemp", "Matthias Brunner"]
    assert [single[s:e] for s, e in byline_names(single)] == ["Karim Benslim"]
    assert byline_names(headline) == []
