"""People, organisations and places, the names they go by, and where articles mention them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class EntityType(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    PLACE = "place", "Place"
    OTHER = "other", "Other"


class Entity(models.Model):
    """One real-world thing, whatever alias the text uses for it."""

    Type = EntityType

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        SUGGESTED = "suggested", "Suggested"
        BLOCKED = "blocked", "Blocked"

    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type.choices)
    slug = models.SlugField(max_length=320, unique=True)
    description = models.CharField(max_length=500, blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text='For example "Q7747".')
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.APPROVED,
        db_index=True,
        help_text="A blocked entity is never tagged and its name is never suggested again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["name", "type"], name="entity_unique_name_type")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entities:entity_detail", kwargs={"slug": self.slug})


class Alias(models.Model):
    """A surface form that names an entity."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=300)
    case_sensitive = models.BooleanField(
        default=False, help_text='Match only this exact capitalisation (for short acronyms such as "IS").'
    )
    ambiguous = models.BooleanField(
        default=False, help_text="Names more than one thing; matched only where the article supports it."
    )

    class Meta:
        ordering = ["text"]
        verbose_name_plural = "aliases"
        constraints = [models.UniqueConstraint(fields=["entity", "text"], name="alias_unique_per_entity")]
        indexes = [models.Index(fields=["text"], name="alias_text")]

    def __str__(self):
        return self.text


class Mention(models.Model):
    """An entity named in an article."""

    class Method(models.TextChoices):
        ALIAS = "alias", "Alias table"
        MODEL = "model", "Model"
        LINK = "link", "In-article link"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=1)
    spans = models.JSONField(
        default=list,
        blank=True,
        help_text="[start, end] character offsets into the headline and body joined by a blank line.",
    )
    confidence = models.FloatField(default=1.0)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ALIAS)

    class Meta:
        ordering = ["-count", "entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="mention_unique_article_entity")
        ]
        indexes = [models.Index(fields=["entity", "article"], name="mention_entity_article")]

    def __str__(self):
        return f"{self.entity} in {self.article}"


class EntityRedirect(models.Model):
    """A slug or id an entity used to have, kept so that old links still resolve.

    Written when an entity is merged into another or renamed; together the rows
    are the history of merges and renames.
    """

    class Reason(models.TextChoices):
        MERGED = "merged", "Merged"
        RENAMED = "renamed", "Renamed"

    old_slug = models.SlugField(max_length=320, unique=True)
    old_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    old_name = models.CharField(max_length=300)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="redirects")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.old_slug} → {self.entity.slug}"


class EntitySuggestion(models.Model):
    """A name the model found in one article that matches no entity, waiting for an editor.

    Suggestions belong to one article each: the same name in two stories may be
    two different people, so nothing merges them until an editor decides.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        APPROVED = "approved", "Approved as a new entity"
        ALIASED = "aliased", "Added as an alias"
        BLOCKED = "blocked", "Blocked"

    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=EntityType.choices)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="entity_suggestions"
    )
    count = models.PositiveIntegerField(default=1)
    examples = models.JSONField(default=list, blank=True, help_text="Sentences the name appears in.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The entity the editor approved, aliased or blocked it as.",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "name", "type"], name="suggestion_unique_per_article")
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="suggestion_status_created"),
            models.Index(fields=["name"], name="suggestion_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_type_display()}) in {self.article}"


class ArticleTagging(models.Model):
    """When an article was last tagged, and why tagging failed if it did."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="tagging"
    )
    tagged_at = models.DateTimeField(null=True, blank=True)
    mentions = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # What the last tagging left out, for an editor: a body over TAGGING_MAX_CHARS is tagged in part.
    notice = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Tagging of {self.article}"


class RetagJob(models.Model):
    """Tagging articles again after the alias table changed, with its progress.

    A planning task cuts the articles into chunks in id order; each chunk is its own task,
    so any number of workers share the job and none runs long.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    article_ids = models.JSONField(
        null=True, blank=True, help_text="The articles to tag; empty means every article."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(
        default=0, help_text="Articles whose tagging crashed (counted in done)."
    )
    # Stories that arrive while the job runs are tagged by their own pipeline.
    up_to_article_id = models.PositiveBigIntegerField(default=0, help_text="The last article id in scope.")
    planned_through_id = models.PositiveBigIntegerField(
        default=0, help_text="Every article id up to this one is in a chunk."
    )
    planned = models.BooleanField(default=False, help_text="Every article in scope is in a chunk.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="retag_done_le_total")
        ]

    def __str__(self):
        scope = "all articles" if self.article_ids is None else f"{len(self.article_ids)} article(s)"
        return f"Re-tag #{self.pk} of {scope}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class RetagChunk(models.Model):
    """A run of consecutive articles of a re-tag job, tagged by one task and counted once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"

    job = models.ForeignKey(RetagJob, on_delete=models.CASCADE, related_name="chunks")
    first_article_id = models.PositiveBigIntegerField()
    last_article_id = models.PositiveBigIntegerField()
    articles = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "first_article_id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "first_article_id"], name="retagchunk_unique_start")
        ]
        indexes = [models.Index(fields=["job", "status"], name="retagchunk_job_status")]

    def __str__(self):
        return f"Articles {self.first_article_id}–{self.last_article_id} of {self.job}"
