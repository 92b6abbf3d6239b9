"""``manage.py load_knowledge``: load the starter entities (places, organisations, agencies); safe to rerun."""

from django.core.management.base import BaseCommand

from entities import services


class Command(BaseCommand):
    help = (
        "Load countries, capitals and major cities with their other names, and a starter set of "
        "international organisations and agencies, into the entity tables. Entities and aliases "
        "already there, and editors' changes to them, are kept."
    )

    def handle(self, *args, **options):
        result = services.knowledge_load()
        self.stdout.write(
            f"Knowledge: {result.entities_created} new entit{'y' if result.entities_created == 1 else 'ies'}, "
            f"{result.aliases_created} new alias(es) from {result.records} record(s)."
        )
