"""The newest-first order of unfiltered lists (the admin's article list) as an index; PostgreSQL only.

``published_at DESC NULLS LAST, id DESC`` is the order every list of stories uses; without it a
page of the unfiltered list sorts the whole table. SQLite cannot build an index NULLS LAST.
"""

from django.db import migrations, models
from django.db.models import F


def _index():
    return models.Index(F("published_at").desc(nulls_last=True), F("id").desc(), name="article_newest")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), _index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_corrections_embargo_expiry")]

    operations = [migrations.RunPython(create_index, drop_index)]
