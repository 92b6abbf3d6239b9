"""The FilterSet behind entity lists: type, status and name."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from entities.models import Alias, Entity, EntityType


class EntityFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=EntityType.choices)
    status = django_filters.ChoiceFilter(choices=Entity.Status.choices)
    name = django_filters.CharFilter(
        method="filter_name", help_text="Part of the canonical name or of any alias, any case."
    )

    class Meta:
        model = Entity
        fields = ["type", "status", "name"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # EXISTS rather than a join, so an entity with several matching aliases is listed once.
        alias_matches = Alias.objects.filter(entity=OuterRef("pk"), text__icontains=value)
        return queryset.filter(Exists(alias_matches) | Q(name__icontains=value))
