from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "entities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from entities import article_hooks
        from entities.models import Alias, Entity
        from entities.signals import aliases_changed_handler

        for model in (Entity, Alias):
            post_save.connect(
                aliases_changed_handler, sender=model, dispatch_uid=f"aliases-changed-save-{model}"
            )
            post_delete.connect(
                aliases_changed_handler, sender=model, dispatch_uid=f"aliases-changed-delete-{model}"
            )
        article_hooks.register()
