"""Wire datelines: the forms agencies use, and openings that are not datelines."""

import pytest

from articles.extraction.dateline import parse_dateline, resolve_agency

DATELINES = [
    # text, dateline text, place, month, day, year, agency, body starts with
    (
        "PARIS, Sept 27, (Agencies): France carried out",
        "PARIS, Sept 27, (Agencies):",
        "Paris",
        9,
        27,
        None,
        "Agencies",
        "France",
    ),
    (
        "LONDON, Sept 27 (Reuters) - Britain said",
        "LONDON, Sept 27 (Reuters) -",
        "London",
        9,
        27,
        None,
        "Reuters",
        "Britain",
    ),
    (
        "WASHINGTON (AP) — The Senate voted",
        "WASHINGTON (AP) —",
        "Washington",
        None,
        None,
        None,
        "AP",
        "The Senate",
    ),
    (
        "KUWAIT CITY, Oct 5 (KUNA) -- The Cabinet",
        "KUWAIT CITY, Oct 5 (KUNA) --",
        "Kuwait City",
        10,
        5,
        None,
        "KUNA",
        "The",
    ),
    (
        "BEIRUT, Lebanon (AP) — Syrian troops",
        "BEIRUT, Lebanon (AP) —",
        "Beirut, Lebanon",
        None,
        None,
        None,
        "AP",
        "Syrian",
    ),
    (
        "NEW YORK, March 3, 2015 (AFP) - Stocks rose",
        "NEW YORK, March 3, 2015 (AFP) -",
        "New York",
        3,
        3,
        2015,
        "AFP",
        "Stocks",
    ),
    ("PARIS, Sept. 27 (AFP) - x y", "PARIS, Sept. 27 (AFP) -", "Paris", 9, 27, None, "AFP", "x y"),
    ("PARIS, Sep 27 (AFP) - x y", "PARIS, Sep 27 (AFP) -", "Paris", 9, 27, None, "AFP", "x y"),
    ("PARIS, September 27 (AFP) - x y", "PARIS, September 27 (AFP) -", "Paris", 9, 27, None, "AFP", "x y"),
    ("Paris, Sept 27 (Reuters) - x y", "Paris, Sept 27 (Reuters) -", "Paris", 9, 27, None, "Reuters", "x y"),
    (
        "ABU DHABI, 5th October, 2015 (WAM) -- The",
        "ABU DHABI, 5th October, 2015 (WAM) --",
        "Abu Dhabi",
        10,
        5,
        2015,
        "WAM",
        "The",
    ),
    (
        "BERLIN, 27 September 2015 (dpa) - x",
        "BERLIN, 27 September 2015 (dpa) -",
        "Berlin",
        9,
        27,
        2015,
        "dpa",
        "x",
    ),
    (
        "CAIRO, Egypt, Oct. 5 (Xinhua) -- x",
        "CAIRO, Egypt, Oct. 5 (Xinhua) --",
        "Cairo, Egypt",
        10,
        5,
        None,
        "Xinhua",
        "x",
    ),
    (
        "RIO DE JANEIRO, June 1 (AP) — x",
        "RIO DE JANEIRO, June 1 (AP) —",
        "Rio de Janeiro",
        6,
        1,
        None,
        "AP",
        "x",
    ),
    ("ST. LOUIS (AP) — x", "ST. LOUIS (AP) —", "St. Louis", None, None, None, "AP", "x"),
    (
        "SPRINGFIELD, Ill. (AP) — x",
        "SPRINGFIELD, Ill. (AP) —",
        "Springfield, Ill.",
        None,
        None,
        None,
        "AP",
        "x",
    ),
    (
        "GENEVA (Agence France-Presse) - x",
        "GENEVA (Agence France-Presse) -",
        "Geneva",
        None,
        None,
        None,
        "AFP",
        "x",
    ),
    ("DOHA, Dec 1 (QNA) - x", "DOHA, Dec 1 (QNA) -", "Doha", 12, 1, None, "QNA", "x"),
    (
        "RIYADH, Jan 2 (Saudi Press Agency) - x",
        "RIYADH, Jan 2 (Saudi Press Agency) -",
        "Riyadh",
        1,
        2,
        None,
        "SPA",
        "x",
    ),
    ("NEW DELHI, Aug 15 (PTI): x", "NEW DELHI, Aug 15 (PTI):", "New Delhi", 8, 15, None, "PTI", "x"),
    ("ANKARA (Anadolu Agency) - x", "ANKARA (Anadolu Agency) -", "Ankara", None, None, None, "Anadolu", "x"),
    (
        "MOSCOW, Sept 27 (AFP/Reuters) - x",
        "MOSCOW, Sept 27 (AFP/Reuters) -",
        "Moscow",
        9,
        27,
        None,
        "AFP",
        "x",
    ),
    ("(Reuters) - The company said", "(Reuters) -", None, None, None, None, "Reuters", "The company"),
    ("WASHINGTON — The Senate voted", "WASHINGTON —", "Washington", None, None, None, None, "The Senate"),
    (
        "KUWAIT CITY, Oct 5: The Cabinet",
        "KUWAIT CITY, Oct 5:",
        "Kuwait City",
        10,
        5,
        None,
        None,
        "The Cabinet",
    ),
    ("NEW DELHI:The government", "NEW DELHI:", "New Delhi", None, None, None, None, "The government"),
    # Each agency's punctuation, with and without a year.
    (
        "KUWAIT, Oct 5, 2023 (KUNA) -- The",
        "KUWAIT, Oct 5, 2023 (KUNA) --",
        "Kuwait",
        10,
        5,
        2023,
        "KUNA",
        "The",
    ),
    ("SEOUL, Oct. 5 (Yonhap) -- South", "SEOUL, Oct. 5 (Yonhap) --", "Seoul", 10, 5, None, "Yonhap", "South"),
    (
        "New Delhi, Oct 5 (IANS) The Centre",
        "New Delhi, Oct 5 (IANS)",
        "New Delhi",
        10,
        5,
        None,
        "IANS",
        "The",
    ),
    ("Madrid, Oct 5 (EFE).- Spain's", "Madrid, Oct 5 (EFE).-", "Madrid", 10, 5, None, "EFE", "Spain's"),
    (
        "Havana, Oct 5 (Prensa Latina) The Cuban",
        "Havana, Oct 5 (Prensa Latina)",
        "Havana",
        10,
        5,
        None,
        "Prensa Latina",
        "The Cuban",
    ),
    (
        "Riyadh, October 05, 2023, SPA -- The Council",
        "Riyadh, October 05, 2023, SPA --",
        "Riyadh",
        10,
        5,
        2023,
        "SPA",
        "The Council",
    ),
    ("ANKARA (AA) - Türkiye's", "ANKARA (AA) -", "Ankara", None, None, None, "Anadolu", "Türkiye's"),
    ("Berlin (dpa) - Germany's", "Berlin (dpa) -", "Berlin", None, None, None, "dpa", "Germany's"),
    ("Paris (AFP) – Paris will", "Paris (AFP) –", "Paris", None, None, None, "AFP", "Paris will"),
    ("BANGKOK - Thailand and", "BANGKOK -", "Bangkok", None, None, None, None, "Thailand"),
    # The Gulf papers' place and colon.
    ("Dubai: The Roads and Transport", "Dubai:", "Dubai", None, None, None, None, "The Roads"),
    ("Abu Dhabi: The UAE has", "Abu Dhabi:", "Abu Dhabi", None, None, None, None, "The UAE"),
    # ANSA's credit before the place and date.
    ("(ANSA) - MILAN, MAR 12 - Fashion", "(ANSA) - MILAN, MAR 12 -", "Milan", 3, 12, None, "ANSA", "Fashion"),
    ("(ANSA) - Naples, June 3 - The", "(ANSA) - Naples, June 3 -", "Naples", 6, 3, None, "ANSA", "The"),
]


@pytest.mark.parametrize(
    ("text", "dateline_text", "place", "month", "day", "year", "agency", "rest"), DATELINES
)
def test_wire_datelines_are_parsed(text, dateline_text, place, month, day, year, agency, rest):
    match = parse_dateline(text)
    assert match is not None
    assert match.dateline.text == dateline_text
    assert (match.dateline.place, match.dateline.month, match.dateline.day, match.dateline.year) == (
        place,
        month,
        day,
        year,
    )
    assert match.agency == agency
    assert match.rest.startswith(rest)


@pytest.mark.parametrize(
    "text",
    [
        "President Obama said on Monday that the talks would go on.",
        "France carried out its first air strikes against the Islamic State group.",
        "Reuters said on Monday it would cut jobs.",
        "“We have proposed to cooperate with the countries in the region,” Putin said.",
        "PARIS-based companies reported higher sales.",
        "UPDATE: the ministry has since denied the report.",
        "BREAKING NEWS — a strong earthquake struck.",
        "Editor’s Note, December 19, 2025: this story was updated.",
        "US President Barack Obama (left) - shakes hands",
        "PARIS (Update 2) - the ministry said",
        "PARIS, Sept 45 (AFP) - impossible day",
        "The summit opened in Paris, Sept 27 (AFP) - late",
        # A title-case word and a colon is a place only when it is no common word and a capital follows.
        "Meanwhile: The talks went on.",
        "Background: Talks began in 2019.",
        "Dubai: the city said",
        # An unknown credit in brackets needs a separator.
        "Chennai Metro Rail Limited (CMRL) on Saturday began trial runs",
        "",
    ],
)
def test_ordinary_openings_are_not_datelines(text):
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    ("credit", "name"),
    [
        ("AFP", "AFP"),
        ("Agence France-Presse", "AFP"),
        ("agence france presse", "AFP"),
        ("Associated Press", "AP"),
        ("The Associated Press", "AP"),
        ("Kuwait News Agency", "KUNA"),
        ("Agencies", "Agencies"),
        ("Xinhua", "Xinhua"),
        ("DPA", "dpa"),
        ("Reuters / AFP", "Reuters"),
        ("Prensa Latina", "Prensa Latina"),
        ("Latin American News Agency", "Prensa Latina"),
        ("Anadolu Ajansı", "Anadolu"),
        ("AA", "Anadolu"),
        ("Yonhap News Agency", "Yonhap"),
        ("KYODO NEWS", "Kyodo"),
        ("Emirates News Agency", "WAM"),
        ("Malaysian National News Agency", "Bernama"),
    ],
)
def test_agency_aliases_resolve_to_the_canonical_name(credit, name):
    assert resolve_agency(credit) == (name, True)


def test_an_unknown_credit_is_kept_as_written_and_marked_unknown():
    assert resolve_agency("Gulf  Wire Service") == ("Gulf Wire Service", False)
    match = parse_dateline("DUBAI, Oct 5 (Gulf Wire Service) - x")
    assert match.agency == "Gulf Wire Service"
    assert match.agency_known is False
