"""The API's filter backend: django-filter's, with an empty value refused where the schema allows none.

django-filter reads ``?published_before=`` or ``?status=`` as "no filter", so a client that sent
an empty date or status got the whole list back as if it had asked for it. The schema documents
those parameters as a date, a number or one of a set of values, none of which is empty; such a
value is now a 400 that names the parameter. Free-text filters (``q``, ``agency``, ``name``) still
take an empty value as no filter.
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = {
                name: ["This value may not be empty."]
                for name, query_filter in filterset.filters.items()
                if not isinstance(query_filter, django_filters.CharFilter)
                and name in request.query_params
                and request.query_params.get(name) == ""
            }
            if empty:
                raise ValidationError(empty)
        return filterset
