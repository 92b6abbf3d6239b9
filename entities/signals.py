"""Signal handlers: an alias table change tells every worker to rebuild its matcher."""

from entities.services.engine import aliases_version_bump


def aliases_changed_handler(sender, **kwargs):
    aliases_version_bump()
