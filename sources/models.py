"""A feed or sitemap an editor follows, its polling state, and the items it has listed."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.validators import MinValueValidator
from django.db import models

from articles.models import Agency, Article, RawDocument


class Source(models.Model):
    """An RSS/Atom feed or a sitemap polled every ``poll_interval`` seconds while enabled."""

    class Kind(models.TextChoices):
        AUTO = "auto", "Detect on the first poll"
        FEED = "feed", "RSS or Atom feed"
        SITEMAP = "sitemap", "Sitemap (news sitemap or sitemap index)"

    name = models.CharField(max_length=200, blank=True, help_text="Shown in lists; the host when empty.")
    url = models.URLField("address", max_length=2000, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AUTO)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_sources",
        help_text="Credited to each story whose page names no agency.",
    )
    publish = models.BooleanField(
        "publish on extraction",
        default=False,
        help_text="Publish each story as it is extracted (a story extraction flags still waits for "
        "an editor); otherwise stories wait in the review queue.",
    )
    poll_interval = models.PositiveIntegerField(
        "poll every (seconds)", default=900, validators=[MinValueValidator(60)]
    )
    enabled = models.BooleanField(default=True)

    # What the server said last, sent back so an unchanged feed costs a 304 and nothing else.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField("last success", null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Polls failed in a row; each one doubles the wait."
    )
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    # Held by the poll running now, so a second one (beat and "Poll now" together) stays out.
    polling_until = models.DateTimeField(null=True, blank=True, editable=False)
    items_seen = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "url"]

    def __str__(self) -> str:
        return self.name or self.host

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


class SeenItem(models.Model):
    """One story address a source listed: fetched and ingested once, whatever spelling it comes in.

    ``link_key`` is ``articles.link_keys.link_key(url)``, one key for every spelling of an
    address. ``raw_document`` is what it became, or ``article`` the story already at that address
    that no stored page backs (a story written at the desk); both empty while it has not been
    ingested (``error`` says why, and it is tried again on later polls up to
    ``SOURCE_ITEM_MAX_ATTEMPTS`` times).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    url = models.CharField(max_length=2000)
    link_key = models.CharField(max_length=32, db_index=True)
    first_seen_at = models.DateTimeField(auto_now_add=True, db_index=True)
    published = models.DateField(null=True, blank=True, help_text="The date the feed gave the item.")
    raw_document = models.ForeignKey(
        RawDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "link_key"], name="seen_item_once_per_source")
        ]
        ordering = ["-first_seen_at", "-pk"]

    def __str__(self) -> str:
        return self.url
