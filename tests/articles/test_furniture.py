"""Site furniture learned per site: learned from a site's stored pages, edited in the admin, removed."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import furniture, services
from articles.extraction.cleanup import furniture_key
from articles.models import Article, RawDocument, SiteFurniture, SitePageLines
from articles.tasks import site_furniture_learn_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "dailyplanet.example"

STORIES = [
    (
        "Council approves Metropolis budget after long debate",
        "The city council approved a new budget on Tuesday after a long debate over transport "
        "spending and the cost of repairing the old harbour bridge.",
        "Opposition members warned that bus fares would rise to pay for the plan.",
    ),
    (
        "Heatwave closes schools across the northern districts",
        "Schools in six northern districts stayed shut on Wednesday as temperatures climbed past "
        "forty degrees for the third day running.",
        "Hospitals reported a rise in patients treated for dehydration and sunstroke.",
    ),
    (
        "Metropolis Meteors sign veteran goalkeeper on a free transfer",
        "The Meteors have signed the veteran goalkeeper on a one-year deal after their first-choice "
        "keeper broke his wrist in training last week.",
        "The club did not disclose the wages agreed with the player.",
    ),
    (
        "Port workers end strike after pay deal with shipping lines",
        "Dockers at the southern container port returned to work on Thursday after union leaders "
        "accepted a pay rise of seven percent spread over two years.",
        "Dozens of ships had queued offshore during the nine-day stoppage.",
    ),
    (
        "Museum returns stolen bronze statues to their island",
        "Three bronze statues taken from a temple in the nineteenth century were handed back in a "
        "ceremony attended by the island's elders and the culture minister.",
        "Curators spent four years tracing the statues' journey through private collections.",
    ),
    (
        "Rail operator orders forty electric trains for commuter lines",
        "The regional rail operator has ordered forty electric trains to replace diesel units on "
        "its busiest commuter lines by the end of the decade.",
        "Passenger groups welcomed the order but asked for more frequent evening services.",
    ),
]
REPORTERS = ["Hana Okafor", "Luis Brandt", "Mei Tanaka", "Omar Haddad", "Sara Lindqvist", "Tom Achebe"]
# Short article text that two pages of the site happen to share: not furniture.
SHARED_ONCE = "The mayor declined to comment on Friday."
LETTERS = "Tell the Planet what you think at the letters desk"


def page(number: int, *, extra: str = "") -> str:
    headline, lead, second = STORIES[number]
    lines = [
        headline,
        f"Daily Planet audio: {number + 3} min",
        f"METROPOLIS, March {number + 1} (Planet Wire): {lead}",
        f"Planet readers club: {10_000 + 1_111 * number:,} members and counting",
        second,
    ]
    if extra:
        lines.append(extra)
    lines += [LETTERS, f"{REPORTERS[number]} reported from Metropolis."]
    return "\n\n".join(lines) + "\n"


def ingest(text: str, capture, *, site: str = SITE, source: str = "page.txt") -> RawDocument:
    with capture(execute=True):
        result = services.raw_document_ingest(content=text.encode(), source=source, site=site)
    raw = RawDocument.objects.get(pk=result.raw_document.pk)
    assert raw.status == RawDocument.Status.DONE, raw.error
    return raw


def ingest_site(capture, count: int = 5) -> list[RawDocument]:
    return [
        ingest(page(n, extra=SHARED_ONCE if n < 2 else ""), capture, source=f"planet-{n}.txt")
        for n in range(count)
    ]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_furniture_of_a_made_up_site_is_learned_and_removed_while_text_repeated_once_is_kept(
    django_capture_on_commit_callbacks,
):
    raws = ingest_site(django_capture_on_commit_callbacks)
    before = Article.objects.get(raw_document=raws[0])
    assert "Planet readers club: 10,000 members and counting" in before.paragraphs

    assert site_furniture_learn_task.delay().get() == 1

    learned = {row.pattern: row for row in SiteFurniture.objects.filter(site=SITE)}
    assert set(learned) == {
        "daily planet audio 0 min",
        "planet readers club 0 members and counting",
        "tell the planet what you think at the letters desk",
    }
    for row in learned.values():
        assert row.kind == SiteFurniture.Kind.LEARNED
        assert row.enabled
        assert row.hits == 5
    assert learned["daily planet audio 0 min"].example == "Daily Planet audio: 7 min"
    assert furniture_key(SHARED_ONCE) not in learned

    raw = ingest(page(5, extra=SHARED_ONCE), django_capture_on_commit_callbacks, source="planet-5.txt")

    article = raw.article
    assert article.headline == STORIES[5][0]
    assert article.dateline_place == "Metropolis"
    assert article.paragraphs == [
        STORIES[5][1],
        STORIES[5][2],
        SHARED_ONCE,
        page(5).split("\n\n")[-1].strip(),
    ]
    assert article.report.removed == [
        "Daily Planet audio: 8 min",
        "Planet readers club: 15,555 members and counting",
        LETTERS,
    ]

    services.article_extract(raw_document=RawDocument.objects.get(pk=raws[0].pk))
    again = Article.objects.get(raw_document=raws[0])
    assert again.pk == before.pk
    assert "Planet readers club: 10,000 members and counting" not in again.paragraphs
    assert SHARED_ONCE in again.paragraphs


def test_learning_again_changes_nothing_and_keeps_only_the_recent_pages(django_capture_on_commit_callbacks):
    raws = ingest_site(django_capture_on_commit_callbacks)
    furniture.site_furniture_learn(site=SITE)
    rows = list(SiteFurniture.objects.values_list("site", "pattern", "kind", "hits", "enabled"))

    assert furniture.site_furniture_learn_pending() == []
    furniture.site_furniture_learn(site=SITE)
    assert list(SiteFurniture.objects.values_list("site", "pattern", "kind", "hits", "enabled")) == rows

    result = furniture.site_furniture_learn(site=SITE, window=3)
    assert result.stories == 3
    assert set(SitePageLines.objects.values_list("raw_document_id", flat=True)) == {r.pk for r in raws[2:]}
    assert SiteFurniture.objects.get(pattern="daily planet audio 0 min").hits == 3


def test_other_sites_and_pages_without_a_site_learn_nothing_from_these_pages(
    django_capture_on_commit_callbacks,
):
    ingest_site(django_capture_on_commit_callbacks, count=3)
    furniture.site_furniture_learn(site=SITE)

    raw = ingest(page(4), django_capture_on_commit_callbacks, site="", source="elsewhere.txt")

    assert raw.site == ""
    assert LETTERS in raw.article.paragraphs
    assert not SitePageLines.objects.filter(raw_document=raw).exists()


def test_a_story_that_arrived_several_times_counts_once(django_capture_on_commit_callbacks):
    subhead = "What the budget means for commuters"
    body = " ".join(
        f"The {word} part of the council plan changes how the city spends on buses, trams and "
        f"the harbour bridge over the next {word} years, officials said."
        for word in ("first", "second", "third", "fourth", "fifth", "sixth")
    )
    for take in range(3):
        club = f"Planet readers club: {take + 1} members and counting"
        text = f"Council budget, take {take + 1}\n\n{club}\n\n{subhead}\n\n{body} Updated at {take + 9}."
        ingest(text, django_capture_on_commit_callbacks, source=f"take-{take}.txt")
    for n in (1, 2):
        ingest(page(n), django_capture_on_commit_callbacks, source=f"planet-{n}.txt")

    result = furniture.site_furniture_learn(site=SITE)

    # The three takes are one story: five pages, three stories; the subheading is on one.
    assert result.stories == 3
    patterns = set(SiteFurniture.objects.values_list("pattern", flat=True))
    assert "planet readers club 0 members and counting" in patterns
    assert furniture_key(subhead) not in patterns


def test_an_editor_line_added_in_the_admin_is_applied_with_its_numbers_folded(
    admin_client, django_capture_on_commit_callbacks
):
    response = admin_client.post(
        reverse("admin:articles_sitefurniture_add"),
        {
            "site": "https://www.DailyPlanet.example/news/",
            "pattern": "Comments: 12 - join the debate",
            "enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    row = SiteFurniture.objects.get()
    assert (row.site, row.pattern, row.example) == (
        SITE,
        "comments 0 join the debate",
        "Comments: 12 - join the debate",
    )
    assert row.kind == SiteFurniture.Kind.EDITOR

    raw = ingest(page(0, extra="Comments: 3,017 — join the debate!"), django_capture_on_commit_callbacks)

    assert "Comments: 3,017 — join the debate!" in raw.article.report.removed
    assert "Comments: 3,017 — join the debate!" not in raw.article.paragraphs


def test_a_disabled_line_is_not_applied_and_stays_disabled_when_learned_again(
    admin_client, django_capture_on_commit_callbacks
):
    ingest_site(django_capture_on_commit_callbacks, count=3)
    furniture.site_furniture_learn(site=SITE)
    row = SiteFurniture.objects.get(pattern=furniture_key(LETTERS))

    response = admin_client.post(
        reverse("admin:articles_sitefurniture_changelist"),
        {"action": "disable_furniture", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert not row.enabled

    raw = ingest(page(4), django_capture_on_commit_callbacks, source="planet-4.txt")
    assert LETTERS in raw.article.paragraphs
    assert "Planet readers club: 14,444 members and counting" not in raw.article.paragraphs

    furniture.site_furniture_learn(site=SITE)
    row.refresh_from_db()
    assert not row.enabled
    assert row.hits == 4


def test_admin_lists_furniture_and_keeps_a_learned_line_as_the_site_showed_it(admin_client):
    row = SiteFurniture.objects.create(
        site=SITE, pattern="back to the planet", example="Back to the Planet", kind=SiteFurniture.Kind.LEARNED
    )

    listing = admin_client.get(reverse("admin:articles_sitefurniture_changelist"), {"kind": "learned"})
    change = admin_client.get(reverse("admin:articles_sitefurniture_change", args=[row.pk]))

    assert listing.status_code == 200
    assert "back to the planet" in listing.content.decode()
    assert change.status_code == 200
    assert 'name="pattern"' not in change.content.decode()


def test_an_editor_line_that_is_prose_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:articles_sitefurniture_add"),
        {"site": SITE, "pattern": " ".join(["word"] * 40), "enabled": "on"},
    )

    assert response.status_code == 200
    assert "at most 30 words" in response.content.decode()
    assert not SiteFurniture.objects.exists()


@pytest.mark.parametrize(
    ("value", "site"),
    [
        ("https://www.DailyPlanet.example:8443/news/1", SITE),
        ("dailyplanet.example", SITE),
        ("WWW.dailyplanet.example.", SITE),
        ("", ""),
    ],
)
def test_a_site_is_the_host_without_www(value, site):
    assert furniture.site_key(value) == site


def test_a_url_source_names_its_site_and_a_file_does_not():
    assert furniture.site_from_source("https://www.dailyplanet.example/a") == SITE
    assert furniture.site_from_source("planet/page.txt") == ""


def test_an_html_page_without_a_site_takes_the_host_of_its_canonical_url(django_capture_on_commit_callbacks):
    paragraphs = "".join(f"<p>{lead} {second}</p>" for _, lead, second in STORIES)
    html = (
        "<html><head><title>Council approves Metropolis budget</title>"
        '<link rel="canonical" href="https://www.dailyplanet.example/2024/budget"></head>'
        f"<body><article><h1>Council approves Metropolis budget</h1>{paragraphs}</article></body></html>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.raw_document_ingest(
            content=html.encode(), source="budget.html", content_type="text/html"
        )

    raw = RawDocument.objects.get(pk=result.raw_document.pk)
    assert raw.status == RawDocument.Status.DONE, raw.error
    assert raw.site == SITE
    assert SitePageLines.objects.get(raw_document=raw).site == SITE


@pytest.mark.django_db(transaction=True)
def test_the_ingest_command_names_the_site_of_files(tmp_path):
    (tmp_path / "one.txt").write_text(page(0), encoding="utf-8")

    call_command(
        "ingest", str(tmp_path), "--site", "www.dailyplanet.example", "--no-progress", stdout=io.StringIO()
    )

    raw = RawDocument.objects.get()
    assert raw.site == SITE
    assert set(SitePageLines.objects.get(raw_document=raw).lines) >= {
        "Daily Planet audio: 3 min",
        "Planet readers club: 10,000 members and counting",
        LETTERS,
    }
