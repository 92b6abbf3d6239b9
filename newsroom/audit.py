"""What every editorial action does besides its change: check the actor's permission, write the change log.

An action takes the acting user as ``by``; ``None`` is the system itself (extraction, a
scheduled job, a management command run by an operator), which needs no permission and
writes no log entry. The log is Django's admin log, so each object's History page in the
admin lists what was done to it, by whom, whatever called the action (admin, API, command).
"""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst

__all__ = ["ADDITION", "CHANGE", "DELETION", "change_log", "fields_changed", "permission_require"]


def permission_require(by, *permissions: str) -> None:
    """Raise ``PermissionDenied`` unless ``by`` (a user, or None for the system) holds every permission."""
    if by is None:
        return
    missing = [permission for permission in permissions if not by.has_perm(permission)]
    if missing:
        raise PermissionDenied(f"{by} may not do this: it needs the permission {', '.join(missing)}.")


def fields_changed(obj, fields) -> list:
    """The change message of an edit of ``fields``, as the admin's own form log writes it."""
    return [{"changed": {"fields": [capfirst(obj._meta.get_field(name).verbose_name) for name in fields]}}]


def change_log(by, objects, message: str | list, *, action: int = CHANGE) -> None:
    """Record on each of ``objects`` that ``by`` did ``message`` (a sentence, or the admin's JSON form)."""
    objects = [obj for obj in objects if obj is not None and obj.pk is not None]
    if by is None or not objects:
        return
    LogEntry.objects.log_actions(
        by.pk, objects, action, change_message=message, single_object=len(objects) == 1
    )
