"""``manage.py sync_roles``: make the role groups hold exactly the permissions of newsroom/roles.py."""

from django.core.management.base import BaseCommand

from newsroom.roles import ROLES, roles_sync


class Command(BaseCommand):
    help = "Create the Reporter, Editor, Chief editor and API partner groups with their permissions."

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write(f"Roles in step: {', '.join(ROLES)}.")
