"""Signal handlers: an alias table change tells every worker to rebuild its matcher."""

from entities import services


def aliases_changed_handler(sender, **kwargs):
    services.aliases_version_bump()
