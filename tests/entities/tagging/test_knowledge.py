"""The starter knowledge: the places and organisations the alias table knows before an editor adds any."""

from entities.tagging import starter_records


def records_named(name):
    return [r for r in starter_records() if r.name == name]


def test_first_level_subdivisions_are_places_one_word_ones_ambiguous():
    [tamil_nadu] = records_named("Tamil Nadu")
    [sarawak] = records_named("Sarawak")
    [gauteng] = records_named("Gauteng")

    assert (tamil_nadu.type, tamil_nadu.ambiguous) == ("place", False)
    assert (sarawak.type, sarawak.ambiguous) == ("place", True)
    assert gauteng.type == "place"


def test_subdivisions_named_by_everyday_words_are_left_out():
    # Nigeria's Rivers and Plateau states, Uganda's Central region: words first, names seldom.
    assert not [r for r in starter_records() if r.text in ("Rivers", "Plateau", "Central")]


def test_a_subdivision_sharing_a_city_name_leaves_the_city_as_it_was():
    [lagos] = [r for r in starter_records() if r.text == "Lagos"]

    assert lagos.type == "place" and not lagos.ambiguous


def test_a_bodys_name_ending_in_a_descriptor_matches_only_as_written():
    records = {r.text: r for r in starter_records()}

    assert records["Gerindra Party"].case_sensitive
    assert not records["Gerindra"].case_sensitive
    assert not records["Bank of England"].case_sensitive
