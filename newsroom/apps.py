from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself: the roles, and the commands that span both apps."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from newsroom.checks import redis_persistence_check
        from newsroom.roles import roles_sync

        checks.register(redis_persistence_check, "newsroom")
        # Sent once per app after migrate; the permissions of every app exist by the last one.
        post_migrate.connect(roles_sync, dispatch_uid="newsroom-roles-sync")
