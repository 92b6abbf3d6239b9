"""The public pages in a real browser: home, story, search, agency and entity pages at a desk's
and a phone's width, in light and dark, each checked by axe-core (WCAG 2 A and AA) and
screenshotted (set SCREENSHOTS to keep them)."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import ArticleNote, ArticleViewDay
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}
# A picture that needs no network: the page's CSP allows data: images.
PICTURE = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 9'%3E"
    "%3Crect width='16' height='9' fill='%23557a95'/%3E%3Ccircle cx='11' cy='3' r='2' fill='%23f2c14e'/%3E%3C/svg%3E"
)


def _axe_script() -> str:
    from axe_playwright_python import sync_playwright as axe_module

    return (Path(axe_module.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page, one line each (rule, impact, first target)."""
    # Evaluated through the browser's devtools protocol, so the page's CSP (script-src with a
    # nonce) neither blocks the checker nor reports it.
    page.evaluate(_axe_script())
    results = page.evaluate("options => axe.run(document, options)", WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
    ]


@pytest.fixture
def newsroom():
    """A small front page: two agencies, a lead with a picture, a correction, entities, a killed story."""
    kuna = AgencyFactory(name="KUNA", slug="kuna")
    reuters = AgencyFactory(name="Reuters", slug="reuters")
    now = timezone.now()
    lead = ArticleFactory(
        headline="Kuwait urges UN action on Syria and Yemen as talks stall",
        slug="kuwait-urges-un-action",
        agency=kuna,
        section="World",
        standfirst="The foreign minister told the General Assembly that the region cannot wait for another round.",
        authors=["Ann Lee", "Bo Ma"],
        dateline_text="NEW YORK, Oct 8 (KUNA) --",
        dateline_place="New York",
        lead_image_url=PICTURE,
        lead_image_alt="The foreign minister speaks at the General Assembly",
        legacy_view_count=12340,
        view_count=5,
        published_at=now,
        body_html="<p>Kuwait called on the United Nations to act.</p><p>Talks resume next week.</p>",
    )
    ArticleNote.objects.create(article=lead, kind="correction", text="An earlier version misnamed the envoy.")
    for place, name in [
        ("Kuwait", "Kuwait"),
        ("Syria", "Syria"),
        ("Yemen", "Yemen"),
        ("UN", "United Nations"),
    ]:
        entity = EntityFactory(
            name=name, type="place" if place != "UN" else "org", slug=name.lower().replace(" ", "-")
        )
        MentionFactory(article=lead, entity=entity, count=3)
    for number in range(9):
        ArticleFactory(
            headline=f"Oil ministers weigh output as prices slide, day {number + 1}",
            agency=reuters if number % 2 else kuna,
            standfirst="Producers meet in Vienna with no sign of a cut." if number % 3 else "",
            dateline_text="VIENNA, Sept 30 (Reuters) -" if number % 2 else "KUWAIT CITY, Oct 5 (KUNA)",
            lead_image_url=PICTURE if number in (4, 5) else "",
            published_at=now - dt.timedelta(hours=number + 1),
        )
    # Read today, so the front page and the story page show "Most read".
    ArticleViewDay.objects.create(article=lead, day=now.date(), views=4321, unique_visitors=4000)
    ArticleFactory(
        headline="A story the desk withdrew",
        slug="withdrawn-story",
        status="killed",
        kill_notice="This story was withdrawn because it named a witness who is protected by a court order.",
    )
    return {"lead": lead}


PAGES = [
    ("home", "/"),
    ("article", "/articles/kuwait-urges-un-action/"),
    ("search", "/?q=oil"),
    ("agency", "/agencies/kuna/"),
    ("entity", "/entities/kuwait/"),
    ("withdrawn", "/articles/withdrawn-story/"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width_name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_public_pages_pass_the_accessibility_check_at_every_width_and_scheme(
    page, newsroom, width_name, viewport, scheme
):
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    problems = {}
    for name, path in PAGES:
        response = page.goto(path)
        assert response.status == (410 if name == "withdrawn" else 200), path
        page.screenshot(path=page.screenshots / f"public-{name}-{width_name}-{scheme}.png", full_page=True)
        found = accessibility_violations(page)
        if found:
            problems[path] = found
        # Nothing is wider than the screen (no sideways scrolling on a phone).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert not problems, problems
    assert not page.csp_violations


def test_the_skip_link_is_first_and_lands_on_the_stories(page, newsroom):
    page.goto("/")

    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == "Skip to the stories"
    # Visible when focused (it sits off screen until then).
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_story_page_reads_like_a_news_story(page, newsroom):
    page.goto("/articles/kuwait-urges-un-action/")

    assert page.inner_text(".dateline").split("\n")[0].startswith("NEW YORK")  # place, set in capitals
    assert "KUNA" in page.inner_text(".dateline")
    assert page.inner_text(".byline") == "By Ann Lee and Bo Ma"
    assert page.inner_text(".views") == "Read 12,345 times"
    assert "misnamed the envoy" in page.inner_text(".note-correction")
    assert page.inner_text(".in-this-story").replace("\n", " ").startswith("IN THIS STORY")
    # The entities sit on one line at a desk's width, not a bulleted column.
    tops = page.evaluate("[...document.querySelectorAll('.in-this-story li')].map(li => li.offsetTop)")
    assert len(set(tops)) == 1
    assert (
        page.get_attribute(".lead-image img", "alt") == "The foreign minister speaks at the General Assembly"
    )


def test_the_checker_finds_what_it_should(page, newsroom):
    # The check can fail: an image without alt text and a low-contrast line are reported.
    page.goto("/")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const img = document.createElement('img'); img.src = 'data:,'; main.append(img);
            const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#eeeeee';
            main.append(p);
        }"""
    )

    found = " ".join(accessibility_violations(page))

    assert "image-alt" in found
    assert "color-contrast" in found


def test_dark_mode_changes_the_paper_and_keeps_the_text_readable(page, newsroom):
    page.emulate_media(color_scheme="dark")
    page.goto("/")

    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    color = page.evaluate("getComputedStyle(document.body).color")

    assert background == "rgb(22, 21, 19)"
    assert color == "rgb(235, 232, 226)"
