"""The related widget's embed snippets on each story's admin page: this story's, escaped, absolute."""

import html
import re

import lxml.html
import pytest
from django.urls import reverse

from articles.related.embed import related_embed_snippets
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_story_page_shows_both_snippets_for_this_story(desk):
    story = ArticleFactory(headline='Quotes " and <tags> in a headline')

    page = desk.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()

    tree = lxml.html.fromstring(page)
    iframe = tree.get_element_by_id("embed-iframe").text_content()
    script = tree.get_element_by_id("embed-script").text_content()
    assert iframe == (
        f'<iframe src="http://testserver/widgets/related/{story.pk}/?limit=5" title="Related articles" '
        'style="border:0;width:100%;height:320px" loading="lazy"></iframe>'
    )
    assert script == (
        f'<div data-newsroom-related="{story.pk}" data-newsroom-limit="5"></div>\n'
        '<script src="http://testserver/static/articles/related-widget.js" async></script>'
    )
    # Shown as text to copy, never as markup of the admin page itself.
    assert not tree.xpath("//iframe[contains(@src, '/widgets/related/')]")
    assert "&lt;iframe src=&quot;http://testserver/widgets/related/" in page


def test_the_snippet_is_escaped_even_for_a_hostile_host():
    snippets = related_embed_snippets(article_id=7, site_url='https://news.test"><b>x</b>/')

    assert "<b>" not in snippets.iframe and "<b>" not in snippets.script
    assert 'src="https://news.test&quot;&gt;&lt;b&gt;x&lt;/widgets/related/7/?limit=5"' in snippets.iframe
    assert re.search(r'src="https://news\.test&quot;&gt;', snippets.script)


def test_the_snippet_urls_answer(desk, client):
    story = ArticleFactory()
    snippets = related_embed_snippets(article_id=story.pk, site_url="http://testserver/")

    widget = html.unescape(re.search(r'src="([^"]+)"', snippets.iframe).group(1))
    assert client.get(widget).status_code == 200


def test_a_new_story_has_no_snippet_yet(desk):
    page = desk.get(reverse("admin:articles_article_add")).content.decode()

    assert 'id="embed-iframe"' not in page
