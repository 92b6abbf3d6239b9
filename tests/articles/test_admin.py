"""The editors' admin: change lists, the extraction report, the raw input view and actions."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles import extraction
from articles.models import Article, RawDocument
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ExtractionReportFactory,
    RawDocumentFactory,
    UserFactory,
    user_with_permissions,
)

pytestmark = [pytest.mark.django_db]

SEED_PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "page.txt"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "articles_article",
        "articles_rawdocument",
        "articles_agency",
        "entities_entity",
        "entities_alias",
        "entities_mention",
    ],
)
def test_change_lists_open_for_a_superuser(admin_client, model):
    article = ArticleFactory(raw_document=RawDocumentFactory())
    ExtractionReportFactory(article=article)

    response = admin_client.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200
    assert "Newsroom admin" in response.content.decode()


def test_article_change_list_shows_total_views_and_filters(admin_client):
    ArticleFactory(headline="Counted story", legacy_view_count=100, view_count=5)

    html = admin_client.get(
        reverse("admin:articles_article_changelist"), {"status": "published"}
    ).content.decode()

    assert "Counted story" in html
    assert '<td class="field-views">105</td>' in html


def test_article_page_shows_the_report_escaped_and_links_to_the_raw_input(admin_client):
    raw = RawDocumentFactory()
    article = ArticleFactory(raw_document=raw)
    ExtractionReportFactory(
        article=article,
        removed=["Back to top <script>alert(1)</script>"],
        flagged=[{"kind": "repeated_sentence", "text": "Said <b>twice</b>.", "detail": {"paragraph": 6}}],
        warnings=["No year in dateline"],
    )

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "<li>Back to top &lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    # In plain words, escaped.
    assert "<li><strong>A sentence appears twice</strong>: “Said &lt;b&gt;twice&lt;/b&gt;.”</li>" in html
    assert "<li>No year in dateline</li>" in html
    assert reverse("admin:articles_rawdocument_change", args=[raw.pk]) in html
    assert reverse("admin:articles_rawdocument_raw", args=[raw.pk]) in html


def test_raw_view_serves_the_stored_bytes_as_plain_text(admin_client):
    content = "<html><script>alert('x')</script><p>Caf\u00e9</p></html>".encode() + b"\xff"
    raw = RawDocumentFactory(content=content)

    response = admin_client.get(reverse("admin:articles_rawdocument_raw", args=[raw.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == "<html><script>alert('x')</script><p>Caf\u00e9</p></html>\ufffd".encode()


def test_raw_view_is_for_staff_with_view_permission_only(client):
    raw = RawDocumentFactory()
    url = reverse("admin:articles_rawdocument_raw", args=[raw.pk])

    assert client.get(url).status_code == 302  # to the login page

    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404

    client.force_login(user_with_permissions("articles.view_rawdocument", is_staff=True))
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:articles_rawdocument_raw", args=[raw.pk + 99])).status_code == 404


def test_only_the_reference_date_and_agency_hint_of_a_raw_document_are_editable(admin_client):
    raw = RawDocumentFactory(source="kept.txt")
    agency = AgencyFactory()
    url = reverse("admin:articles_rawdocument_change", args=[raw.pk])

    response = admin_client.post(
        url, {"reference_date": "2015-09-28", "agency_hint": agency.pk, "source": "changed.txt"}
    )

    assert response.status_code == 302
    raw.refresh_from_db()
    assert (raw.reference_date.isoformat(), raw.agency_hint_id, raw.source) == (
        "2015-09-28",
        agency.pk,
        "kept.txt",
    )


def test_raw_document_page_links_to_its_article_and_cannot_be_added(admin_client):
    raw = RawDocumentFactory()
    article = ArticleFactory(raw_document=raw, headline="Resulting story")

    html = admin_client.get(reverse("admin:articles_rawdocument_change", args=[raw.pk])).content.decode()

    assert (
        f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">Resulting story</a>' in html
    )
    assert admin_client.get(reverse("admin:articles_rawdocument_add")).status_code == 403


def test_reextract_action_sets_the_document_back_to_pending_and_queues_it(
    admin_client, django_capture_on_commit_callbacks
):
    raw = RawDocumentFactory(status=RawDocument.Status.FAILED, error="Boom")

    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(
            reverse("admin:articles_rawdocument_changelist"),
            {"action": "reextract_raw_documents", "_selected_action": [raw.pk]},
            follow=True,
        )

    raw.refresh_from_db()
    assert (raw.status, raw.error) == ("pending", "")
    assert len(queued) == 1
    assert "Queued 1 document(s) for extraction again." in response.content.decode()


def test_reextract_action_processes_the_document_in_process(admin_client, django_capture_on_commit_callbacks):
    raw = RawDocumentFactory(status=RawDocument.Status.FAILED, error="Boom", attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_rawdocument_changelist"),
            {"action": "reextract_raw_documents", "_selected_action": [raw.pk]},
        )

    raw.refresh_from_db()
    assert raw.attempts == 2
    assert raw.processed_at is not None
    assert raw.status in {RawDocument.Status.DONE, RawDocument.Status.NO_ARTICLE, RawDocument.Status.FAILED}
    assert raw.error != "Boom"


@pytest.mark.skipif(not hasattr(extraction, "extract"), reason="the extraction package is not finished yet")
def test_reextract_action_turns_the_seed_page_into_its_article(
    admin_client, django_capture_on_commit_callbacks
):
    raw = RawDocumentFactory(content=SEED_PAGE.read_bytes(), status=RawDocument.Status.FAILED, error="Boom")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_rawdocument_changelist"),
            {"action": "reextract_raw_documents", "_selected_action": [raw.pk]},
        )

    raw.refresh_from_db()
    assert (raw.status, raw.error) == (RawDocument.Status.DONE, "")
    assert raw.article.dateline_text == "PARIS, Sept 27, (Agencies):"
    assert raw.article.legacy_view_count == 7484


def test_article_reextract_action_queues_its_raw_document(admin_client, django_capture_on_commit_callbacks):
    raw = RawDocumentFactory(status=RawDocument.Status.DONE)
    article = ArticleFactory(raw_document=raw)
    ArticleFactory(raw_document=None)

    with django_capture_on_commit_callbacks() as queued:
        admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "reextract_articles", "_selected_action": [article.pk]},
        )

    assert RawDocument.objects.get(pk=raw.pk).status == RawDocument.Status.PENDING
    assert len(queued) == 1


def test_publish_and_unpublish_actions(admin_client, django_capture_on_commit_callbacks):
    keywords = ["hollande", "syria", "strikes", "paris"]
    neighbour = ArticleFactory(keywords=keywords)
    draft = ArticleFactory(status=Article.Status.DRAFT, keywords=keywords)
    url = reverse("admin:articles_article_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "publish_articles", "_selected_action": [draft.pk]})
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
    # Publishing refreshed the related lists on both sides.
    assert draft.related_links.filter(to_article=neighbour, kind="computed").exists()
    assert neighbour.related_links.filter(to_article=draft, kind="computed").exists()

    admin_client.post(url, {"action": "unpublish_articles", "_selected_action": [draft.pk]})
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_saving_an_article_in_the_admin_recomputes_its_keywords(admin_client):
    agency = AgencyFactory()
    data = {
        "headline": "Hollande orders strikes on Syria",
        "slug": "hollande-orders-strikes",
        "agency": agency.pk,
        "published_precision": "unknown",
        "body_text": "Hollande said the strikes on Syria would continue. Syria denied it.",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }

    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 200
    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, response.content.decode()
    article = Article.objects.get(slug="hollande-orders-strikes")
    assert article.keywords[:2] == ["syria", "hollande"]


@pytest.mark.django_db(transaction=True)
def test_pages_are_ingested_from_the_admin_with_each_items_outcome(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(
        user_with_permissions("articles.add_rawdocument", "articles.view_rawdocument", is_staff=True)
    )
    url = reverse("admin:articles_rawdocument_ingest")
    seed = SEED_PAGE.read_bytes()
    files = [
        SimpleUploadedFile("seed.txt", seed, content_type="text/plain"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]

    response = client.post(url, {"files": files, "text": "", "urls": "", "reference_date": "2015-09-28"})

    html = response.content.decode()
    assert response.status_code == 200
    results = html[html.index("ingest-results") :]
    assert "seed.txt" in results and "stored" in results
    assert "France in first air strike" in results  # extracted: the story, with its state
    empty = RawDocument.objects.get(source="empty.txt")
    assert empty.status == RawDocument.Status.FAILED and empty.error  # kept, with its reason, shown
    assert empty.error[:40] in results
    assert RawDocument.objects.filter(source="seed.txt").get().reference_date.isoformat() == "2015-09-28"

    again = client.post(url, {"text": seed.decode("utf-8")}).content.decode()
    assert "already stored" in again


def test_the_ingest_form_says_what_is_wrong_and_needs_the_permission(client):
    client.force_login(user_with_permissions("articles.view_rawdocument", is_staff=True))
    url = reverse("admin:articles_rawdocument_ingest")
    assert client.get(url).status_code == 403

    client.force_login(user_with_permissions("articles.add_rawdocument", is_staff=True))
    assert "Give a file, a URL or some text." in client.post(url, {}).content.decode()
    assert (
        "Not a web address: ftp://example.org/x"
        in client.post(url, {"urls": "ftp://example.org/x"}).content.decode()
    )
    publish = client.post(url, {"text": "Oil output rose.", "publish": "on"}).content.decode()
    assert "You may not publish stories" in publish and "articles.publish_article" in publish
    assert not RawDocument.objects.exists()


def test_the_page_as_its_site_showed_it_is_sandboxed_with_the_removed_lines_struck(admin_client):
    raw = RawDocumentFactory(
        content=b"PARIS (AFP) - Talks began.\nBack to top\nShare <this>\n", content_type="text/plain"
    )
    article = ArticleFactory(raw_document=raw)
    ExtractionReportFactory(article=article, removed=["Back to top", "Share <this>"])

    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    rendered = reverse("admin:articles_rawdocument_rendered", args=[raw.pk])
    assert f'href="{rendered}"' in page

    response = admin_client.get(rendered)
    body = response.content.decode()
    assert "PARIS (AFP) - Talks began." in body
    assert "<del>Back to top</del>" in body and "<del>Share &lt;this&gt;</del>" in body
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_an_html_page_is_framed_with_no_script_and_no_request_out(admin_client):
    raw = RawDocumentFactory(
        content=b'<html><body><p>Story</p><script>alert(1)</script><img src="http://127.0.0.1:6379/"></body></html>',
        content_type="text/html",
    )

    response = admin_client.get(reverse("admin:articles_rawdocument_rendered", args=[raw.pk]))

    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy.split(";")[0] and "default-src 'none'" in policy and "script-src" not in policy
    assert "img-src data:" in policy  # the page's own images and trackers are not fetched
    assert "<script" not in response.content.decode()


def test_the_story_page_frames_its_source_beside_the_form_not_inside_it(admin_client):
    article = ArticleFactory(raw_document=RawDocumentFactory())

    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    rendered = reverse("admin:articles_rawdocument_rendered", args=[article.raw_document_id])
    frame = page.index(f'<iframe src="{rendered}" sandbox')
    # Outside the story's form: a frame inside it would be part of what the form submits and lays out.
    assert page.rindex("</form>", 0, frame) > page.rindex("<form", 0, frame)


def test_an_html_source_marks_the_storys_paragraphs_and_what_extraction_removed(admin_client):
    raw = RawDocumentFactory(
        content=b"<html><body><nav>Home | World</nav><div><p>Oil prices rose on Monday.</p>"
        b"<p>Read 87 times</p><p onclick='x()'>Talks <b>resume</b> in Vienna.</p></div></body></html>",
        content_type="text/html",
    )
    article = ArticleFactory(
        raw_document=raw, body_text="Oil prices rose on Monday.\n\nTalks resume in Vienna."
    )
    ExtractionReportFactory(article=article, removed=["Read 87 times"])

    body = admin_client.get(reverse("admin:articles_rawdocument_rendered", args=[raw.pk])).content.decode()

    assert '<p class="nr-kept">Oil prices rose on Monday.</p>' in body
    assert '<p class="nr-kept">Talks <b>resume</b> in Vienna.</p>' in body  # the paragraph, not its parent
    assert '<p class="nr-removed">Read 87 times</p>' in body
    assert "<nav>Home | World</nav>" in body
    assert "onclick" not in body


def test_admin_search_finds_words_in_the_body_too(admin_client):
    ArticleFactory(headline="Talks resume", body_text="The Tunisia museum reopened after the attack.")
    ArticleFactory(headline="Oil prices", body_text="Brent rose.")

    html = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "museum"}).content.decode()

    assert "Talks resume" in html and "Oil prices" not in html


def test_the_date_drill_down_offers_the_calendar_between_the_oldest_and_newest_story_without_scanning(
    admin_client,
):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(published_at=dt.datetime(2023, 11, 5, 9, tzinfo=dt.UTC))
    ArticleFactory(published_at=dt.datetime(2025, 2, 14, 9, tzinfo=dt.UTC))
    url = reverse("admin:articles_article_changelist")

    with CaptureQueriesContext(connection) as queries:
        years = admin_client.get(url).content.decode()
    months = admin_client.get(url, {"published_at__year": 2023}).content.decode()
    days = admin_client.get(url, {"published_at__year": 2025, "published_at__month": 2}).content.decode()

    assert all(f"published_at__year={year}" in years for year in (2023, 2024, 2025))
    assert "published_at__year=2022" not in years and "published_at__year=2026" not in years
    assert "November 2023" in months and "October 2023" not in months  # nothing before the oldest
    assert "February 14" in days and "February 15" not in days  # nothing after the newest
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)


def test_a_searched_list_pages_newest_first_exactly_as_the_whole_archive_sorted_would(
    admin_client, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    from articles.admin import ArticleAdmin

    now = timezone.now()
    ages = [dt.timedelta(hours=2), dt.timedelta(days=3), dt.timedelta(days=3, hours=1), dt.timedelta(days=20)]
    ages += [dt.timedelta(days=200), dt.timedelta(days=900)]
    stories = [
        ArticleFactory(headline=f"Oil story {n}", published_at=now - age) for n, age in enumerate(ages)
    ]
    undated = ArticleFactory(headline="Oil story undated", published_at=None)
    ArticleFactory(headline="Gas story", published_at=now)
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    url = reverse("admin:articles_article_changelist")

    shown = []
    for page in (1, 2, 3, 4):
        response = admin_client.get(url, {"q": "oil", "p": page})
        shown.append([a.pk for a in response.context["cl"].result_list])

    assert shown == [
        [stories[0].pk, stories[1].pk],
        [stories[2].pk, stories[3].pk],
        [stories[4].pk, stories[5].pk],
        [undated.pk],
    ]


def test_a_newest_first_search_reads_no_further_back_than_the_page_asked_for():
    import datetime as dt

    from django.utils import timezone

    from articles.filters import article_text_search, newest_first_search_ids

    now = timezone.now()
    stories = [
        ArticleFactory(headline="Oil story", published_at=now - age)
        for age in (
            dt.timedelta(hours=1),
            dt.timedelta(days=10),
            dt.timedelta(days=12),
            dt.timedelta(days=400),
        )
    ]
    asked = []

    def search(since):
        asked.append(None if since is None else round((now - since) / dt.timedelta(days=1)))
        return article_text_search(Article.objects.order_by("-published_at"), "oil", since=since)

    first, complete = newest_first_search_ids(search, 2, 100, now=now)
    assert asked == [1, 3, 7, 14]  # too few in a day and up to a week; two weeks hold the first page
    assert first == [stories[0].pk, stories[1].pk, stories[2].pk] and not complete
    asked.clear()
    everything, complete = newest_first_search_ids(search, 4, 100, now=now)
    assert asked == [1, 3, 7, 14, 30, 90, 365, None]  # the oldest story lies beyond a year: the whole archive
    assert everything == [story.pk for story in stories] and complete
    asked.clear()
    capped, complete = newest_first_search_ids(search, 4, 2, now=now)
    # A page beyond the cap is not offered: the period holding the cap's worth answers.
    assert asked == [1, 3, 7, 14] and capped == [stories[0].pk, stories[1].pk]


def test_a_searched_list_counts_its_own_filtered_matches_up_to_a_cap_and_says_so(admin_client, monkeypatch):
    from articles.admin import NewestFirstSearchPaginator

    monkeypatch.setattr(NewestFirstSearchPaginator, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        ArticleFactory(headline="Oil story", status=Article.Status.PUBLISHED)
    ArticleFactory(headline="Oil story", status=Article.Status.NEEDS_REVIEW)
    url = reverse("admin:articles_article_changelist")

    everything = admin_client.get(url, {"q": "oil"}).content.decode()
    in_review = admin_client.get(url, {"q": "oil", "status__exact": "review"}).content.decode()

    assert "2+ articles" in everything
    assert "1 article\n" in in_review and "+ article" not in in_review


def test_a_searched_list_counts_only_as_far_back_as_the_page_asked_for_lies(admin_client, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from articles import filters
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(filters, "FEW_MATCHES", 0)  # on PostgreSQL: words counted as common, read by period
    now = timezone.now()
    ages = [dt.timedelta(hours=n) for n in (1, 2, 3)] + [dt.timedelta(days=20), dt.timedelta(days=21)]
    ages.append(dt.timedelta(days=900))
    for age in ages:
        ArticleFactory(headline="Oil story", published_at=now - age)
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    url = reverse("admin:articles_article_changelist")

    first = admin_client.get(url, {"q": "oil"})
    third = admin_client.get(url, {"q": "oil", "p": 3})

    # The first page lies in the last day, which holds three: at least three, maybe more.
    assert first.context["cl"].result_count == 3
    assert "3+ articles" in first.content.decode()
    # The third reaches the oldest story: the whole archive is counted, and the count is exact.
    assert third.context["cl"].result_count == 6
    assert "6 articles" in third.content.decode() and "+ articles" not in third.content.decode()
    assert len(third.context["cl"].result_list) == 2


@pytest.mark.services
def test_rare_words_search_the_whole_archive_at_once_and_common_ones_by_period(monkeypatch):
    from django.db import connection

    from articles import filters

    for n in range(30):
        ArticleFactory(headline=f"Oil prices story {n}", body_text="Oil prices rose again today.")
    ArticleFactory(headline="Zanzibar clove harvest", body_text="Cloves.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # the statistics the estimate reads
    monkeypatch.setattr(filters, "FEW_MATCHES", 10)

    assert filters.estimated_matches(Article.objects.all(), "oil prices") >= 20
    assert filters.search_windows(Article.objects.all(), "zanzibar clove") == ()
    assert filters.search_windows(Article.objects.all(), "oil prices") == filters.SEARCH_WINDOWS


@pytest.mark.services
def test_the_full_text_index_is_keyed_by_date_then_the_stored_vector_the_search_reads():
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from articles.filters import article_text_search

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'")
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
            "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE a.attrelid = 'articles_article'::regclass AND a.attname = 'search_document'"
        )
        (generated,) = cursor.fetchone()
    # The words alone and the old expression: replaced, the new one serves them too.
    assert "article_search" not in indexes and "article_search_dated" not in indexes
    assert "USING gin (published_at, search_document)" in indexes["article_search_document"]
    assert "left(COALESCE(body_text, ''::text), 80000)" in generated.replace('"left"', "left")
    # The search reads the column the index holds: else it goes unused.
    ArticleFactory(headline="Oil story")
    since = timezone.now() - dt.timedelta(days=1)
    plan = article_text_search(Article.objects.all(), "oil", since=since).explain()
    assert "search_document @@ " in plan
    assert "to_tsvector" not in plan


def test_the_byline_s_people_are_typed_one_per_line(admin_client):
    import lxml.html

    article = ArticleFactory(authors=["Ann Lee"])
    url = f"/admin/articles/article/{article.pk}/change/"
    form = next(
        f for f in lxml.html.fromstring(admin_client.get(url).content).forms if f.get("id") == "article_form"
    )
    assert form.fields["authors"].strip() == "Ann Lee"  # shown as a line, not as JSON
    values = dict(form.form_values())
    values["authors"] = "Ann Lee\r\n  Bo Ma \r\n\r\n"

    response = admin_client.post(url, values)

    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()
    assert article.authors == ["Ann Lee", "Bo Ma"]
    assert article.byline == "Ann Lee and Bo Ma"
    assert article.edited_fields == ["authors"]
