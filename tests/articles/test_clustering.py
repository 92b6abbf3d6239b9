"""Agency stories clustered: a rewritten take is found as a possible duplicate, with its similarity."""

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from django.urls import reverse
from rest_framework.test import APIClient

from articles import clustering, services
from articles.models import Article, RawDocument, StoryBand, StoryCluster, StoryFingerprint
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST_TAKE = """Central bank raises rates for the third time this year

This news has been read 1,204 times!

FRANKFURT, May 4 (Reuters) - The central bank raised its main interest rate by a quarter of a \
percentage point on Thursday, its third increase this year, as policymakers tried to cool \
inflation that has stayed well above target despite slowing growth across the region.

The bank's governing council voted to lift the deposit rate to 3.25 percent, in line with the \
expectations of most economists polled before the meeting, and signalled that further increases \
could follow if price pressures did not ease over the summer months.

"Inflation is still too high and is expected to remain so for too long," the bank's president \
told reporters after the decision, adding that wage growth and energy costs remained the main \
risks to the outlook.

Markets had priced in the move, and the euro was little changed against the dollar after the \
announcement. Bond yields rose slightly in early afternoon trading in London and Frankfurt.

Economists said the bank was likely to raise rates at least once more before pausing, although \
some warned that weak manufacturing data pointed to a mild recession later in the year.

Related Articles

Back to top button
"""

SECOND_TAKE = """UPDATE 2-Central bank lifts rates again, signals more to come

Share on Facebook | Share on Twitter

FRANKFURT, May 4 (Reuters) - The central bank raised interest rates for a third time this year on \
Thursday and signalled that further increases could follow, as policymakers tried to cool \
inflation that has stayed well above target despite slowing growth across the region.

The bank's governing council voted to lift the deposit rate to 3.25 percent, in line with the \
expectations of most economists polled before the meeting, and signalled that further increases \
could follow if price pressures did not ease over the summer months.

"Inflation is still too high and is expected to remain so for too long," the bank's president \
told reporters after the decision, adding that wage growth and energy costs remained the main \
risks to the outlook.

Markets had priced in the move, and the euro was little changed against the dollar after the \
announcement. Bond yields rose slightly in afternoon trading in London and Frankfurt.

Subscribe to our newsletter
"""

UNRELATED = """Floods force thousands from homes in river valley

KUALA LUMPUR, May 4 (Reuters) - Heavy monsoon rains flooded villages along the river valley on \
Thursday, forcing more than twelve thousand people into relief centres and cutting road links to \
several towns, the national disaster agency said.

Rescue teams used boats to reach families stranded on rooftops, and the army sent trucks with \
food, drinking water and blankets to the worst-hit districts overnight.

Forecasters expect more rain over the weekend, and officials warned residents living near \
riverbanks to be ready to leave at short notice if water levels keep rising.
"""


def ingest(text: str, capture, source: str) -> Article:
    with capture(execute=True):
        result = services.raw_document_ingest(content=text.encode(), source=source)
    raw = RawDocument.objects.get(pk=result.raw_document.pk)
    assert raw.status == RawDocument.Status.DONE, raw.error
    return raw.article


def exact_jaccard(one: str, other: str) -> float:
    a, b = clustering.body_shingles(one), clustering.body_shingles(other)
    return len(a & b) / len(a | b)


def fingerprint_rows():
    return (
        list(
            StoryFingerprint.objects.order_by("pk").values_list(
                "pk", "signature", "cluster", "duplicate_of", "similarity"
            )
        ),
        list(StoryBand.objects.order_by("fingerprint", "band").values_list("fingerprint", "band", "hash")),
        list(StoryCluster.objects.values_list("pk", flat=True)),
    )


def test_a_rewritten_take_of_the_same_story_is_a_possible_duplicate_with_its_similarity(
    django_capture_on_commit_callbacks,
):
    first = ingest(FIRST_TAKE, django_capture_on_commit_callbacks, "reuters-1.txt")
    second = ingest(SECOND_TAKE, django_capture_on_commit_callbacks, "wire-2.txt")

    fingerprint = StoryFingerprint.objects.get(article=second)
    assert fingerprint.duplicate_of == first
    assert fingerprint.similarity >= clustering.DUPLICATE_THRESHOLD
    assert fingerprint.similarity == pytest.approx(exact_jaccard(first.body_text, second.body_text), abs=0.15)
    original = StoryFingerprint.objects.get(article=first)
    assert original.duplicate_of is None
    assert original.cluster_id == fingerprint.cluster_id is not None
    assert StoryBand.objects.filter(fingerprint=fingerprint).count() == clustering.BANDS

    duplicate = clustering.article_possible_duplicate(article=second)
    assert (duplicate.article, duplicate.cluster_size) == (first, 2)


def test_unrelated_stories_are_not_clustered(django_capture_on_commit_callbacks):
    ingest(FIRST_TAKE, django_capture_on_commit_callbacks, "reuters-1.txt")
    floods = ingest(UNRELATED, django_capture_on_commit_callbacks, "floods.txt")

    assert StoryFingerprint.objects.count() == 2
    assert not StoryFingerprint.objects.filter(duplicate_of__isnull=False).exists()
    assert not StoryFingerprint.objects.filter(cluster__isnull=False).exists()
    assert not StoryCluster.objects.exists()
    assert clustering.article_possible_duplicate(article=floods) is None


def test_clustering_again_writes_the_same_rows(django_capture_on_commit_callbacks):
    first = ingest(FIRST_TAKE, django_capture_on_commit_callbacks, "reuters-1.txt")
    second = ingest(SECOND_TAKE, django_capture_on_commit_callbacks, "wire-2.txt")
    ingest(UNRELATED, django_capture_on_commit_callbacks, "floods.txt")
    rows = fingerprint_rows()

    for article in (second, first, second):
        clustering.article_cluster(article=Article.objects.get(pk=article.pk))
    services.article_extract(raw_document=RawDocument.objects.get(pk=second.raw_document_id))
    clustering.article_cluster(article=Article.objects.get(pk=second.pk))

    assert fingerprint_rows() == rows
    assert StoryCluster.objects.count() == 1


def test_a_later_take_checked_before_the_earlier_one_was_stored_is_linked_to_it():
    earlier = ArticleFactory(body_text=FIRST_TAKE)
    later = ArticleFactory(body_text=SECOND_TAKE)

    clustering.article_cluster(article=later)
    assert StoryFingerprint.objects.get(article=later).duplicate_of is None
    clustering.article_cluster(article=earlier)

    fingerprint = StoryFingerprint.objects.get(article=later)
    assert fingerprint.duplicate_of == earlier
    assert fingerprint.cluster_id == StoryFingerprint.objects.get(article=earlier).cluster_id is not None


def test_takes_found_through_different_members_end_in_one_cluster():
    one = ArticleFactory(body_text=FIRST_TAKE)
    unrelated = ArticleFactory(body_text=UNRELATED)
    two = ArticleFactory(body_text=SECOND_TAKE)
    three = ArticleFactory(body_text=SECOND_TAKE + "\n\nThe bank meets again in six weeks.")
    for article in (one, unrelated, two, three):
        clustering.article_cluster(article=article)

    clusters = set(
        StoryFingerprint.objects.filter(article__in=[one, two, three]).values_list("cluster", flat=True)
    )
    assert len(clusters) == 1 and None not in clusters
    assert StoryFingerprint.objects.get(article=three).duplicate_of == two
    assert StoryFingerprint.objects.get(article=unrelated).cluster_id is None


def test_a_body_that_stops_matching_leaves_its_cluster():
    one = ArticleFactory(body_text=FIRST_TAKE)
    two = ArticleFactory(body_text=SECOND_TAKE)
    for article in (one, two):
        clustering.article_cluster(article=article)
    assert StoryCluster.objects.count() == 1

    two.body_text = UNRELATED
    two.save()
    clustering.article_cluster(article=two)

    assert StoryFingerprint.objects.get(article=two).duplicate_of is None
    assert not StoryFingerprint.objects.filter(cluster__isnull=False).exists()
    assert not StoryCluster.objects.exists()


def test_a_body_too_short_to_compare_has_no_fingerprint():
    article = ArticleFactory(body_text="Markets closed early.")

    assert clustering.article_cluster(article=article) is None
    assert not StoryFingerprint.objects.exists()


def test_deleting_an_article_removes_its_fingerprint_and_bands():
    article = ArticleFactory(body_text=FIRST_TAKE)
    clustering.article_cluster(article=article)

    article.delete()

    assert not StoryFingerprint.objects.exists()
    assert not StoryBand.objects.exists()


def test_the_band_layout_is_the_one_datasketch_chooses_for_the_threshold():
    lsh = MinHashLSH(threshold=clustering.LSH_THRESHOLD, num_perm=clustering.NUM_PERM)

    assert (lsh.b, lsh.r) == (clustering.BANDS, clustering.ROWS)


def test_the_similarity_is_datasketchs_jaccard_estimate():
    one, two = clustering.body_signature(FIRST_TAKE), clustering.body_signature(SECOND_TAKE)
    first, second = MinHash(num_perm=128, scheme="affine32"), MinHash(num_perm=128, scheme="affine32")
    first.update_batch(list(clustering.body_shingles(FIRST_TAKE)))
    second.update_batch(list(clustering.body_shingles(SECOND_TAKE)))

    assert np.array_equal(one.values, first.hashvalues)
    assert clustering.similarities(one.values, two.values[np.newaxis, :])[0] == pytest.approx(
        first.jaccard(second)
    )


def test_the_api_detail_shows_the_possible_duplicate_and_hides_a_draft_one(
    django_capture_on_commit_callbacks,
):
    first = ingest(FIRST_TAKE, django_capture_on_commit_callbacks, "reuters-1.txt")
    second = ingest(SECOND_TAKE, django_capture_on_commit_callbacks, "wire-2.txt")
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(status=Article.Status.PUBLISHED)
    api = APIClient()

    data = api.get(f"/api/articles/{second.pk}/").json()["possible_duplicate"]

    similarity = StoryFingerprint.objects.get(article=second).similarity
    assert data["article_id"] == first.pk
    assert data["headline"] == first.headline
    assert data["similarity"] == similarity
    assert data["cluster_size"] == 2
    assert data["api_url"].endswith(f"/api/articles/{first.pk}/")
    assert api.get(f"/api/articles/{first.pk}/").json()["possible_duplicate"] is None

    Article.objects.filter(pk=first.pk).update(status=Article.Status.DRAFT)
    assert api.get(f"/api/articles/{second.pk}/").json()["possible_duplicate"] is None


def test_the_admin_article_page_shows_the_possible_duplicate(client, django_capture_on_commit_callbacks):
    first = ingest(FIRST_TAKE, django_capture_on_commit_callbacks, "reuters-1.txt")
    second = ingest(SECOND_TAKE, django_capture_on_commit_callbacks, "wire-2.txt")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(reverse("admin:articles_article_change", args=[second.pk])).content.decode()
    earlier = client.get(reverse("admin:articles_article_change", args=[first.pk])).content.decode()

    similarity = StoryFingerprint.objects.get(article=second).similarity
    assert "Possible duplicate of" in html
    assert reverse("admin:articles_article_change", args=[first.pk]) in html
    assert f"(similarity {similarity:.0%})" in html
    assert "Same story cluster" in earlier
    assert reverse("admin:articles_article_change", args=[second.pk]) in earlier
