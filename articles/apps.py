from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each task registers itself as a step of articles.pipeline, in every process that queues
        # one; the settings checks register themselves with Django's check framework.
        from django.db.models.signals import post_delete

        from articles import checks, counters, tasks  # noqa: F401
        from articles.models import Article

        post_delete.connect(
            counters.article_deleted, sender=Article, dispatch_uid="articles-most-read-deleted"
        )
