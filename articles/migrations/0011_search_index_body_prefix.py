"""The full-text index reads the headline and the first 80,000 characters of the body.

A tsvector holds at most 1 MB, and the index computes one for each row it stores: a body of
many distinct words could not be saved at all (see ``articles.filters.SEARCH_BODY_MAX_CHARS``).
The expression is written out here, as it stood, so that this migration means the same thing
whatever the code later says.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Left

WHOLE_BODY = GinIndex(SearchVector("headline", "body_text", config="english"), name="article_search")
BODY_PREFIX = GinIndex(
    SearchVector("headline", Left("body_text", 80_000), config="english"), name="article_search_prefix"
)


def body_prefix(apps, schema_editor):
    _swap(apps, schema_editor, WHOLE_BODY, BODY_PREFIX)


def whole_body(apps, schema_editor):
    _swap(apps, schema_editor, BODY_PREFIX, WHOLE_BODY)


def _swap(apps, schema_editor, old, new):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("articles", "Article")
        schema_editor.remove_index(model, old)
        schema_editor.add_index(model, new)


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_agency_newest_index")]

    operations = [migrations.RunPython(body_prefix, whole_body)]
