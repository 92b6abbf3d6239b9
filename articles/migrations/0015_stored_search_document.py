"""Searches read a stored text vector, kept by PostgreSQL, instead of computing one from the text.

``search_document`` is a generated column: the headline (weight A, so a story whose headline
holds the words ranks above one whose body does) and the body's first 80,000 characters
(weight B), recomputed by PostgreSQL whenever either changes. The full-text index was on the
expression: every match an index could not settle alone (phrases, ranking, snippets' rows, a
lossy page of a bitmap) rebuilt the story's vector from its text, row by row. Now the vector is
read, and ranked, as it is stored. The index stays keyed by publication date first (0011), on the
column now; the new one is built beside the old without locking writes, then the old one goes.

Adding a stored generated column rewrites the table under an exclusive lock (some minutes at
a million stories; see docs/search.md). PostgreSQL only: SQLite has no text vectors, and its
search matches words itself (``articles.filters.text_search_q``). The expressions are written
out here, as they stood, so that this migration means the same thing whatever the code later says.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F
from django.db.models.functions import Left

EXPRESSION_INDEX = GinIndex(
    F("published_at"),
    SearchVector("headline", Left("body_text", 80_000), config="english"),
    name="article_search_dated",
)

ADD_COLUMN = """
ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, left(coalesce(body_text, ''), 80000)), 'B')
) STORED
"""
CREATE_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search_document "
    "ON articles_article USING gin (published_at, search_document)"
)


def stored_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "Article")
        schema_editor.execute(ADD_COLUMN)
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(EXPRESSION_INDEX.remove_sql(model, schema_editor, concurrently=True))


def expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "Article")
        schema_editor.execute(EXPRESSION_INDEX.create_sql(model, schema_editor, concurrently=True))
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_search_document")
        schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("articles", "0014_presentation_fields")]

    operations = [migrations.RunPython(stored_column, expression_index)]
