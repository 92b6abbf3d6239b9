"""Names typed by the words around them: ages and appositives, organisation nouns and roles, place words."""

import pytest

from entities.tagging.context import context_type, cued_names, listed_places


def typed(text, name):
    start = text.index(name)
    return context_type(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("said Tomas Verle, 58, who lost his boat.", "Tomas Verle", "person"),
        ("Hemmo Dral, who chairs the panel, spoke.", "Hemmo Dral", "person"),
        ("Ilse Varga, a retired teacher, said.", "Ilse Varga", "person"),
        ("Brightwater, a shipping company, said.", "Brightwater", "organization"),
        ("Korvi, the capital of the province, flooded.", "Korvi", "place"),
        ("said the manufacturer Alvane on Monday", "Alvane", "organization"),
        ("said an analyst at Dunmore Capital.", "Dunmore Capital", "organization"),
        ("said the chief executive of Orrin Freight.", "Orrin Freight", "organization"),
        ("Homes were flooded in Tusca overnight.", "Tusca", "place"),
        ("the town of Adra was cut off", "Adra", "place"),
        ("farms in the Orrin district", "Orrin", "place"),
        ("Kessel police arrested two men", "Kessel", "place"),
        ("output from the Tarsk field rose", "Tarsk", "place"),
        ("families in the Ifko camps", "Ifko", "place"),
        ("said Lindre Mokane, an SIU spokesperson.", "Lindre Mokane", "person"),
        ("Its chairman, Ruardh Macloy, said the trust", "Ruardh Macloy", "person"),
        ("The general coordinator of the universities, Lucia Quirova, said", "Lucia Quirova", "person"),
        ("Rohan Kelde (24) and Sahin Vaso (31) were held.", "Rohan Kelde", "person"),
        ('"We will not move," Okarde said.', "Okarde", "person"),
        ("said Sirin Rahavi, a partner at the firm.", "Sirin Rahavi", "person"),
        ("its welds at the reactor at Flamorel were checked", "Flamorel", "place"),
        ("plans for a port at Dilette were shelved", "Dilette", "place"),
        ("fighting in the municipalities of Tlapo de Coman rose", "Tlapo de Coman", "place"),
        ("Governor of Dhofir, said the figures", "Dhofir", "place"),
        ("shares of the Santa Corra, Calvera-based company rose", "Santa Corra", "place"),
        ("traffic was diverted to the Gazel bridge", "Gazel", "place"),
        ("Kazo Ueda, the Bank of Tarn governor, said", "Kazo Ueda", "person"),
        ("Kwame Asanto, MP for Ablekum North, said", "Ablekum North", "place"),
        ("Shares in Fonterro fell after the cut", "Fonterro", "organization"),
        ("The Chief Minister of Tarn, Pinaro Vijan, visited", "Pinaro Vijan", "person"),
        ("Analysts at Jeffro said the guidance was weak", "Jeffro", "organization"),
        ("which is listed on the Nasdo, said its chief financial officer", "Nasdo", "organization"),
        ("signed a deal with Sinopo to build a refinery", "Sinopo", "organization"),
        ("the two clashed in Parliament over the deal", "Parliament", "organization"),
        (
            "Its largest shareholder, Norvik Bank Investment Management, said",
            "Norvik Bank Investment Management",
            None,
        ),
    ],
)
def test_the_words_around_a_name_give_its_type(text, name, type_):
    assert typed(text, name) == type_


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("curled a free kick inside Mikkel Glaver's left-hand post", "Mikkel Glaver"),
        ("headed in Kieran Prest's corner in the 31st minute", "Kieran Prest"),
        ("the lander touched down near Tarsk’s south pole", "Tarsk’s"),
    ],
)
def test_a_place_preposition_before_a_possessive_types_the_thing_owned_not_the_name(text, name):
    assert typed(text, name) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The fund invested in Velto last year.", "Velto"),  # a company or a country
        ("Velto said on Monday that sales rose.", "Velto"),
        ("Portland, Oregon, is wet.", "Portland"),  # a list or a place and its state, no appositive
        ("the repair job at Velto was late", "Velto"),  # "at" alone leads to companies as often
        ("Dubai Sud, priced its shares at Dh2.35, the top", "Dubai Sud"),  # no article: no appositive
        ('"We will not move," Okarde announced on Monday.', "Okarde"),
    ],
)
def test_other_words_say_nothing(text, name):
    assert typed(text, name) is None


def test_cued_names_are_found_where_the_model_may_miss_them():
    text = (
        "The state logistics company Velto Rail went on trial. An analyst at Dunmore Capital said the "
        "town of Adra and the Orrin district lost power. The company Chief Executive Tom Harl spoke. "
        "Dara Olund, a spokesman for the port, and Mirre, a trader, agreed."
    )

    assert [(text[start:end], type_) for start, end, type_ in cued_names(text)] == [
        ("Velto Rail", "organization"),
        ("Dunmore Capital", "organization"),
        ("Adra", "place"),
        ("Orrin", "place"),
        ("Dara Olund", "person"),  # one word alone is too weak a cue: "Mirre" is left to the model
    ]


def test_a_newspaper_named_with_the_after_told_keeps_the():
    text = 'Ms. Sreela told The Velmora Herald. "We are ready," she said.'

    assert [(text[s:e], type_) for s, e, type_ in cued_names(text)] == [
        ("The Velmora Herald", "organization")
    ]


def test_a_persons_age_then_of_gives_where_they_live():
    text = "Orla Penrith, 34, of Caddonfoot, was charged. The son of Harlan Pike spoke."

    assert typed(text, "Caddonfoot") == "place"
    assert typed(text, "Harlan Pike") is None
    assert (text.index("Caddonfoot"), text.index("Caddonfoot") + 10, "place") in cued_names(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("commuter counties such as Kildare and Meath, as well", ["Kildare", "Meath"]),
        ("the worst-hit areas were Tarlo, Vesk Bay and Ummara, where", ["Tarlo", "Vesk Bay", "Ummara"]),
        ("three towns, including Iwanai and Kyowa, had", ["Iwanai", "Kyowa"]),
    ],
)
def test_names_listed_after_a_plural_of_places_are_places(text, names):
    assert [text[start:end] for start, end in listed_places(text)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A Tarvo spokesman apologised.", [("Tarvo", "organization")]),
        ("Velmo coach Guido Parra was sent off. The win took Velmo top.", [("Velmo", "organization")]),
        ("MPs of the ruling Morvena party voted.", [("Morvena", "organization")]),
        ("said Orrin chief executive Tom Kael.", [("Orrin", "organization")]),
        ("Trading in Huxin's shares was halted.", [("Huxin", "organization")]),
        # A capital opening a sentence says nothing unless the text repeats it inside one.
        ("The vote was close.\n\nLocal councillor Ann Ree objected.", []),
        ("Project manager Sara Velt said.", []),
    ],
)
def test_a_word_after_a_name_makes_it_an_organisation(text, names):
    assert [(text[s:e], t) for s, e, t in cued_names(text) if t == "organization"] == names


def test_a_cue_opening_a_sentence_types_the_name_after_it():
    text = "Shares of Tenvo rose 2%. Residents of Molvik were evacuated."

    assert [(text[s:e], t) for s, e, t in cued_names(text)] == [
        ("Tenvo", "organization"),
        ("Molvik", "place"),
    ]


def test_a_name_standing_alone_after_in_or_from_is_a_place():
    text = "Break-ins in Caervon at night. Pupils from Asfold were bused to a plant in Chitama, it said in March."
    other = "A rise in Test cricket and in Latin American trade; the job at Transvik is done."

    assert [text[s:e] for s, e, t in cued_names(text) if t == "place"] == ["Caervon", "Asfold", "Chitama"]
    assert [t for _, _, t in cued_names(other)] == []


def test_where_words_or_figures_come_from_is_an_organisation():
    text = "The founder told Handelsbladet. According to a Caixon review, prices fell. He told Smith that."

    assert [(text[s:e], t) for s, e, t in cued_names(text)] == [
        ("Handelsbladet", "organization"),
        ("Caixon", "organization"),
    ]


def test_a_list_after_other_plurals_says_nothing():
    assert listed_places("companies such as Velmo and Tarn Mills, and rivals like Ostra and Vesk") == []


def test_a_name_before_based_is_a_place():
    text = "a year earlier, the Tarnhal-based company said on Tuesday."
    assert [(text[s:e], t) for s, e, t in cued_names(text)] == [("Tarnhal", "place")]


def test_a_capitalised_body_named_by_function_after_the_is_an_organisation():
    text = "The Commission said it would appeal. We disagree with the Commission's view of the council."
    found = [(text[s:e], t) for s, e, t in cued_names(text)]
    assert found == [("Commission", "organization"), ("Commission", "organization")]
    assert cued_names("the Commission for Tarn Affairs and the Cabinet Office") == []


def test_a_name_set_off_after_a_persons_role_is_a_person():
    text = "Its regional director, Tamer Ostrava, told reporters. Its rivals, Velmo Tarn and others, did not."
    assert [(text[s:e], t) for s, e, t in cued_names(text)] == [("Tamer Ostrava", "person")]
