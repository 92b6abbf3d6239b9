"""Found links and stored stories meet by address, whatever spelling each page used."""

import pytest

from articles.link_keys import link_address, link_key
from articles.models import Article, RelatedLink
from articles.related.display import related_items
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    "spelling",
    [
        "https://news.test/world/oil-talks",
        "http://www.news.test/world/oil-talks/",
        "https://NEWS.test:443/world//oil-talks#comments",
        "https://m.news.test/world/oil-talks?utm_source=twitter&utm_medium=social&fbclid=abc",
        "https://news.test/world/oil-talks/amp",
        "https://news.test/world/oil%2Dtalks",
    ],
)
def test_every_spelling_of_one_address_has_one_key(spelling):
    assert link_key(spelling) == link_key("https://news.test/world/oil-talks")


@pytest.mark.parametrize(
    "other",
    [
        "https://news.test/world/oil-talks-2",
        "https://news.test/world/oil-talks?id=2",
        "https://other.test/world/oil-talks",
        "https://news.test:8080/world/oil-talks",
    ],
)
def test_different_addresses_have_different_keys(other):
    assert link_key(other) != link_key("https://news.test/world/oil-talks")


def test_query_parameters_that_name_the_page_stay_in_any_order():
    assert (
        link_address("https://news.test/story.php?b=2&id=5&utm_campaign=x")
        == "//news.test/story.php?b=2&id=5"
    )
    assert link_key("https://news.test/story.php?id=5&b=2") == link_key(
        "https://news.test/story.php?b=2&id=5"
    )


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "mailto:desk@news.test", "/world/a", "https://[::1"]
)
def test_anything_but_a_web_address_has_no_key(url):
    assert link_key(url) == ""


# --- Stories and the links that lead to them -------------------------------------------------------

HTML = """<html><head><title>{title}</title><link rel="canonical" href="{url}"></head><body>
<article><h1>{title}</h1>{paragraphs}</article>
<aside class="related-articles"><h2>Related stories</h2><ul>{links}</ul></aside>
</body></html>"""


def page(title: str, url: str, links: list[tuple[str, str]]) -> bytes:
    paragraphs = "".join(
        f"<p>{sentence}</p>"
        for sentence in (
            f"{title} was the subject of talks in the capital on Monday, officials said.",
            "Ministers from the region met to settle the questions their deputies had left open in March.",
            "Prices moved little during the day as traders waited for a statement from the meeting.",
            "A second round is planned for the spring, according to a draft seen by reporters.",
        )
    )
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return HTML.format(title=title, url=url, paragraphs=paragraphs, links=anchors).encode()


@pytest.mark.django_db
def test_a_link_found_on_a_page_leads_to_the_story_stored_from_that_address_either_way_round(
    django_capture_on_commit_callbacks,
):
    from articles import services

    def ingest(content):
        with django_capture_on_commit_callbacks(execute=True):
            raw = services.raw_document_ingest(content=content, source="page.html", publish=True).raw_document
        return Article.objects.get(raw_document=raw)

    first = ingest(
        page(
            "Oil ministers meet in Vienna",
            "https://www.news.test/world/oil-ministers-meet",
            [
                (
                    "https://news.test/world/opec-keeps-output?utm_source=rss",
                    "OPEC keeps output steady for now",
                ),
                ("http://news.test/world/opec-keeps-output/", "OPEC keeps output steady again"),
                ("https://elsewhere.test/markets/brent-rises", "Brent rises on supply worries"),
            ],
        )
    )
    waiting = RelatedLink.objects.filter(from_article=first, kind=RelatedLink.Kind.FOUND_ON_PAGE)
    assert [(link.to_article_id, link.url) for link in waiting.order_by("position")] == [
        (None, "https://news.test/world/opec-keeps-output?utm_source=rss"),
        (None, "http://news.test/world/opec-keeps-output/"),
        (None, "https://elsewhere.test/markets/brent-rises"),
    ]

    # The story those links name is stored later: they lead to it now, once per page.
    second = ingest(
        page(
            "OPEC keeps output steady",
            "https://news.test/world/opec-keeps-output",
            [("https://news.test/world/oil-ministers-meet#top", "Oil ministers meet in Vienna today")],
        )
    )

    assert [(link.to_article_id, link.url) for link in waiting.order_by("position")] == [
        (second.pk, "https://news.test/world/opec-keeps-output?utm_source=rss"),
        (None, "https://elsewhere.test/markets/brent-rises"),
    ]
    # And the new page's own link to the first story leads to it at once.
    back = RelatedLink.objects.get(from_article=second, kind=RelatedLink.Kind.FOUND_ON_PAGE)
    assert back.to_article_id == first.pk
    assert second.status == Article.Status.PUBLISHED, second.report.flagged
    shown = related_items(article=first, limit=5)
    assert [item.url for item in shown][:2] == [
        second.get_absolute_url(),
        "https://elsewhere.test/markets/brent-rises",
    ]


@pytest.mark.django_db
def test_a_found_link_to_a_story_still_on_the_desk_shows_its_address_until_it_is_published():
    article = ArticleFactory()
    waiting = ArticleFactory(status=Article.Status.NEEDS_REVIEW, source_url="https://news.test/a")
    RelatedLink.objects.create(
        from_article=article,
        to_article=waiting,
        url="https://news.test/a",
        title="A story",
        kind=RelatedLink.Kind.FOUND_ON_PAGE,
    )

    assert [item.url for item in related_items(article=article)] == ["https://news.test/a"]
    Article.objects.filter(pk=waiting.pk).update(status=Article.Status.PUBLISHED)
    assert [item.url for item in related_items(article=article)] == [waiting.get_absolute_url()]


@pytest.mark.django_db
def test_saving_a_story_keeps_its_address_key():
    story = ArticleFactory(source_url="https://www.news.test/a/")
    assert story.source_url_key == link_key("https://news.test/a")

    story.source_url = "https://news.test/b"
    story.save(update_fields=["source_url"])

    assert Article.objects.get(pk=story.pk).source_url_key == link_key("https://news.test/b")


@pytest.mark.django_db
def test_a_found_link_to_a_killed_story_leaves_the_list_in_every_form():
    article = ArticleFactory()
    killed = ArticleFactory(status=Article.Status.KILLED, source_url="https://news.test/a")
    RelatedLink.objects.create(
        from_article=article,
        to_article=killed,
        url="https://news.test/a",
        kind=RelatedLink.Kind.FOUND_ON_PAGE,
    )

    assert related_items(article=article) == []
