"""The full-text index reads the headline and the first 80,000 characters of the body.

A tsvector holds at most 1 MB, and the index computes one for each row it stores: a body of
many distinct words could not be saved at all (see ``articles.filters.SEARCH_BODY_MAX_CHARS``).
The index stays keyed by publication date first (0011). The new one is built beside the old
without locking writes, then the old one goes. The expressions are written out here, as they
stood, so that this migration means the same thing whatever the code later says.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F
from django.db.models.functions import Left

WHOLE_BODY = GinIndex(
    F("published_at"), SearchVector("headline", "body_text", config="english"), name="article_search_period"
)
BODY_PREFIX = GinIndex(
    F("published_at"),
    SearchVector("headline", Left("body_text", 80_000), config="english"),
    name="article_search_dated",
)


def body_prefix(apps, schema_editor):
    _swap(apps, schema_editor, WHOLE_BODY, BODY_PREFIX)


def whole_body(apps, schema_editor):
    _swap(apps, schema_editor, BODY_PREFIX, WHOLE_BODY)


def _swap(apps, schema_editor, old, new):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "Article")
        schema_editor.execute(new.create_sql(model, schema_editor, concurrently=True))
        schema_editor.execute(old.remove_sql(model, schema_editor, concurrently=True))


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("articles", "0012_stranded_work")]

    operations = [migrations.RunPython(body_prefix, whole_body)]
