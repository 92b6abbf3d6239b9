"""Places' names that name sides: a national team or a club is an organisation, the place is not."""

import pytest

from entities.tagging.teams import reads_as_team


def team(text, name, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return reads_as_team(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Velmora beat Ostrava by seven runs in the final on Sunday.", "Velmora"),
        ("Velmora beat Ostrava by seven runs in the final on Sunday.", "Ostrava"),
        ("Velmora reached the Cup final for the first time, beating Ostrava 2-0.", "Ostrava"),
        ("Velmora captain Ana Lirio lifted the trophy.", "Velmora"),
        ("Former Tarnside and Velmora wing Rhys Bowen was there.", "Velmora"),
        ("Ostrava, coached by Ivo Brenner, never found their rhythm.", "Ostrava"),
        ("Al-Lirio, who plays for Tarnside in the north, scored twice.", "Tarnside"),
        ("Velmora beat Orsk 2-0 and Ostrava drew 1-1 with Tarnside in Korvi.", "Tarnside"),
        ("Bolan tears through Velmora as Ostrava close in on series win", "Ostrava"),
        ("The Tarnside quick's return is a fitting reward.", "Tarnside"),
        ("Kane made 112 in Velmora's second innings.", "Velmora"),
    ],
)
def test_a_place_name_next_to_play_or_a_role_is_a_team(text, name):
    assert team(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Velmora beat back the rebel advance on Tuesday, the army said.", "Velmora"),
        ("Talks against the backdrop of sanctions on Ostrava resumed.", "Ostrava"),
        ("Velmora faces a deadline to repay the loan this week.", "Velmora"),
        ("The match was played in Velmora, 2-0 to the hosts.", "Velmora"),
        ("Residents of Tarnside said the coach station had closed.", "Tarnside"),
    ],
)
def test_a_place_in_politics_or_hosting_a_match_stays_a_place(text, name):
    assert not team(text, name)
