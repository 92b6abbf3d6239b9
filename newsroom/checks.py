"""System checks of the deployment that Django cannot know about."""

from django.core import checks


def redis_persistence_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warns when Redis would lose the view counts waiting in it (``newsroom.redis.persistence_problem``)."""
    from newsroom.redis import persistence_problem

    problem = persistence_problem()
    if problem is None:
        return []
    return [
        checks.Warning(
            f"View counts are at risk: {problem}.",
            hint="Run Redis with appendonly yes (docs/operations.md, 'Abuse limits and view counts').",
            id="newsroom.W001",
        )
    ]
