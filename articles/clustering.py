"""Agency stories clustered: near-duplicate bodies found with MinHash, LSH bands kept in the database.

Each article's body becomes a set of 3-word shingles and a 128-value MinHash signature
(datasketch). The signature is cut into 32 bands of 4 values; two bodies whose
shingle sets have Jaccard similarity s share at least one band with probability
1 − (1 − s⁴)³², 87% at s = 0.5 and 99% at 0.6, while unrelated stories almost never
do. Bands are rows of ``StoryBand``, one hash of the band's number and values each,
indexed; checking a new article is one query for the 32 hashes (one index scan),
then an estimate of the similarity from the candidates' signatures. Workers hold
nothing between tasks.

An article whose best earlier match reaches ``DUPLICATE_THRESHOLD`` is recorded as a
possible duplicate of it, with the similarity, and joins its cluster; clusters are
the groups such links connect. Later articles that were checked before this one was
stored are linked to it too, so two takes processed at once still meet.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet

from articles.models import Article, StoryBand, StoryCluster, StoryFingerprint
from articles.selectors import article_can_see_drafts

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
# Little-endian uint32, as numpy reads a dtype from a string.
SIGNATURE_DTYPE = "<u4"
SHINGLE_WORDS = 3
# datasketch's MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM) picks these bands and
# rows (tests check it). The index is tuned below the duplicate threshold so that nearly
# every pair above it becomes a candidate; the signatures then decide.
LSH_THRESHOLD = 0.4
BANDS = 32
ROWS = 4
# Estimated Jaccard similarity of the shingle sets from which two bodies are one story: an
# updated take with a new lead and a trimmed end scores about 0.7, a rewrite that changes
# one word in eight about 0.5.
DUPLICATE_THRESHOLD = 0.5
# Bodies shorter than this many shingles (about a dozen words) are not compared.
MIN_SHINGLES = 10
_UPDATE_BATCH = 10_000
# A band hash shared by very many articles (a stock paragraph) cannot make a check slow.
MAX_CANDIDATES = 1000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    values: np.ndarray
    shingles: int

    def to_bytes(self) -> bytes:
        return self.values.astype(SIGNATURE_DTYPE).tobytes()


@dataclass(frozen=True)
class StoryMatch:
    article_id: int
    similarity: float


@dataclass(frozen=True)
class PossibleDuplicate:
    """What editors see: the earlier article this one nearly repeats, and its cluster."""

    article: Article
    similarity: float
    cluster_id: int | None
    cluster_size: int


# --- Signatures ------------------------------------------------------------------------


def body_shingles(text: str) -> set[bytes]:
    """The body's distinct runs of ``SHINGLE_WORDS`` words, case folded, punctuation ignored."""
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def _minhash_class():
    # Imported on first use, like numpy: datasketch imports its LSH, and with it scipy's
    # integration and optimisation packages, a second of start-up that every process running
    # Django would pay (the app's tasks import this module) though only signatures need it.
    from datasketch import MinHash

    return MinHash


@cache
def _permutations():
    # The same permutations for every signature; generating them costs more than hashing a body.
    return _minhash_class()(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def body_signature(text: str) -> Signature | None:
    """The MinHash signature of a body, or None when it is too short to compare."""
    shingles = body_shingles(text)
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = _minhash_class()(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    # In batches: datasketch hashes a batch into a shingles x NUM_PERM matrix, 1.6 GB for the
    # 500,000 shingles of a 4 MB body. The minimum over batches is the minimum over all.
    items = list(shingles)
    for start in range(0, len(items), _UPDATE_BATCH):
        minhash.update_batch(items[start : start + _UPDATE_BATCH])
    return Signature(values=minhash.hashvalues.astype(SIGNATURE_DTYPE), shingles=len(shingles))


def band_hashes(values: np.ndarray) -> list[int]:
    """One signed 64-bit hash (a PostgreSQL bigint) per band: of its number and its ``ROWS`` values.

    The band's number is hashed in, so one hash names one band and the lookup is a single
    ``hash IN (...)`` on one index.
    """
    values = values.astype(SIGNATURE_DTYPE)
    hashes = []
    for band in range(BANDS):
        data = band.to_bytes(2, "little") + values[band * ROWS : (band + 1) * ROWS].tobytes()
        hashes.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True))
    return hashes


def similarities(values: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with each row of ``others``.

    The share of equal values, as datasketch's ``MinHash.jaccard`` computes it, for many
    signatures at once.
    """
    return (others == values).mean(axis=1)


# --- Reads ------------------------------------------------------------------------------


def story_candidates(*, signature: Signature, exclude_id: int | None = None) -> QuerySet:
    """(article id, signature) of the stored articles sharing a band with ``signature``.

    One query on the band-hash index, most recent first and at most ``MAX_CANDIDATES``.
    """
    sharing = StoryBand.objects.filter(hash__in=band_hashes(signature.values)).values("fingerprint_id")
    candidates = StoryFingerprint.objects.filter(article_id__in=sharing)
    if exclude_id is not None:
        candidates = candidates.exclude(article_id=exclude_id)
    return candidates.order_by("-article_id").values_list("article_id", "signature")[:MAX_CANDIDATES]


def signature_matches(signature: Signature, rows) -> list[StoryMatch]:
    """The (article id, signature) rows similar enough to ``signature``, most similar first."""
    import numpy as np

    rows = list(rows)
    if not rows:
        return []
    blob = b"".join(bytes(data) for _, data in rows)
    scores = similarities(signature.values, np.frombuffer(blob, dtype=SIGNATURE_DTYPE).reshape(-1, NUM_PERM))
    matches = [
        StoryMatch(article_id=article_id, similarity=round(float(score), 4))
        for (article_id, _), score in zip(rows, scores, strict=True)
        if score >= DUPLICATE_THRESHOLD
    ]
    return sorted(matches, key=lambda match: (-match.similarity, match.article_id))


def story_matches(*, signature: Signature, exclude_id: int | None = None) -> list[StoryMatch]:
    """Stored articles whose bodies nearly repeat this one, most similar first: one indexed query."""
    return signature_matches(signature, story_candidates(signature=signature, exclude_id=exclude_id))


def article_possible_duplicate(*, article: Article, user=None) -> PossibleDuplicate | None:
    """The earlier article ``article`` nearly repeats, if ``user`` may see it (None: an editor)."""
    fingerprint = (
        StoryFingerprint.objects.filter(article_id=article.pk, duplicate_of__isnull=False)
        .select_related("duplicate_of")
        .first()
    )
    if fingerprint is None:
        return None
    original = fingerprint.duplicate_of
    if user is not None and original.status != Article.Status.PUBLISHED and not article_can_see_drafts(user):
        return None
    size = (
        StoryFingerprint.objects.filter(cluster_id=fingerprint.cluster_id).count()
        if fingerprint.cluster_id
        else 0
    )
    return PossibleDuplicate(
        article=original,
        similarity=fingerprint.similarity or 0.0,
        cluster_id=fingerprint.cluster_id,
        cluster_size=size,
    )


def story_cluster_members(*, article: Article, limit: int = 20) -> list[tuple[Article, float | None]]:
    """The other articles of ``article``'s cluster, oldest first, with each one's own similarity."""
    cluster_id = (
        StoryFingerprint.objects.filter(article_id=article.pk).values_list("cluster_id", flat=True).first()
    )
    if cluster_id is None:
        return []
    fingerprints = (
        StoryFingerprint.objects.filter(cluster_id=cluster_id)
        .exclude(article_id=article.pk)
        .select_related("article")
        .order_by("article_id")[:limit]
    )
    return [(fingerprint.article, fingerprint.similarity) for fingerprint in fingerprints]


# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def article_cluster(*, article: Article) -> StoryFingerprint | None:
    """Store the article's fingerprint and link it to the earlier article it nearly repeats.

    Running it again with the same stored articles writes the same rows.
    """
    signature = body_signature(article.body_text)
    if signature is None:
        _fingerprint_forget(article)
        return None
    matches = story_matches(signature=signature, exclude_id=article.pk)
    fingerprint = _fingerprint_store(article, signature)
    previous_cluster = fingerprint.cluster_id

    earlier = next((match for match in matches if match.article_id < article.pk), None)
    fingerprint.duplicate_of_id = earlier.article_id if earlier else None
    fingerprint.similarity = earlier.similarity if earlier else None
    # Takes stored after this one but checked before it existed found nothing; link them now.
    later = {match.article_id: match.similarity for match in matches if match.article_id > article.pk}
    orphans = list(
        StoryFingerprint.objects.select_for_update().filter(article_id__in=later, duplicate_of__isnull=True)
    )
    for orphan in orphans:
        StoryFingerprint.objects.filter(pk=orphan.pk).update(
            duplicate_of=article, similarity=later[orphan.article_id]
        )

    linked = set(
        StoryFingerprint.objects.filter(duplicate_of_id=article.pk).values_list("article_id", flat=True)
    )
    if earlier:
        linked.add(earlier.article_id)
    fingerprint.cluster_id = _clusters_join([article.pk, *sorted(linked)]) if linked else None
    fingerprint.save(update_fields=["duplicate_of", "similarity", "cluster", "updated_at"])
    if previous_cluster and previous_cluster != fingerprint.cluster_id:
        _cluster_prune(previous_cluster)
    return fingerprint


def _fingerprint_store(article: Article, signature: Signature) -> StoryFingerprint:
    data = signature.to_bytes()
    fingerprint = StoryFingerprint.objects.select_for_update().filter(article_id=article.pk).first()
    if fingerprint is not None and fingerprint.signature_bytes == data:
        return fingerprint
    if fingerprint is None:
        fingerprint = StoryFingerprint.objects.create(
            article=article, signature=data, shingles=signature.shingles
        )
    else:
        fingerprint.signature, fingerprint.shingles = data, signature.shingles
        fingerprint.save(update_fields=["signature", "shingles", "updated_at"])
        StoryBand.objects.filter(fingerprint=fingerprint).delete()
    StoryBand.objects.bulk_create(
        StoryBand(fingerprint=fingerprint, band=band, hash=value)
        for band, value in enumerate(band_hashes(signature.values))
    )
    return fingerprint


def _clusters_join(article_ids: list[int]) -> int:
    """Put these articles in one cluster, merging the clusters they were in; its id."""
    current = set(
        StoryFingerprint.objects.filter(article_id__in=article_ids, cluster__isnull=False).values_list(
            "cluster_id", flat=True
        )
    )
    target = min(current) if current else StoryCluster.objects.create().pk
    merged = current - {target}
    StoryFingerprint.objects.filter(Q(article_id__in=article_ids) | Q(cluster_id__in=merged)).update(
        cluster_id=target
    )
    if merged:
        StoryCluster.objects.filter(pk__in=merged).delete()
    return target


def _cluster_prune(cluster_id: int) -> None:
    # A cluster left with one article is no cluster.
    members = StoryFingerprint.objects.filter(cluster_id=cluster_id)
    if members.count() < 2:
        members.update(cluster=None)
        StoryCluster.objects.filter(pk=cluster_id).delete()


def _fingerprint_forget(article: Article) -> None:
    fingerprint = StoryFingerprint.objects.filter(article_id=article.pk).first()
    if fingerprint is None:
        return
    cluster_id = fingerprint.cluster_id
    fingerprint.delete()
    if cluster_id:
        _cluster_prune(cluster_id)
