"""The alias automaton: case rules, word boundaries, longest match, offsets."""

from entities.tagging import AliasMatcher, AliasRecord


def record(key, text, type_="organization", name=None, **flags):
    return AliasRecord(key, name or key, type_, text, **flags)


def spans(matcher, text):
    return [(m.text, m.records[0].entity_key) for m in matcher.find(text)]


def test_short_all_caps_alias_matches_only_as_written():
    matcher = AliasMatcher([record("islamic-state", "IS"), record("un", "UN")])

    assert spans(matcher, "Strikes on IS targets. This is it; Is it? The UN said.") == [
        ("IS", "islamic-state"),
        ("UN", "un"),
    ]


def test_short_all_caps_alias_never_matches_on_an_all_caps_line():
    matcher = AliasMatcher([record("islamic-state", "IS"), record("syria", "Syria", "place")])
    text = "FRANCE SAYS IS IN SYRIA\n\nFrance says IS fighters are in Syria."

    found = matcher.find(text)

    assert [(m.text, m.start) for m in found] == [("SYRIA", 18), ("IS", 37), ("Syria", 56)]


def test_long_aliases_match_whatever_the_case_but_not_all_lower_case():
    matcher = AliasMatcher([record("paris", "Paris", "place"), record("nice", "Nice", "place")])

    assert spans(matcher, "PARIS, Oct 2: a nice day in Paris and in Nice.") == [
        ("PARIS", "paris"),
        ("Paris", "paris"),
        ("Nice", "nice"),
    ]


def test_aliases_match_on_word_boundaries_only():
    matcher = AliasMatcher([record("iraq", "Iraq", "place"), record("us", "US", "place")])

    assert spans(matcher, "Iraqiannounced; USB; the US-led coalition; Iraq’s army") == [
        ("US", "us"),
        ("Iraq", "iraq"),
    ]


def test_longest_match_wins_on_overlaps():
    matcher = AliasMatcher(
        [
            record("new-york", "New York", "place"),
            record("nyt", "New York Times"),
            record("un", "UN"),
            record("un", "UN General Assembly"),
        ]
    )

    assert spans(matcher, "The New York Times and the UN General Assembly in New York.") == [
        ("New York Times", "nyt"),
        ("UN General Assembly", "un"),
        ("New York", "new-york"),
    ]


def test_case_sensitive_flag_is_respected():
    matcher = AliasMatcher([record("apple", "Apple", case_sensitive=True)])

    assert spans(matcher, "APPLE shares; Apple shares") == [("Apple", "apple")]


def test_offsets_are_exact_when_lower_casing_changes_the_length():
    matcher = AliasMatcher([record("istanbul", "Istanbul", "place")])
    text = "İzmir and ISTANBUL and İstanbul and Istanbul"

    found = matcher.find(text)

    assert [(m.start, m.end, text[m.start : m.end]) for m in found] == [
        (10, 18, "ISTANBUL"),
        (36, 44, "Istanbul"),
    ]


def test_curly_apostrophes_match_straight_ones():
    matcher = AliasMatcher([record("kwp", "Kurdistan Workers' Party")])

    assert spans(matcher, "the Kurdistan Workers’ Party") == [("Kurdistan Workers’ Party", "kwp")]


def test_an_alias_shared_by_two_entities_keeps_both_candidates():
    matcher = AliasMatcher([record("georgia", "Georgia", "place"), record("georgia-us", "Georgia", "place")])

    (match,) = matcher.find("Georgia votes.")

    assert {r.entity_key for r in match.records} == {"georgia", "georgia-us"}


def test_blocked_alias_matches_and_is_flagged():
    matcher = AliasMatcher([record("advt", "Advt Blocker", blocked=True)])

    (match,) = matcher.find("Advt Blocker Detected")

    assert match.blocked


def test_fifty_thousand_aliases_compile_and_match():
    size = 50_000
    records = [record(f"e{i}", f"Name{i} Surname{i % 977}", "person") for i in range(size)]
    matcher = AliasMatcher([*records, record("un", "UN")])

    found = matcher.find("Name49999 Surname172 met the UN envoy and Name7 Surname7.")

    assert [m.text for m in found] == ["Name49999 Surname172", "UN", "Name7 Surname7"]
    assert len(matcher) == size + 1
