"""One agency's stories in the newest-first order of every list, as an index; PostgreSQL only.

The admin's list filtered by agency asks for ``agency_id = X ORDER BY published_at DESC NULLS
LAST, id DESC``; ``article_agency_published`` (``published_at DESC``, which PostgreSQL keeps
NULLS FIRST) does not give that order, so the planner walked the whole newest-first index
testing each row's agency. SQLite cannot build an index NULLS LAST.
"""

from django.db import migrations, models
from django.db.models import F


def _index():
    return models.Index(
        F("agency"), F("published_at").desc(nulls_last=True), F("id").desc(), name="article_agency_newest"
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), _index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_link_keys")]

    operations = [migrations.RunPython(create_index, drop_index)]
