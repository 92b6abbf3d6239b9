"""The sources admin: state at a glance, actions, and URL ingest pointing a feed at it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from articles import services as article_services
from articles.models import RawDocument
from sources.models import SeenItem, Source
from tests.factories import RawDocumentFactory, SourceFactory, UserFactory, user_with_permissions

from .feeds import rss, story


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_the_list_shows_each_sources_state_with_its_error_escaped(client, admin_user):
    failing = SourceFactory(
        name="Wire", failures=2, last_error='could not fetch <script>alert("x")</script>: HTTP 500'
    )
    SourceFactory(name="Quiet")
    client.force_login(admin_user)

    html = client.get(reverse("admin:sources_source_changelist")).content.decode()

    assert "Wire" in html and "Quiet" in html
    assert "&lt;script&gt;alert" in html
    assert "<script>alert" not in html
    failing_only = client.get(
        reverse("admin:sources_source_changelist"), {"state": "failing"}
    ).content.decode()
    assert "Wire" in failing_only and "Quiet" not in failing_only
    page = client.get(reverse("admin:sources_source_change", args=[failing.pk])).content.decode()
    assert "&lt;script&gt;alert" in page
    assert f"?source__id__exact={failing.pk}" in page


@pytest.mark.django_db
def test_the_items_list_links_each_item_to_the_page_it_became(client, admin_user):
    source = SourceFactory()
    raw = RawDocumentFactory(source="https://wire.example/story/a")
    SeenItem.objects.create(source=source, url="https://wire.example/story/a", link_key="k", raw_document=raw)
    client.force_login(admin_user)

    html = client.get(
        reverse("admin:sources_seenitem_changelist"), {"source__id__exact": source.pk}
    ).content.decode()

    assert reverse("admin:articles_rawdocument_change", args=[raw.pk]) in html


@pytest.mark.django_db
def test_enable_and_disable_actions(client, admin_user):
    source = SourceFactory(enabled=True)
    client.force_login(admin_user)
    changelist = reverse("admin:sources_source_changelist")

    client.post(changelist, {"action": "disable", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert source.enabled is False

    client.post(changelist, {"action": "enable", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert source.enabled is True
    assert source.next_poll_at is not None


@pytest.mark.django_db(transaction=True)
def test_poll_now_polls_the_source_at_once(client, admin_user, local_web, trusted_loopback, settings):
    settings.SOURCE_HOST_INTERVAL = 0.01
    local_web.publish("/story/a", story("a"))
    local_web.publish("/feed.xml", rss((local_web.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT")))
    source = SourceFactory(url=local_web.url("/feed.xml"))
    client.force_login(admin_user)

    client.post(
        reverse("admin:sources_source_changelist"), {"action": "poll_now", "_selected_action": [source.pk]}
    )

    source.refresh_from_db()
    assert source.last_success_at is not None
    assert RawDocument.objects.filter(source=local_web.url("/story/a")).exists()


@pytest.mark.django_db
def test_setting_a_source_to_publish_needs_the_publish_permission(client):
    user = user_with_permissions("sources.add_source", "sources.change_source", is_staff=True)
    client.force_login(user)

    client.post(
        reverse("admin:sources_source_add"),
        {
            "url": "https://wire.example/feed.xml",
            "kind": "auto",
            "publish": "on",
            "poll_interval": 900,
            "enabled": "on",
        },
    )

    assert Source.objects.get().publish is False


@pytest.mark.django_db
def test_the_add_form_takes_the_address_from_the_link_ingest_gives(client, admin_user):
    client.force_login(admin_user)

    html = client.get(
        reverse("admin:sources_source_add"), {"url": "https://wire.example/feed.xml"}
    ).content.decode()

    assert 'value="https://wire.example/feed.xml"' in html


@pytest.mark.django_db
def test_url_ingest_of_a_feed_stores_nothing_and_points_at_following_it(local_web, trusted_loopback):
    local_web.publish("/feed.xml", rss(), "application/rss+xml")
    url = local_web.url("/feed.xml")

    with pytest.raises(article_services.FeedNotPageError) as refused:
        article_services.source_fetch(url)

    assert "is an RSS feed, which lists stories but is none: follow it as a source instead" in str(
        refused.value
    )
    assert (
        refused.value.follow_url
        == f"{reverse('admin:sources_source_add')}?url={url.replace(':', '%3A').replace('/', '%2F')}"
    )
    assert not RawDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_ingest_form_offers_to_follow_a_feed(client, local_web, trusted_loopback):
    local_web.publish(
        "/sitemap.xml", b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    )
    client.force_login(user_with_permissions("articles.add_rawdocument", is_staff=True))

    html = client.post(
        reverse("admin:articles_rawdocument_ingest"), {"urls": local_web.url("/sitemap.xml")}
    ).content.decode()

    assert "is a sitemap, which lists stories but is none" in html
    assert f'href="{reverse("admin:sources_source_add")}?url=' in html
    assert "Follow it as a source" in html
    assert not RawDocument.objects.exists()


@pytest.mark.django_db
def test_manage_py_ingest_of_a_feed_says_to_follow_it(local_web, trusted_loopback):
    from django.core.management import CommandError, call_command

    local_web.publish("/atom", b'<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title></feed>')

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", local_web.url("/atom"), "--no-progress", stdout=out, stderr=err)

    said = out.getvalue() + err.getvalue()
    assert "is an Atom feed, which lists stories but is none: follow it as a source instead" in said
    assert "/admin/sources/source/add/?url=" in said
    assert not RawDocument.objects.exists()
