"""People, organisations and places, the names they go by, and where articles mention them."""

from django.db import models


class Entity(models.Model):
    """One real-world thing, whatever alias the text uses for it."""

    class Type(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        PLACE = "place", "Place"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        SUGGESTED = "suggested", "Suggested"
        BLOCKED = "blocked", "Blocked"

    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type.choices)
    slug = models.SlugField(max_length=320, unique=True)
    description = models.CharField(max_length=500, blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["name", "type"], name="entity_unique_name_type")]

    def __str__(self):
        return self.name


class Alias(models.Model):
    """A surface form that names an entity."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=300)
    case_sensitive = models.BooleanField(default=False)
    ambiguous = models.BooleanField(default=False)

    class Meta:
        ordering = ["text"]
        verbose_name_plural = "aliases"
        constraints = [models.UniqueConstraint(fields=["entity", "text"], name="alias_unique_per_entity")]

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
        default=list, blank=True, help_text="[start, end] character offsets in the body."
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
