"""Address keys: a link found on a page finds the story stored from that address, in any spelling."""

from django.db import migrations, models

from articles.link_keys import link_key

CHUNK = 2000


def keys_fill(apps, schema_editor):
    """Key the stored addresses: each story's own, and the found links that lead to no story yet."""
    Article = apps.get_model("articles", "Article")
    RelatedLink = apps.get_model("articles", "RelatedLink")
    for model, field, key, rows in (
        (Article, "source_url", "source_url_key", Article.objects.exclude(source_url="")),
        (RelatedLink, "url", "url_key", RelatedLink.objects.filter(kind="found", to_article__isnull=True)),
    ):
        last = 0
        while True:
            chunk = list(rows.filter(pk__gt=last).order_by("pk").only("pk", field)[:CHUNK])
            if not chunk:
                break
            for row in chunk:
                setattr(row, key, link_key(getattr(row, field)))
            model.objects.bulk_update(chunk, [key])
            last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_newest_first_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_source_url",
        ),
        migrations.AddField(
            model_name="article",
            name="source_url_key",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="relatedlink",
            name="url_key",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("source_url_key", ""), _negated=True),
                fields=["source_url_key"],
                name="article_source_url_key",
            ),
        ),
        migrations.AddIndex(
            model_name="relatedlink",
            index=models.Index(
                condition=models.Q(
                    ("kind", "found"), ("to_article__isnull", True), models.Q(("url_key", ""), _negated=True)
                ),
                fields=["url_key"],
                name="relatedlink_waiting_url_key",
            ),
        ),
    ]
