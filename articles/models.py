"""Agencies, raw inputs, articles, their extraction reports, related links, site furniture, story clusters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from simple_history.models import HistoricalRecords

from articles.link_keys import link_key

# A description longer than this is cut by search engines anyway.
SUMMARY_MAX_CHARS = 200


def shortened(text: str, limit: int) -> str:
    """``text`` cut at the last word that fits in ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


class Agency(models.Model):
    """A news agency or other credited source of copy."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other names the copy uses for this agency, e.g. "AFP", "Agence France-Presse".',
    )
    is_generic = models.BooleanField(
        default=False,
        help_text='A catch-all credit such as "Agencies" that names no single agency.',
    )
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:agency_detail", kwargs={"slug": self.slug})


class RawDocument(models.Model):
    """A page exactly as it arrived, stored before anything parses it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        NO_ARTICLE = "no_article", "No article"

    class SourceKind(models.TextChoices):
        FILE = "file", "File"
        URL = "url", "URL"
        FEED = "feed", "Feed"
        API = "api", "API"

    source = models.CharField(max_length=2000, help_text="URL or file name the page came from.")
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.FILE)
    content = models.BinaryField()
    content_type = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=50, blank=True, help_text="Detected when extracted.")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, unique=True)
    reference_date = models.DateField(
        null=True,
        blank=True,
        help_text="Crawl or publication date supplied at ingest; completes partial datelines.",
    )
    agency_hint = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Agency named at ingest, used when the page credits none.",
    )
    publish_on_extract = models.BooleanField(
        default=False, help_text="Publish the article as soon as it is extracted, without an editor."
    )
    site = models.CharField(
        max_length=255,
        blank=True,
        help_text="Host name of the site the page belongs to, without www.; its furniture is learned per site.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Extraction runs started, ever.")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Where the document is in its current extraction (articles/recovery.py finds the ones stranded).
    queued_at = models.DateTimeField(
        default=timezone.now,
        help_text="When it was last sent to extraction (by ingest, an editor or the sweeper).",
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest extraction run started."
    )
    task_id = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The Celery task of the latest extraction run."
    )
    interrupted = models.PositiveSmallIntegerField(
        default=0, help_text="Runs since it was last queued that started and never finished."
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The sweeper's two questions: pending since when, processing since when.
            models.Index(
                fields=["status", "queued_at"],
                condition=Q(status__in=["pending", "processing"]),
                name="rawdocument_unfinished",
            )
        ]

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"

    @property
    def content_bytes(self) -> bytes:
        # PostgreSQL returns memoryview for bytea columns.
        return bytes(self.content)


class PublishedPrecision(models.TextChoices):
    """How much of ``Article.published_at`` the source actually stated."""

    UNKNOWN = "unknown", "Unknown"
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"
    MINUTE = "minute", "Date and time"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    """A clean story extracted from a raw document, or written by an editor."""

    class Status(models.TextChoices):
        # The moves between these, and who may make them: articles/workflow.py, docs/workflow.md.
        DRAFT = "draft", "Draft"
        NEEDS_REVIEW = "review", "Needs review"
        READY = "ready", "Ready"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        KILLED = "killed", "Killed"
        ARCHIVED = "archived", "Archived"

    headline = models.CharField(max_length=500)
    slug = models.SlugField(max_length=220, unique=True)
    standfirst = models.CharField(
        max_length=600,
        blank=True,
        help_text="One or two sentences under the headline; the page's own summary when it states one.",
    )
    authors = models.JSONField(default=list, blank=True, help_text="The people the byline names, in order.")
    section = models.CharField(max_length=200, blank=True, help_text="The source's section, e.g. Business.")
    tags = models.JSONField(default=list, blank=True, help_text="The source's own topic tags.")
    lead_image_url = models.URLField(max_length=2000, blank=True, help_text="The story's main picture.")
    lead_image_alt = models.CharField(
        max_length=300, blank=True, help_text="What the picture shows, for readers who cannot see it."
    )
    dateline_text = models.CharField(max_length=200, blank=True)
    dateline_place = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=10, choices=PublishedPrecision.choices, default=PublishedPrecision.UNKNOWN
    )
    body_text = models.TextField(help_text="Paragraphs separated by a blank line.")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML of the body.")
    language = models.CharField(max_length=20, blank=True)
    keywords = models.JSONField(
        default=list, blank=True, help_text="Distinctive terms, used to relate articles."
    )
    source_url = models.URLField(max_length=2000, blank=True)
    # ``link_key(source_url)``, kept by ``save``: links found on other pages find the story by it.
    source_url_key = models.CharField(max_length=32, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a scheduled story goes live (the scheduler checks every 30 seconds).",
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not to be published before this time, except by someone allowed to break an embargo.",
    )
    expire_at = models.DateTimeField(
        null=True, blank=True, help_text="When a published story is taken down (to a draft) by the scheduler."
    )
    kill_notice = models.TextField(
        blank=True, help_text="What readers are told in place of a killed story (answered with 410 Gone)."
    )
    edited_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="What the desk changed of the extracted story; re-extraction keeps it.",
    )
    legacy_view_count = models.PositiveIntegerField(
        default=0, help_text="The count the source site showed when the page was scraped."
    )
    view_count = models.PositiveBigIntegerField(default=0, help_text="Views counted here.")
    raw_document = models.OneToOneField(
        RawDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Revisions: every save, move and extraction, with its author and reason (services set both).
    # Counts and the derived keywords are not history; the view flush updates without saving anyway.
    history = HistoricalRecords(
        excluded_fields=["view_count", "keywords", "updated_at", "edited_fields", "source_url_key"]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        # The list-order indexes ((status,) published_at DESC NULLS LAST, id DESC) and the
        # full-text index are PostgreSQL-only; see migrations 0002 and 0008.
        permissions = [
            ("review_article", "Can review articles: mark them ready or send them back"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("kill_article", "Can kill and archive published articles"),
            ("publish_embargoed_article", "Can publish an article before its embargo ends"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_at"),
            models.Index(fields=["status", "expire_at"], name="article_status_expire_at"),
            # The review queue: a state's stories, oldest first.
            models.Index(fields=["status", "created_at"], name="article_status_created"),
            models.Index(fields=["agency", "-published_at"], name="article_agency_published"),
            models.Index(fields=["-created_at"], name="article_created"),
            models.Index(
                fields=["source_url_key"], condition=~Q(source_url_key=""), name="article_source_url_key"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.source_url_key = link_key(self.source_url)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "source_url" in update_fields:
            kwargs["update_fields"] = {*update_fields, "source_url_key"}
        # The view flush adds to view_count with UPDATE ... + n; saving an article loaded
        # before a flush must not write the old count back over it.
        if not self._state.adding and update_fields is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "view_count"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @property
    def total_views(self) -> int:
        return self.legacy_view_count + self.view_count

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body_text.split("\n\n") if p.strip()]

    @property
    def summary(self) -> str:
        """The standfirst, or else the lead cut at a word near ``SUMMARY_MAX_CHARS``: a page's
        description for readers, search engines and cards."""
        if self.standfirst:
            return self.standfirst
        paragraphs = self.paragraphs
        return shortened(paragraphs[0], SUMMARY_MAX_CHARS) if paragraphs else ""

    @property
    def byline(self) -> str:
        """The authors as a byline reads: "Ann Lee", "Ann Lee and Bo Ma", "Ann Lee, Bo Ma and Cy Li"."""
        names = [name for name in self.authors if isinstance(name, str) and name.strip()]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def paragraphs_html(self) -> str:
        """The body text as HTML paragraphs, every one escaped."""
        return format_html_join("\n", "<p>{}</p>", ((p,) for p in self.paragraphs))


class ArticleNote(models.Model):
    """A correction or update note readers see on a published story, with its time."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.article}"


class ExtractionReport(models.Model):
    """What extraction removed from a page, flagged for an editor, or warned about."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="report")
    removed = models.JSONField(default=list, blank=True, help_text="Lines taken out, in order.")
    flagged = models.JSONField(default=list, blank=True, help_text="What an editor should look at.")
    warnings = models.JSONField(default=list, blank=True)
    extractor = models.CharField(max_length=100, blank=True, help_text="Method and version that produced it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Extraction report for {self.article}"


class RelatedLink(models.Model):
    """One entry in an article's related list."""

    class Kind(models.TextChoices):
        FOUND_ON_PAGE = "found", "Found on page"
        # The stored and API value stays "editor", which the API has always served for a pin.
        PINNED = "editor", "Pinned by an editor"
        COMPUTED = "computed", "Computed"
        BLOCKED = "blocked", "Blocked by an editor"

    from_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    to_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="linked_from"
    )
    url = models.URLField(max_length=2000, blank=True, help_text="Target of a link found on the page.")
    # ``link_key(url)`` of a link found on the page that leads to no stored story yet: the story
    # stored from that address later takes the link over.
    url_key = models.CharField(max_length=32, blank=True, editable=False)
    title = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    score = models.FloatField(default=0.0)
    position = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article", "kind"],
                condition=Q(to_article__isnull=False),
                name="relatedlink_unique_target_per_kind",
            ),
            models.UniqueConstraint(
                fields=["from_article", "url"],
                condition=Q(kind="found"),
                name="relatedlink_unique_found_url",
            ),
            models.CheckConstraint(
                condition=Q(to_article__isnull=False) | ~Q(url=""),
                name="relatedlink_has_target",
            ),
        ]
        indexes = [
            # Links waiting for the story their address names.
            models.Index(
                fields=["url_key"],
                condition=Q(kind="found", to_article__isnull=True) & ~Q(url_key=""),
                name="relatedlink_waiting_url_key",
            )
        ]

    def __str__(self):
        target = self.to_article or self.title or self.url
        return f"{self.from_article} → {target}"


class ArticleViewDay(models.Model):
    """Views of one article on one day (UTC): the figures "most read" and the admin show.

    Rows are only ever added to or incremented by the flush, keyed by (day, article), so
    on PostgreSQL the table can be range-partitioned by day without changing the code.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-views"]
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="articleviewday_unique_day")]
        indexes = [models.Index(fields=["day", "article"], name="articleviewday_day_article")]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.views}"


class ViewFlushBatch(models.Model):
    """A batch of counted views moved from Redis into article totals.

    Its id is written in the same transaction as the totals, so a flush that
    is interrupted and retried can tell whether the batch already landed.
    """

    batch_id = models.CharField(max_length=64, unique=True)
    articles = models.PositiveIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-flushed_at"]

    def __str__(self):
        return f"{self.batch_id}: {self.views} views"


class SiteFurniture(models.Model):
    """A line one site repeats around its articles: learned from its stored pages or added by an editor."""

    class Kind(models.TextChoices):
        LEARNED = "learned", "Learned"
        EDITOR = "editor", "Editor"

    site = models.CharField(max_length=255, help_text="Host name without www., e.g. arabtimesonline.com.")
    pattern = models.CharField(
        max_length=300,
        help_text="The line as it is matched: case, punctuation and spacing folded, every number 0.",
    )
    example = models.CharField(max_length=500, blank=True, help_text="The line as a page showed it.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDITOR)
    hits = models.PositiveIntegerField(
        default=0, help_text="Stories among the site's recent pages that showed it, at the last learning run."
    )
    enabled = models.BooleanField(default=True, help_text="Removed from the site's pages at extraction.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site", "-hits", "pattern"]
        verbose_name_plural = "site furniture"
        constraints = [
            models.UniqueConstraint(fields=["site", "pattern"], name="sitefurniture_unique_site_pattern"),
        ]

    def __str__(self):
        return f"{self.site}: {self.pattern}"


class SitePageLines(models.Model):
    """The short lines of one extracted page, kept to learn its site's furniture."""

    raw_document = models.OneToOneField(
        RawDocument, primary_key=True, on_delete=models.CASCADE, related_name="site_page_lines"
    )
    site = models.CharField(max_length=255)
    lines = models.JSONField(default=list, blank=True)
    learned = models.BooleanField(default=False, help_text="Seen by a learning run since it was recorded.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["site", "-raw_document"], name="sitepagelines_recent"),
            models.Index(fields=["site"], condition=Q(learned=False), name="sitepagelines_pending"),
        ]
        verbose_name_plural = "site page lines"

    def __str__(self):
        return f"Lines of raw document {self.raw_document_id} ({self.site})"


class StoryCluster(models.Model):
    """Articles carrying the same story: each joined it as a near-duplicate of a member."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Story cluster {self.pk}"


class StoryFingerprint(models.Model):
    """The MinHash signature of an article's body, and the earlier article it nearly repeats."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="fingerprint"
    )
    signature = models.BinaryField(help_text="MinHash values of the body's word shingles, uint32 each.")
    shingles = models.PositiveIntegerField(default=0, help_text="Distinct word shingles in the body.")
    cluster = models.ForeignKey(
        StoryCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="fingerprints"
    )
    duplicate_of = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    similarity = models.FloatField(
        null=True, blank=True, help_text="Estimated Jaccard similarity of the two bodies' shingles."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Fingerprint of {self.article_id}"

    @property
    def signature_bytes(self) -> bytes:
        # PostgreSQL returns memoryview for bytea columns.
        return bytes(self.signature)


class StoryBand(models.Model):
    """One LSH band of a fingerprint: articles that share a band's hash are duplicate candidates."""

    pk = models.CompositePrimaryKey("fingerprint", "band")
    # The primary key (fingerprint, band) already serves lookups by fingerprint.
    fingerprint = models.ForeignKey(
        StoryFingerprint, on_delete=models.CASCADE, related_name="bands", db_index=False
    )
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField(help_text="Hash of the band's number and its signature values.")

    class Meta:
        indexes = [models.Index(fields=["hash"], name="storyband_hash")]

    def __str__(self):
        return f"Band {self.band} of {self.fingerprint_id}"


class PendingStep(models.Model):
    """A pipeline step owed to an object: written with the change that calls for it, deleted when it ran.

    The Celery message only wakes a worker; this row is the promise. A message lost with a broker,
    a worker or a restart leaves its row behind, and the sweeper (``articles.recovery``) sends the
    step again. ``version`` changes with each new request, so a run deletes only what it served.
    """

    step = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    version = models.BigIntegerField()
    requested_at = models.DateTimeField()
    sent_at = models.DateTimeField(help_text="When its task was last sent.")
    sends = models.PositiveIntegerField(default=1, help_text="How many times its task was sent.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "object_id"], name="pendingstep_unique")]
        indexes = [models.Index(fields=["sent_at"], name="pendingstep_sent_at")]

    def __str__(self):
        return f"{self.step} {self.object_id}"
