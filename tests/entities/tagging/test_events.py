"""Events and storms are not entities, and neither are the names inside them."""

import pytest

from entities.tagging.events import event_spans


def events(text):
    return [text[start:end] for start, end in event_spans(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Velmora reach Tarn Cup final after a shock win", ["Tarn Cup"]),
        ("she will not run the Ostrava Marathon in April", ["Ostrava Marathon"]),
        ("The Velmoran Film Festival opened on Friday", ["Velmoran Film Festival"]),
        ("after Storm Idris brought torrential rain", ["Storm Idris"]),
        ("won the 2026 World Cup and the Tarn Prize", ["2026 World Cup", "Tarn Prize"]),
        ("the Asian Games and the Olympics", ["Asian Games", "Olympics"]),
        ("while the Velmora Composite Index extended gains", ["Velmora Composite Index"]),
        ("The broader Tarnix index rose 0.6%", ["Tarnix"]),
        ("outperforming the benchmark VKOSPI's 0.4% gain", ["VKOSPI"]),
        ("as El Niño fades and La Nina conditions develop", ["El Niño", "La Nina"]),
        ("dry Harmattan winds; a landing on the Moon", ["Harmattan", "Moon"]),
        ("a round of US$167 million and NZ$4.2 billion", ["US", "NZ"]),
        (
            "memories of Tropical Cyclone Wenza and Super Typhoon Julo",
            ["Tropical Cyclone Wenza", "Super Typhoon Julo"],
        ),
        ("under the Prevention of Money Laundering Act on Monday", ["Prevention of Money Laundering Act"]),
        ("barred by the Velmora Museum Act 1963 from selling", ["Velmora Museum Act 1963"]),
        ("The Tarn Agreement and the National Chip Strategy", ["Tarn Agreement", "National Chip Strategy"]),
        (
            "under the Home Improvement Programme and Velmora Vision 2040",
            ["Home Improvement Programme", "Velmora Vision 2040"],
        ),
        ("the Carbon Border Adjustment Mechanism", ["Carbon Border Adjustment Mechanism"]),
    ],
)
def test_event_and_storm_names_are_found(text, found):
    assert events(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "the Velmora Games studio said",
        "Open Society Foundations said",
        "Summit County officials",
        "Tarnix said it would list the shares",
        "former president Moon Jae-in and Sun Yang",
        "The Bill Gates Foundation said",
    ],
)
def test_bodies_and_places_named_like_events_are_not(text):
    assert events(text) == []


def test_a_place_inside_an_event_is_no_mention(starter_tagger):
    mentions = starter_tagger.tag(
        "Kipchoge will not run the Boston Marathon in April, he said in Nairobi."
    ).mentions

    assert [m.text for m in mentions] == ["Nairobi"]


def test_a_body_the_table_knows_by_a_programmes_name_is_still_the_body(starter_tagger):
    text = "The World Food Programme said the Home Improvement Programme in Nairobi was late."

    mentions = starter_tagger.tag(text).mentions

    assert [(m.text, m.type) for m in mentions] == [
        ("World Food Programme", "organization"),
        ("Nairobi", "place"),
    ]
