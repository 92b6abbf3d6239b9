from django.apps import AppConfig


class SourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sources"
    verbose_name = "Followed sources"

    def ready(self):
        from articles import hooks
        from sources.admin import source_follow_url

        # URL ingest refuses a feed or sitemap and points the editor here instead.
        hooks.register(hooks.FEED_FOLLOW, source_follow_url)
