from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each task registers itself as a step of articles.pipeline, in every process that queues
        # one; the settings checks register themselves with Django's check framework.
        from articles import checks, tasks  # noqa: F401
