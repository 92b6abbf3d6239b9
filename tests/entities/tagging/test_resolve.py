"""How resolution weighs the model against the table and the rules: shapes, context, lists, datelines,
repeated names and honorifics. The model's spans are given by hand, so no model is needed."""

import re

from entities.tagging import AliasMatcher, AliasRecord
from entities.tagging.model import ModelSpan
from entities.tagging.resolve import resolve

PLACES = [
    AliasRecord("korvi", "Korvi", "place", "Korvi"),
    AliasRecord("adra", "Adra", "place", "Adra"),
    AliasRecord("nether", "Netherlands", "place", "The Netherlands"),
    AliasRecord("tarn", "Tarn", "place", "Tarn", ambiguous=True),
]


def span(text, surface, type_, nth=0):
    start = [m.start() for m in re.finditer(re.escape(surface), text)][nth]
    return ModelSpan(start, start + len(surface), type_, type_.upper())


def tagged(text, model_spans=(), records=PLACES):
    result = resolve(text, AliasMatcher(records), list(model_spans))
    return [(m.text, m.type) for m in result.mentions]


def test_a_shape_overrides_the_models_reading_of_a_name():
    text = "Officials of the Velmora Investment Authority met."

    mentions = tagged(text, [span(text, "Velmora", "person")])

    assert mentions == [("Velmora Investment Authority", "organization")]


def test_the_context_retypes_the_models_span():
    text = "The fund bought the manufacturer Alvane. Homes were flooded in Tusca."

    mentions = tagged(text, [span(text, "Alvane", "person"), span(text, "Tusca", "organization")])

    assert mentions == [("Alvane", "organization"), ("Tusca", "place")]


def test_a_name_listed_with_known_places_is_a_place():
    text = "Rain fell on Korvi, Adra and Velto overnight."

    assert tagged(text, [span(text, "Velto", "organization")]) == [
        ("Korvi", "place"),
        ("Adra", "place"),
        ("Velto", "place"),
    ]


def test_names_nothing_read_in_a_list_of_known_places_are_places():
    text = "Clinics in Korvi, Molsk and Upper Veldane were closed, and Adra or Tesh Ferry had no power."

    assert tagged(text) == [
        ("Korvi", "place"),
        ("Molsk", "place"),
        ("Upper Veldane", "place"),
        ("Adra", "place"),
        ("Tesh Ferry", "place"),
    ]


def test_a_list_the_model_reads_two_ways_after_a_place_word_is_of_places():
    text = "Gearboxes are made at plants in Hosar and Sriperam for carmakers."

    mentions = tagged(text, [span(text, "Hosar", "place"), span(text, "Sriperam", "organization")])

    assert mentions == [("Hosar", "place"), ("Sriperam", "place")]


def test_a_list_the_model_reads_two_ways_elsewhere_keeps_its_readings():
    text = "Advisers to Hosar and Sriperam said the deal was fair."

    mentions = tagged(text, [span(text, "Hosar", "place"), span(text, "Sriperam", "organization")])

    assert mentions == [("Hosar", "place"), ("Sriperam", "organization")]


def test_names_nothing_read_in_a_list_of_three_companies_are_companies():
    text = "Velto, ORRX and Tarsk Banking Group led gains."

    assert tagged(text, [span(text, "ORRX", "organization")]) == [
        ("Velto", "organization"),
        ("ORRX", "organization"),
        ("Tarsk Banking Group", "organization"),
    ]


def test_two_names_joined_by_and_may_be_one_name_not_a_list():
    text = "The Velto Group and Orrin said."

    assert tagged(text) == [("Velto Group", "organization")]


def test_the_models_reading_in_a_list_of_places_follows_the_places_the_table_knows():
    text = "Heavy rain fell on Korvi, Murang'a and Kirinyaga on Monday."
    spans = [span(text, "Murang'a", "organization"), span(text, "Kirinyaga", "person")]

    assert tagged(text, spans) == [("Korvi", "place"), ("Murang'a", "place"), ("Kirinyaga", "place")]


def test_a_name_set_off_by_the_and_a_comma_is_an_apposition_not_a_list():
    text = "Mrs Ilse Varga, the ANCV's deputy leader, spoke."

    assert tagged(text, [span(text, "ANCV", "organization")]) == [
        ("Ilse Varga", "person"),
        ("ANCV", "organization"),
    ]


def test_a_company_before_a_lower_case_title_stays_a_name():
    text = "Velto chief executive Ilse Varga said. Energy Minister Dara Olund agreed."
    spans = [span(text, "Velto", "person"), span(text, "Energy", "organization")]

    assert tagged(text, spans) == [
        ("Velto", "organization"),
        ("Ilse Varga", "person"),
        ("Dara Olund", "person"),
    ]


def test_a_list_holding_another_kind_of_name_gains_no_place():
    text = "Korvi, Ilse Varga and Tomas Brenn met."

    assert tagged(text, [span(text, "Ilse Varga", "person")]) == [
        ("Korvi", "place"),
        ("Ilse Varga", "person"),
    ]


def test_the_context_types_every_mention_of_an_unknown_name_the_model_read_otherwise():
    text = "Shares of Umvoti rose. Umvoti will pay in cash. The deal with platinum miner Umvoti closes. Umvoti fell."
    spans = [span(text, "Umvoti", "place", nth) for nth in range(4)]

    assert tagged(text, spans) == [("Umvoti", "organization")] * 4


def test_a_place_named_as_a_side_is_a_team_in_all_its_mentions_however_the_model_read_it():
    text = "Tarn manager Jan Olt watched the final. Two players join the Tarn panel."

    spans = [span(text, "Tarn", "person"), span(text, "Tarn", "place", 1)]

    assert tagged(text, spans) == [("Tarn", "organization")] * 2


def test_a_list_of_portfolios_before_a_title_names_no_body():
    text = "said Investment, Trade and Industry Minister Tengu Zafrel on Friday."
    spans = [span(text, "Investment, Trade and Industry", "organization")]

    assert tagged(text, spans) == [("Tengu Zafrel", "person")]


def test_a_name_its_bracketed_acronym_spells_is_one_organisation():
    text = "The Board of Cricket in Korvi (BCK) said. The Survey of Adra (SA) said. Trade on the Korvi Sea Route (KSR) rose."
    spans = [
        span(text, "Board of Cricket", "organization"),
        span(text, "Korvi Sea Route", "place"),
    ]

    assert tagged(text, spans) == [
        ("Board of Cricket in Korvi", "organization"),
        ("BCK", "organization"),
        ("Survey of Adra", "organization"),
        ("SA", "organization"),
        ("Korvi Sea Route", "place"),
        ("KSR", "place"),
    ]


def test_a_bracketed_word_is_an_organisations_short_form_unless_the_table_knows_it_as_another_thing():
    text = (
        "The Velmora Research Corporation (Velrec) said. Velrec will hire. "
        "Star man: Callum Prye (Tarn). Tarn won again."
    )
    spans = [
        span(text, "Velmora Research Corporation", "organization"),
        span(text, "Callum Prye", "organization"),
    ]

    result = resolve(text, AliasMatcher(PLACES), spans)

    assert [(m.text, m.name) for m in result.mentions] == [
        ("Velmora Research Corporation", "Velmora Research Corporation"),
        ("Velrec", "Velmora Research Corporation"),
        ("Velrec", "Velmora Research Corporation"),
        ("Callum Prye", "Callum Prye"),
        ("Tarn", "Tarn"),
        ("Tarn", "Tarn"),
    ]


def test_the_name_after_a_post_and_its_complement_is_a_person():
    text = (
        "They are Ambassador of the Republic of Korvi Park Sung-hoon and Minister of Tourism and Antiquities "
        "Sherif Fathy, with Minister of Energy and Petroleum Resources Carlos Malparte."
    )
    spans = [span(text, "Antiquities Sherif Fathy", "organization")]
    records = [*PLACES, AliasRecord("rkorvi", "Republic of Korvi", "place", "Republic of Korvi")]

    assert tagged(text, spans, records) == [
        ("Republic of Korvi", "place"),
        ("Park Sung-hoon", "person"),
        ("Sherif Fathy", "person"),
        ("Carlos Malparte", "person"),
    ]


def test_the_name_after_a_post_with_one_portfolio_or_a_bodys_acronym_is_a_person():
    text = (
        "Minister of Health Roselyn Mungai and Minister of State for Foreign Affairs Dr. Mohammed Al "
        "Khulaifi met. Head of the National Disaster Agency (BNPB) Suharyanto said."
    )
    spans = [
        span(text, "Health Roselyn Mungai", "organization"),
        span(text, "State for Foreign Affairs Dr", "place"),
        span(text, "National Disaster Agency", "organization"),
    ]

    assert tagged(text, spans) == [
        ("Roselyn Mungai", "person"),
        ("Mohammed Al Khulaifi", "person"),
        ("National Disaster Agency", "organization"),
        ("BNPB", "organization"),
        ("Suharyanto", "person"),
    ]


def test_one_word_after_a_post_and_its_complement_names_nobody():
    text = "Minister for Rural and Maritime Development and Disaster Management Sakiasi Ditoka spoke."

    assert tagged(text, [span(text, "Sakiasi Ditoka", "person")]) == [("Sakiasi Ditoka", "person")]


def test_a_persons_name_the_model_began_at_a_particle_takes_the_word_before():
    text = "The envoy Jabor bin Ali Al Dosari said."

    assert tagged(text, [span(text, "bin Ali Al Dosari", "person")]) == [
        ("Jabor bin Ali Al Dosari", "person")
    ]


def test_a_persons_name_the_model_began_at_a_middle_name_takes_the_given_name_before():
    text = "Rain fell.\n\nMarina Hoffmann Becker, a climatologist, said so, and Patrice Ngoyi Mbala agreed."
    spans = [span(text, "Hoffmann Becker", "person"), span(text, "Ngoyi Mbala", "person")]

    assert tagged(text, spans) == [("Marina Hoffmann Becker", "person"), ("Patrice Ngoyi Mbala", "person")]


def test_a_word_before_a_persons_name_that_is_no_given_name_stays_out():
    text = (
        "Later Tomas Verle spoke. Chief Executive Dara Olund and Minister of Transport Ilse Varga came. "
        "Trader Hemmo Dral, a trader for years, left."
    )
    spans = [span(text, name, "person") for name in ("Tomas Verle", "Dara Olund", "Ilse Varga", "Hemmo Dral")]

    assert [name for name, _ in tagged(text, spans)] == [
        "Tomas Verle",
        "Dara Olund",
        "Ilse Varga",
        "Hemmo Dral",
    ]


def test_irish_and_welsh_particles_open_a_surname():
    text = 'Aoife Ní Bhriain spoke. "It never sleeps," Ní Bhriain said, and Mr ap Rhys agreed.'
    spans = [
        span(text, "Aoife Ní Bhriain", "person"),
        span(text, "Bhriain", "person", 1),
        span(text, "Rhys", "person"),
    ]

    assert [name for name, _ in tagged(text, spans)] == ["Aoife Ní Bhriain", "Ní Bhriain", "ap Rhys"]


def test_a_link_does_not_retype_a_name_the_words_around_it_typed():
    text = "Lenders led by Landesbank Velmo-Tarsk met. It employs 300 people in Velmo-Tarsk and 50 elsewhere."
    spans = [span(text, "Landesbank Velmo-Tarsk", "person"), span(text, "Velmo-Tarsk", "person", 1)]

    assert tagged(text, spans)[-1] == ("Velmo-Tarsk", "place")


def test_a_bracket_after_a_dateline_city_is_its_agency_not_the_citys_short_name():
    text = "KORVI (TNA) - The ministry said. TNA reported floods in Upper Adra Vale (UAV). UAV is cut off."
    records = [*PLACES, AliasRecord("uav", "Upper Adra Vale", "place", "Upper Adra Vale")]

    assert tagged(text, records=records) == [
        ("KORVI", "place"),
        ("TNA", "organization"),
        ("TNA", "organization"),
        ("Upper Adra Vale", "place"),
        ("UAV", "place"),
        ("UAV", "place"),
    ]


def test_a_model_span_starting_inside_a_title_starts_after_it():
    text = "Kedah Menteri Besar Datuk Seri Muhamad Sanus said. Chief Financial Officer Park Seo-yeon told analysts."
    spans = [span(text, "Seri Muhamad Sanus", "person"), span(text, "Park Seo-yeon", "person")]

    assert tagged(text, spans) == [("Muhamad Sanus", "person"), ("Park Seo-yeon", "person")]


def test_commas_alone_are_an_apposition_not_a_list():
    text = "The envoy to Korvi, Ilse Varga, said."

    assert tagged(text, [span(text, "Ilse Varga", "person")]) == [
        ("Korvi", "place"),
        ("Ilse Varga", "person"),
    ]


def test_a_name_a_rule_found_is_found_wherever_the_text_repeats_it():
    text = "The logistics company Velto Rail lost money. Velto Rail said it would recover."

    assert tagged(text) == [("Velto Rail", "organization"), ("Velto Rail", "organization")]


def test_the_dateline_gives_the_agency_without_a_model():
    text = "Ferry resumes\n\nBRAVIK, March 4 (Nordpress) - The ferry to Korvi ran."

    assert tagged(text) == [("BRAVIK", "place"), ("Nordpress", "organization"), ("Korvi", "place")]


def test_honorifics_stay_outside_the_name_and_alone_name_nobody():
    text = "His Highness Sheikh Tamar bin Khaled met Datuk Seri Aziz Harun. His Highness the Amir left."

    mentions = tagged(text, [span(text, "Amir", "person")])

    assert mentions == [("Tamar bin Khaled", "person"), ("Aziz Harun", "person")]


def test_a_lower_case_the_stays_outside_a_table_name():
    assert tagged("Exports to the Netherlands rose.") == [("Netherlands", "place")]


def test_the_model_alone_does_not_override_an_ambiguous_place_but_a_title_does():
    text = "Floods hit Tarn. Later Governor Tarn spoke."

    mentions = tagged(text, [span(text, "Tarn", "person", 0)])

    assert mentions == [("Tarn", "place"), ("Tarn", "person")]


def test_a_company_is_found_by_its_name_without_the_legal_form():
    text = "Grey Heron Holdings plc bid for the insurer. Later Grey Heron raised its offer."

    assert tagged(text, [span(text, "Grey Heron", "person", 1)]) == [
        ("Grey Heron Holdings plc", "organization"),
        ("Grey Heron", "organization"),
    ]


def test_a_company_is_found_by_its_name_without_a_leading_form_even_where_a_town_has_it():
    text = "Grupo Tarn SA agreed the deal. Tarn will pay in cash."
    spans = [span(text, "Grupo Tarn SA", "organization"), span(text, "Tarn", "organization", 1)]

    assert tagged(text, spans) == [("Grupo Tarn SA", "organization"), ("Tarn", "organization")]


def test_a_short_name_that_the_table_knows_is_left_alone():
    text = "Korvi Holdings said exports from Korvi fell."

    assert tagged(text) == [("Korvi Holdings", "organization"), ("Korvi", "place")]


def test_a_body_named_by_a_field_and_a_place_is_an_organisation():
    text = "Athletics Korvi named its team. Korvi Power cut supply in Korvi."

    assert tagged(text) == [
        ("Athletics Korvi", "organization"),
        ("Korvi Power", "organization"),
        ("Korvi", "place"),
    ]


def test_two_shaped_names_the_model_read_as_one_stay_two():
    text = "Lenders such as the Central Bank of Orla and Bank of Adra were slow."

    mentions = tagged(text, [span(text, "Central Bank of Orla and Bank of Adra", "organization")])

    assert mentions == [("Central Bank of Orla", "organization"), ("Bank of Adra", "organization")]


def test_a_short_form_in_brackets_is_cut_from_the_name_and_linked_to_it():
    text = "The Orla Basic Industries Corp. (Obic) said. Later Obic raised prices."

    mentions = tagged(text, [span(text, "Orla Basic Industries Corp. (Obic", "organization")])

    assert mentions == [
        ("Orla Basic Industries Corp.", "organization"),
        ("Obic", "organization"),
        ("Obic", "organization"),
    ]


def test_a_one_word_person_the_model_alone_read_needs_backing():
    text = "Water will be released to Orvanta. Ledrin Pau opened the dam. Pau told farmers to wait."

    mentions = tagged(
        text,
        [span(text, "Orvanta", "person"), span(text, "Ledrin Pau", "person"), span(text, "Pau", "person", 1)],
    )

    assert mentions == [("Ledrin Pau", "person"), ("Pau", "person")]


def test_a_verb_of_speech_keeps_a_one_word_person():
    text = '"The forest is home to millions," Tavora said. Storm Bexley hit the coast.'

    mentions = tagged(text, [span(text, "Tavora", "person"), span(text, "Bexley", "person")])

    assert mentions == [("Tavora", "person")]


def test_a_model_span_over_two_names_is_cut_in_two():
    text = "Ore went to the port of Selvano in Korvi. Ferries run between Brask and Tollen daily from Ulm near Adra."

    mentions = tagged(
        text,
        [
            span(text, "Selvano in Korvi", "place"),
            span(text, "Brask and Tollen", "organization"),
            span(text, "Ulm near Adra", "place"),
        ],
    )

    assert mentions == [
        ("Selvano", "place"),
        ("Korvi", "place"),
        ("Brask", "place"),
        ("Tollen", "place"),
        ("Ulm", "place"),
        ("Adra", "place"),
    ]


def test_an_organisation_keeps_its_and_but_not_a_place_after_in():
    text = "Shares of Harlow and Venn rose. Staff of the Orvel Museum in Adra left."

    mentions = tagged(
        text,
        [span(text, "Harlow and Venn", "organization"), span(text, "Orvel Museum in Adra", "organization")],
    )

    assert ("Harlow and Venn", "organization") in mentions and ("Adra", "place") in mentions


def test_a_capitalised_preposition_opening_a_sentence_still_reads_a_place():
    text = "In Kestova, water rose."

    assert tagged(text, [span(text, "Kestova", "organization")]) == [("Kestova", "place")]


def test_a_title_case_headline_keeps_only_names_the_text_repeats():
    text = "Velmo Stocks Jump Most in a Year as Tarnbank Unveils Support\n\nShares rose after Tarnbank acted in Adra."

    mentions = tagged(text, [span(text, "Jump Most", "person"), span(text, "Tarnbank", "organization")])

    assert ("Jump Most", "person") not in mentions
    assert ("Tarnbank", "organization") in mentions  # the text repeats it


def test_a_headline_in_sentence_case_keeps_its_names():
    text = "Velmo stocks jump as Lirio Vesk steps in\n\nShares rose in Adra."

    assert ("Lirio Vesk", "person") in tagged(text, [span(text, "Lirio Vesk", "person")])


def test_a_name_before_a_comma_and_a_known_place_is_a_place():
    text = "Dana Ruiz of Velmoth, Korvi, said the road had gone. Tarnco, Korvi's biggest miner, agreed."

    mentions = tagged(text, [span(text, "Velmoth", "organization"), span(text, "Tarnco", "organization")])

    assert ("Velmoth", "place") in mentions
    assert ("Tarnco", "organization") in mentions


def test_a_name_is_not_linked_inside_a_law():
    text = "The Velmora Museum lent the drums. The Velmora Museum Act bars their sale."

    assert tagged(text, [span(text, "Velmora Museum", "organization")]) == [
        ("Velmora Museum", "organization")
    ]


def test_a_common_word_opening_a_sentence_is_no_name():
    text = "Cholera outbreak in the north. Doctors said cholera spread fast. Tarnex said it would help."

    mentions = tagged(text, [span(text, "Cholera", "organization"), span(text, "Tarnex", "organization")])

    assert mentions == [("Tarnex", "organization")]


def test_a_place_before_a_province_is_no_adjective_though_it_reads_like_one():
    records = [*PLACES, AliasRecord("fuji", "Fuji", "place", "Fuji")]
    text = "A refinery in Fujin province opened, the Korvian region said."
    spans = [span(text, "Fujin", "place"), span(text, "Korvian", "place")]

    assert tagged(text, spans, records) == [("Fujin", "place")]


def test_a_model_span_over_a_comma_is_two_names_and_the_list_after_it_parts_at_and():
    text = "Commuters came from Drumore, Kilvane and Tessary. Suppliers such as Brandt, Velko Systems rose."
    spans = [
        span(text, "Drumore, Kilvane and Tessary", "place"),
        span(text, "Brandt, Velko Systems", "organization"),
    ]

    assert tagged(text, spans) == [
        ("Drumore", "place"),
        ("Kilvane", "place"),
        ("Tessary", "place"),
        ("Brandt", "organization"),
        ("Velko Systems", "organization"),
    ]


def test_a_comma_inside_a_ministrys_name_or_before_a_legal_form_does_not_part_it():
    text = "The Department for Tillage, Food and Rural Affairs sued Orvane Trading Co., Ltd. on Monday."
    spans = [
        span(text, "Department for Tillage, Food and Rural Affairs", "organization"),
        span(text, "Orvane Trading Co., Ltd.", "organization"),
    ]

    assert tagged(text, spans) == [
        ("Department for Tillage, Food and Rural Affairs", "organization"),
        ("Orvane Trading Co., Ltd.", "organization"),
    ]


def test_a_word_saying_what_a_person_is_stays_outside_the_name_at_a_sentences_start():
    text = 'The river rose. Orchardist Ernie Schaefer said so. "Fishmonger Jared Onyo agreed," she said.'
    spans = [
        span(text, "Orchardist Ernie Schaefer", "person"),
        span(text, "Jared Onyo", "person"),
    ]

    assert tagged(text, spans) == [("Ernie Schaefer", "person"), ("Jared Onyo", "person")]


def test_a_surname_with_its_particles_is_one_name_with_the_given_name_before_it():
    text = "said Nadia van der Merwe on Monday. Van der Merwe added more. Dirk van den Berg agreed."
    spans = [
        span(text, "Nadia", "place"),
        span(text, "Merwe", "person"),
        span(text, "Merwe", "person", 1),
        span(text, "Dirk van", "person"),
        span(text, "Berg", "person"),
    ]

    assert tagged(text, spans) == [
        ("Nadia van der Merwe", "person"),
        ("Van der Merwe", "person"),
        ("Dirk van den Berg", "person"),
    ]


def test_a_place_that_joins_two_names_with_a_particle_is_one_place():
    text = "Troops moved into the department of Tarn de Korvi."
    spans = [span(text, "Tarn de Korvi", "organization")]

    assert tagged(text, spans) == [("Tarn de Korvi", "place")]


def test_a_saints_possessive_stays_inside_a_bodys_name():
    text = "Patients were moved to St Brendan's Hospital in Korvi."

    assert tagged(text, [span(text, "St Brendan's", "person")]) == [
        ("St Brendan's Hospital", "organization"),
        ("Korvi", "place"),
    ]


def test_an_abbreviation_of_a_good_or_a_time_zone_names_no_body():
    text = "Prices of LNG rose by 1200 GMT in Korvi."
    spans = [span(text, "LNG", "organization"), span(text, "GMT", "organization")]

    assert tagged(text, spans) == [("Korvi", "place")]


def test_the_names_of_kin_after_a_family_tie_are_people():
    text = "He is survived by his wife Orla, sons Callum and Ewart, and his brother Tarn."
    spans = [span(text, "Callum", "organization")]

    assert tagged(text, spans) == [
        ("Orla", "person"),
        ("Callum", "person"),
        ("Ewart", "person"),
        ("Tarn", "person"),
    ]


def test_a_person_after_a_post_with_a_long_portfolio_is_read_whatever_the_model_swallowed():
    text = "The talks were chaired by Federal Minister for Planning, Development and Special Initiatives Arsh Vaqar."
    whole = "Federal Minister for Planning, Development and Special Initiatives Arsh Vaqar"

    assert tagged(text, [span(text, whole, "organization")]) == [("Arsh Vaqar", "person")]


def test_a_known_name_used_as_a_portfolio_before_a_post_names_no_body():
    records = [*PLACES, AliasRecord("labour", "Labour Party", "organization", "Labour")]
    text = "Labour Minister Orla Venn urged calm. Labour won the vote."

    assert tagged(text, records=records) == [("Orla Venn", "person"), ("Labour", "organization")]
