"""The front page, story cards and section pages as readers see them: lead, sections, standfirsts,
bylines, pictures, clean datelines, corrections and kill notices, at a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, ArticleNote
from articles.paging import PAGE_SIZE
from tests.factories import AgencyFactory, ArticleFactory

pytestmark = [pytest.mark.django_db]

PICTURE = "https://images.example.test/minister.jpg"


@pytest.fixture(autouse=True)
def _count_in_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"


def page_text(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def stories(count, **fields):
    now = timezone.now()
    return [ArticleFactory(published_at=now - dt.timedelta(minutes=n), **fields) for n in range(count)]


def test_the_front_page_leads_with_the_newest_story_that_has_a_picture():
    newest = ArticleFactory(headline="Newest, without a picture", published_at=timezone.now())
    pictured = ArticleFactory(
        headline="Pictured story",
        lead_image_url=PICTURE,
        lead_image_alt="The minister at the podium",
        standfirst="The minister spoke for an hour.",
        authors=["Ann Lee"],
        published_at=timezone.now() - dt.timedelta(minutes=5),
    )
    from django.test import Client

    html = page_text(Client().get("/"))

    lead = html[
        html.index('<article class="lead"') : html.index("</article>", html.index('<article class="lead"'))
    ]
    assert "Pictured story" in lead
    assert f'<img src="{PICTURE}" alt="The minister at the podium" width="1200" height="675"' in lead
    assert '<p class="standfirst">The minister spoke for an hour.</p>' in lead
    assert '<p class="byline">By Ann Lee</p>' in lead
    assert html.index("Pictured story") < html.index(newest.headline)
    assert pictured.get_absolute_url() in lead


def test_the_front_page_shows_each_story_once_grouped_by_agency(client):
    kuna, reuters = AgencyFactory(name="KUNA", slug="kuna"), AgencyFactory(name="Reuters", slug="reuters")
    now = timezone.now()
    made = [
        ArticleFactory(agency=kuna if n % 2 else reuters, published_at=now - dt.timedelta(minutes=n))
        for n in range(12)
    ]

    html = page_text(client.get("/"))

    for story in made:
        assert html.count(f'href="{story.get_absolute_url()}"') == 1, story.headline
    assert 'id="top-stories">Top stories</h2>' in html
    assert '<a href="/agencies/reuters/">Reuters</a></h2>' in html
    assert '<a href="/agencies/kuna/">KUNA</a></h2>' in html
    assert "More from KUNA" in html


def test_story_cards_carry_standfirst_or_lead_byline_and_a_lazy_sized_picture(client):
    ArticleFactory(
        headline="Card story",
        standfirst="",
        body_text="The lead paragraph stands in for a standfirst.\n\nMore.",
        authors=["Ann Lee", "Bo Ma", "Cy Li"],
        lead_image_url=PICTURE,
        dateline_text="KUWAIT CITY, Oct 5 (KUNA)",
    )

    html = page_text(client.get("/agencies/" + Article.objects.get().agency.slug + "/"))

    assert '<p class="standfirst">The lead paragraph stands in for a standfirst.</p>' in html
    assert '<p class="byline">By Ann Lee, Bo Ma and Cy Li</p>' in html
    # No alt text was found: the picture is decorative beside the headline, so its alt is empty.
    assert f'<img src="{PICTURE}" alt="" width="320" height="180" loading="lazy" decoding="async">' in html
    assert '<span class="place">Kuwait City</span>' in html
    assert "(KUNA)" not in html


def test_no_raw_dateline_punctuation_reaches_any_page(client):
    agency = AgencyFactory(name="KUNA", slug="kuna")
    story = ArticleFactory(
        agency=agency, dateline_text="NEW YORK, Oct 8 (KUNA) --", dateline_place="New York"
    )

    for path in ("/", "/?page=1", "/agencies/kuna/", story.get_absolute_url(), "/search/?q=Ministers"):
        # What readers see (the head's JSON-LD states the dateline as written, for machines).
        html = page_text(client.get(path)).split("</head>", 1)[1]
        assert "NEW YORK, Oct 8" not in html, path
        assert "(KUNA) --" not in html, path
        assert '<span class="place">New York</span>' in html, path


def test_html_in_a_standfirst_byline_or_alt_text_is_escaped(client):
    ArticleFactory(
        headline="<script>alert(1)</script>",
        standfirst="<img src=x onerror=alert(2)>",
        authors=["<b>Ann</b>"],
        lead_image_url=PICTURE,
        lead_image_alt='" onload="alert(3)',
    )

    html = page_text(client.get("/"))

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<b>Ann</b>" not in html
    assert 'alt="&quot; onload=&quot;alert(3)"' in html


def test_the_front_page_costs_the_same_few_queries_however_many_stories(
    client, django_assert_max_num_queries
):
    client.get("/")  # the header's agencies and most read, cached from here on
    stories(2)
    with django_assert_max_num_queries(1):
        page_text(client.get("/"))
    stories(PAGE_SIZE + 5, lead_image_url=PICTURE, authors=["Ann Lee"])
    with django_assert_max_num_queries(1):
        page_text(client.get("/"))


def test_a_cold_front_page_still_asks_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for number in range(6):
        stories(4, agency=AgencyFactory(name=f"Agency {number}", slug=f"agency-{number}"))

    with django_assert_max_num_queries(4):
        page_text(client.get("/"))


def test_the_header_links_the_agencies_with_published_stories(client):
    ArticleFactory(agency=AgencyFactory(name="KUNA", slug="kuna"))
    ArticleFactory(agency=AgencyFactory(name="Silent", slug="silent"), status=Article.Status.DRAFT)

    html = page_text(client.get("/agencies/kuna/"))
    nav = html[html.index('<nav class="sections"') : html.index("</nav>")]

    assert '<a href="/agencies/kuna/" aria-current="page">KUNA</a>' in nav
    assert "Silent" not in nav


def test_the_page_has_landmarks_a_skip_link_and_one_h1(client):
    stories(3)

    for path in ("/", "/agencies/" + Article.objects.first().agency.slug + "/"):
        html = page_text(client.get(path))
        assert '<a class="skip-link" href="#main">' in html
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in html, (path, landmark)
        assert html.count("<h1") == 1, path


def test_the_stylesheet_is_a_static_file_and_no_style_is_inline(client):
    html = page_text(client.get("/"))

    assert '<link rel="stylesheet" href="/static/articles/site.css">' in html
    assert "<style" not in html
    assert " style=" not in html


def test_an_empty_search_says_so_kindly(client):
    stories(2)

    html = page_text(client.get("/search/", {"q": "nothing-matches-this"}))

    assert "No stories match" in html
    assert "Use fewer words" in html
    assert "No stories yet" not in html


# --- The story page ----------------------------------------------------------------------


def test_the_story_page_shows_standfirst_byline_dateline_and_lead_picture(client):
    story = ArticleFactory(
        standfirst="A standfirst under the headline.",
        authors=["Ann Lee", "Bo Ma"],
        section="World",
        dateline_text="MYTILENE, Greece, Oct 1 (AFP) -",
        dateline_place="Mytilene, Greece",
        agency=AgencyFactory(name="AFP", slug="afp"),
        lead_image_url=PICTURE,
        lead_image_alt="Boats at the harbour",
    )

    html = page_text(client.get(story.get_absolute_url()))

    assert '<p class="kicker">World</p>' in html
    assert '<p class="standfirst">A standfirst under the headline.</p>' in html
    assert '<p class="byline">By Ann Lee and Bo Ma</p>' in html
    assert '<span class="place">Mytilene, Greece</span><a href="/agencies/afp/">AFP</a><time' in html
    assert f'<img src="{PICTURE}" alt="Boats at the harbour" width="1200" height="675"' in html
    assert "<figcaption>Boats at the harbour</figcaption>" in html


@pytest.mark.parametrize(
    ("legacy", "counted", "shown"),
    [(0, 0, None), (0, 1, "Read once"), (1, 1, "Read twice"), (12000, 345, "Read 12,345 times")],
)
def test_the_read_count_is_worded_and_hidden_at_zero(client, legacy, counted, shown):
    story = ArticleFactory(legacy_view_count=legacy, view_count=counted)

    html = page_text(client.get(story.get_absolute_url()))

    if shown:
        assert f'<p class="views">{shown}</p>' in html
    else:
        assert 'class="views"' not in html
        assert "Read 0" not in html


def test_corrections_and_updates_are_shown_above_the_body_in_order(client):
    story = ArticleFactory(body_html="<p>The body.</p>")
    ArticleNote.objects.create(article=story, kind="correction", text="The envoy's name was misspelt.")
    ArticleNote.objects.create(article=story, kind="update", text="Talks resumed on <Monday>.")
    story.save()  # a note saves the story, so the cached body is renewed

    html = page_text(client.get(story.get_absolute_url()))

    notes = html[
        html.index('<aside class="notes"') : html.index("</aside>", html.index('<aside class="notes"'))
    ]
    assert 'aria-label="Corrections and updates"' in notes
    assert notes.index("Correction</strong>") < notes.index("Update</strong>")
    assert "Talks resumed on &lt;Monday&gt;." in notes
    assert html.index('class="notes"') < html.index("The body.")


def test_a_killed_story_answers_410_with_its_notice(client):
    story = ArticleFactory(
        status=Article.Status.KILLED,
        kill_notice="Withdrawn: it named a protected witness.",
        headline="Secret",
    )

    html = page_text(client.get(story.get_absolute_url()), status=410)

    assert "<h1" in html and "This story has been withdrawn" in html
    assert '<p class="notice" role="note">Withdrawn: it named a protected witness.</p>' in html
    assert "Secret" not in html  # the headline that was killed is not repeated


def test_a_killed_story_without_a_notice_still_says_what_happened(client):
    story = ArticleFactory(status=Article.Status.KILLED, kill_notice="")

    html = page_text(client.get(story.get_absolute_url()), status=410)

    assert "The editors have withdrawn this story." in html


def test_most_read_groups_thousands(client):
    from articles.models import ArticleViewDay

    story = ArticleFactory(headline="Much read")
    ArticleViewDay.objects.create(article=story, day=timezone.now().date(), views=12345)

    html = page_text(client.get("/"))

    assert "12,345 reads" in html
