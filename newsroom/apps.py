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
        self._monitoring_connect()

    def _monitoring_connect(self):
        from celery import signals

        from newsroom import metrics, monitoring

        # Task counts and durations, the view flush's last success, the workers' metrics port.
        signals.task_prerun.connect(metrics.task_started, dispatch_uid="newsroom-metrics-task-started")
        signals.task_postrun.connect(metrics.task_ended, dispatch_uid="newsroom-metrics-task-ended")
        signals.task_success.connect(monitoring.view_flush_succeeded, dispatch_uid="newsroom-view-flushed")
        signals.worker_ready.connect(metrics.worker_serve_metrics, dispatch_uid="newsroom-metrics-port")
