"""Images on loopback, private or link-local hosts: dropped from stored bodies and from what is served."""

import pytest

from articles.extraction import extract, sanitize_html
from tests.factories import ArticleFactory

PUBLIC = "https://cdn.gulf.example/photos/aleppo.jpg"
LOCAL_IMAGES = [
    "http://127.0.0.1:8802/admin/logo.png",
    "http://localhost/track.png",
    "http://2130706433/x.png",
    "http://0x7f.1/x.png",
    "http://[::1]/x.png",
    "http://[::ffff:192.168.1.1]/x.png",
    "http://10.0.0.5/x.png",
    "http://192.168.1.1/router.png",
    "http://169.254.169.254/latest/meta-data/",
    "http://printer.local/status.png",
    "http://127.0.0.1\\@cdn.gulf.example/x.png",
]


@pytest.mark.parametrize("src", LOCAL_IMAGES)
def test_an_image_on_a_local_host_is_dropped_and_a_public_one_kept(src):
    html = f'<p>Talks resumed.</p><img src="{src}" alt="a"><img src="{PUBLIC}" alt="b">'

    assert sanitize_html(html) == f'<p>Talks resumed.</p><img src="{PUBLIC}" alt="b">'


def test_srcset_never_reaches_a_body():
    html = f'<img src="{PUBLIC}" srcset="http://127.0.0.1/a.png 2x, {PUBLIC} 1x" alt="b">'

    assert sanitize_html(html) == f'<img src="{PUBLIC}" alt="b">'


def test_extraction_stores_no_local_image_and_no_local_lead_image():
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story about the talks in Vienna, which resumed on Monday after a pause.</p>"
        for n in range(6)
    )
    page = (
        '<html><head><meta property="og:image" content="http://169.254.169.254/latest/meta-data/">'
        "<title>Talks resume in Vienna</title></head><body><article><h1>Talks resume in Vienna</h1>"
        f'{paragraphs}<figure><img src="http://10.0.0.5/cam.jpg" alt="camera"><figcaption>Inside.</figcaption>'
        f'</figure><figure><img src="{PUBLIC}" alt="Vienna"><figcaption>Vienna.</figcaption></figure>'
        f"{paragraphs}</article></body></html>"
    ).encode()

    article = extract(page, content_type="text/html")

    assert "10.0.0.5" not in article.body_html and "169.254" not in article.body_html
    assert article.lead_image in (None, PUBLIC)


@pytest.mark.django_db
def test_a_body_stored_before_the_rule_is_served_without_its_local_images(client):
    body = "".join(f'<p>Part {n}.</p><img src="{src}" alt="x{n}">' for n, src in enumerate(LOCAL_IMAGES))
    article = ArticleFactory(body_html=f'{body}<img src="{PUBLIC}" alt="kept">')

    page = client.get(article.get_absolute_url()).content.decode()
    api = client.get(f"/api/articles/{article.pk}/").json()

    for served in (page, api["body_html"]):
        assert f'<img src="{PUBLIC}" alt="kept">' in served
        assert "Part 10." in served
        for n in range(len(LOCAL_IMAGES)):
            assert f'alt="x{n}"' not in served
