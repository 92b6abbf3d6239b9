"""Full-text search and publication date in one index, so that a period's search reads only that period.

``article_search`` indexed the words alone: a search limited to the last day or week still read
each word's whole list of stories, across the archive, before dropping the older ones, so a
search for common words grew with the archive. With the date as the index's first column
(``btree_gin``), PostgreSQL intersects the period's stories with the words' lists inside the
index, stepping over the rest; the words alone still use it. Built without locking writes.
PostgreSQL only.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import BtreeGinExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F

from articles.filters import SEARCH_CONFIG


def _words_index():
    return GinIndex(SearchVector("headline", "body_text", config=SEARCH_CONFIG), name="article_search")


def _period_index():
    return GinIndex(
        F("published_at"), SearchVector("headline", "body_text", config=SEARCH_CONFIG), name="article_search_period"
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        article = apps.get_model("articles", "Article")
        schema_editor.execute(_period_index().create_sql(article, schema_editor, concurrently=True))
        schema_editor.execute(_words_index().remove_sql(article, schema_editor, concurrently=True))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        article = apps.get_model("articles", "Article")
        schema_editor.execute(_words_index().create_sql(article, schema_editor, concurrently=True))
        schema_editor.execute(_period_index().remove_sql(article, schema_editor, concurrently=True))


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("articles", "0010_agency_newest_index")]

    operations = [BtreeGinExtension(), migrations.RunPython(create_index, drop_index)]
