"""Names typed by their shape: heads ("Ministry", "Dam"), complements ("of Coastal Affairs") and place words."""

import pytest

from entities.tagging.shapes import shaped_names


def shaped(text):
    return [(text[start:end], type_) for start, end, type_ in shaped_names(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The Harbour Ministry said on Monday.", [("Harbour Ministry", "organization")]),
        ("Shares of Velmora Investment Authority fell.", [("Velmora Investment Authority", "organization")]),
        ("the Ministry of Coastal Affairs", [("Ministry of Coastal Affairs", "organization")]),
        (
            "the Court of Appeal of the Northern Isles ruled",
            [("Court of Appeal of the Northern Isles", "organization")],
        ),
        ("Tarnwell Motor Corp. rose.", [("Tarnwell Motor Corp.", "organization")]),
        ("the route is run by Nidd Coaches Ltd. Officers said", [("Nidd Coaches Ltd", "organization")]),
        ("Grey Heron Holdings plc said", [("Grey Heron Holdings plc", "organization")]),
        ("the Ostra Desert and the Kessel Airport", [("Ostra Desert", "place"), ("Kessel Airport", "place")]),
        ("a walk along Mirren Esplanade", [("Mirren Esplanade", "place")]),
    ],
)
def test_a_head_at_the_end_or_with_a_complement_types_the_name(text, names):
    assert shaped(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The Kwara State Government said", [("Kwara State Government", "organization")]),
        ("factories in the Manaus Free Trade Zone", [("Manaus Free Trade Zone", "place")]),
        ("at the Sydney Cricket Ground on Saturday", [("Sydney Cricket Ground", "place")]),
        ("the Bien Hoa Expressway opened", [("Bien Hoa Expressway", "place")]),
        ("its headquarters on 37th Street", [("37th Street", "place")]),
        (
            "the Court of Appeals for the 11th Circuit ruled",
            [("Court of Appeals for the 11th Circuit", "organization")],
        ),
    ],
)
def test_governments_zones_grounds_expressways_and_numbered_streets(text, names):
    assert shaped(text) == names


def test_a_head_alone_names_nothing():
    assert shaped("Police said the Board met. Army officers left.") == []


def test_the_last_head_decides_and_a_complement_keeps_its_head():
    assert shaped("Dunmore County Council met in the Dunmore County Records Building.") == [
        ("Dunmore County Council", "organization"),
        ("Dunmore County Records Building", "place"),
    ]
    assert shaped("the Municipality of the District of Orla") == [
        ("Municipality of the District of Orla", "organization")
    ]


def test_a_name_starts_after_a_connector_and_a_possessive_ends_one():
    assert shaped("Judge Mira Holt of the Carran High Court ruled") == [("Carran High Court", "organization")]
    assert shaped("Velmora's Ministry of Finance and the Velmora Port Authority") == [
        ("Ministry of Finance", "organization"),
        ("Velmora Port Authority", "organization"),
    ]


def test_and_joins_plain_words_inside_a_name_but_not_two_names():
    assert shaped("the Brenna and Coll Ferry Committee") == [
        ("Brenna and Coll Ferry Committee", "organization")
    ]
    assert shaped("the Tarvik Dam and Osel Dam") == [("Tarvik Dam", "place"), ("Osel Dam", "place")]


def test_and_after_an_acronym_splits_two_names():
    assert shaped("Barclays, HSBCX and Tarvik Banking Group led gains") == [
        ("Tarvik Banking Group", "organization")
    ]


def test_and_between_two_names_of_two_words_or_more_splits_them():
    assert shaped("tested by the Velmo Mosquito Program and Tarsa Mada University in a trial") == [
        ("Tarsa Mada University", "organization")
    ]
    assert shaped("the Mull and Iona Ferry Committee and Tarsa County Referral and Teaching Hospital") == [
        ("Mull and Iona Ferry Committee", "organization"),
        ("Tarsa County Referral and Teaching Hospital", "organization"),
    ]


def test_a_word_that_locates_a_name_stays_outside_it():
    assert shaped(
        "The contract goes to Ostrava-based Mesa Verde Paving LLC and London-listed Kafue Holdings."
    ) == [
        ("Mesa Verde Paving LLC", "organization"),
        ("Kafue Holdings", "organization"),
    ]


def test_a_groups_or_a_posts_possessive_stays_inside_a_name_but_a_places_does_not():
    assert shaped(
        "The Tarsa Prosecutor's Office and the Velmo People's Court and Korvi's Ministry of Trade"
    ) == [
        ("Tarsa Prosecutor's Office", "organization"),
        ("Velmo People's Court", "organization"),
        ("Ministry of Trade", "organization"),
    ]


def test_a_bracketed_name_before_a_company_form_stays_inside_the_name():
    assert shaped("by Velmo Technologies (Kulim) Sdn Bhd and Tarn Logistics Pte Ltd, with Orrin (ORN)") == [
        ("Velmo Technologies (Kulim) Sdn Bhd", "organization"),
        ("Tarn Logistics Pte Ltd", "organization"),
    ]


def test_a_complement_ends_at_a_day_or_a_title_before_a_name():
    assert shaped("the Central Bank of Orla on Monday") == [("Central Bank of Orla", "organization")]
    assert shaped("the Ministry of Finance Secretary Ali Varne said") == [
        ("Ministry of Finance", "organization")
    ]


def test_place_words_open_names():
    assert shaped("boats on Lake Ostra and trucks on Highway 41") == [
        ("Lake Ostra", "place"),
        ("Highway 41", "place"),
    ]


def test_a_run_of_heads_costs_little_and_names_stay_short():
    text = "Ministry of " * 2_000 + "Finance"

    assert all(len(name.split()) <= 12 for name, _ in shaped(text))


def test_an_and_before_a_place_head_joins_two_places():
    assert shaped("buses between Harvik and Tolby Bridge") == [("Tolby Bridge", "place")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "funded by the Department of Harbours, Tides, Lighthouses and Ferries on Monday",
            [("Department of Harbours, Tides, Lighthouses and Ferries", "organization")],
        ),
        (
            "the Velmoran Ministry of Mines, Quarries and Salt said",
            [("Velmoran Ministry of Mines, Quarries and Salt", "organization")],
        ),
        (
            "The Weather, Tides and Storms Agency (WTSA) warned",
            [("Weather, Tides and Storms Agency", "organization")],
        ),
        (
            "The Ostran Dockers, Riggers and Crane Drivers Union said",
            [("Ostran Dockers, Riggers and Crane Drivers Union", "organization")],
        ),
    ],
)
def test_a_head_with_a_listed_complement_is_one_name_across_its_commas(text, names):
    assert shaped(text) == names


def test_a_list_of_separate_names_after_a_head_stays_apart():
    # Items that are names of their own (a head, a sentence word) break the list.
    assert shaped("the Ministry of Finance, Harbour Authority and Tarn Council met") == [
        ("Ministry of Finance", "organization"),
        ("Harbour Authority", "organization"),
        ("Tarn Council", "organization"),
    ]
    assert shaped("the Ministry of Finance and the Ministry of Mines") == [
        ("Ministry of Finance", "organization"),
        ("Ministry of Mines", "organization"),
    ]


def test_a_bracketed_company_form_stays_inside_the_name():
    assert shaped("the consultancy Tarn Rail Logistics (Pty) Ltd, is charged") == [
        ("Tarn Rail Logistics (Pty) Ltd", "organization")
    ]
    assert shaped("built by Velmo Solar (Pvt) Ltd at a cost") == [("Velmo Solar (Pvt) Ltd", "organization")]


def test_a_company_whose_form_comes_first_is_one_name():
    assert shaped("while PT Kereta Tarn (Persero) diverted trains") == [
        ("PT Kereta Tarn (Persero)", "organization")
    ]
    assert shaped("shares of PJSC Velmoneft fell.") == [("PJSC Velmoneft", "organization")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("rivals such as Banque Velmier said", [("Banque Velmier", "organization")]),
        ("work with Universiti Tarn Ostra on it", [("Universiti Tarn Ostra", "organization")]),
        ("Club Velmora beat them", [("Club Velmora", "organization")]),
        ("a house on Bank Street in Leeds", [("Bank Street", "place")]),
        ("the Bank of Velmora said", [("Bank of Velmora", "organization")]),
    ],
)
def test_a_word_that_opens_an_organisations_name_types_it(text, names):
    assert shaped(text) == names
