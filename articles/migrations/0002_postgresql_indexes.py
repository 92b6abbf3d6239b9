"""Indexes only PostgreSQL can build: list order with NULLS LAST, and full-text search."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models import F

from articles.filters import SEARCH_CONFIG


def _indexes():
    return [
        models.Index(
            F("status"), F("published_at").desc(nulls_last=True), F("id").desc(), name="article_status_published"
        ),
        GinIndex(SearchVector("headline", "body_text", config=SEARCH_CONFIG), name="article_search"),
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in _indexes():
            schema_editor.add_index(apps.get_model("articles", "Article"), index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in _indexes():
            schema_editor.remove_index(apps.get_model("articles", "Article"), index)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
