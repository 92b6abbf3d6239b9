"""Pagination for the API: keyset (cursor) pages in each list's own unique order, never a COUNT.

A page ends with a cursor holding the sort values of its last row; the next page is the rows
after those values, read from the list's index where it starts. Its cost does not grow with
depth and no request counts the table (a page-number list counted every row on every page and
read deep pages by OFFSET). The order is the queryset's own (``order_by``, or the model's
``Meta.ordering``) and must end with a unique field. A nullable field may lead the order, with
its NULLs placed explicitly (``F(...).desc(nulls_last=True)``); the rows with NULL are read as
a second stretch after (or before) the others, so each query keeps to the index.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OrderBy, Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "page_size"


@dataclass(frozen=True)
class Key:
    """One field of a list's order."""

    name: str
    descending: bool
    nulls_last: bool | None  # None: the field is never NULL

    def reversed(self) -> Key:
        nulls_last = None if self.nulls_last is None else not self.nulls_last
        return Key(self.name, not self.descending, nulls_last)

    def after(self, value) -> Q:
        """Rows strictly after ``value`` in this field's order (the field not NULL)."""
        return Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})

    def from_(self, value) -> Q:
        return Q(**{f"{self.name}__{'lte' if self.descending else 'gte'}": value})


def order_keys(queryset) -> list[Key]:
    """The keys of ``queryset``'s order; only the first may be a nullable field."""
    model = queryset.model
    terms = list(queryset.query.order_by) or list(model._meta.ordering)
    keys = []
    for term in terms:
        if isinstance(term, str):
            name, descending, nulls = term.lstrip("-"), term.startswith("-"), None
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, descending = term.expression.name, term.descending
            nulls = True if term.nulls_last else (False if term.nulls_first else None)
        else:
            raise ImproperlyConfigured(f"{model.__name__}: keyset pages need plain fields, not {term!r}.")
        name = model._meta.pk.name if name == "pk" else name
        field = model._meta.get_field(name)
        if field.null and (nulls is None or keys):
            raise ImproperlyConfigured(
                f"{model.__name__}.{name} may be NULL: only the first field of a keyset order may, "
                "with its NULLs placed (nulls_last or nulls_first)."
            )
        keys.append(Key(field.attname, descending, nulls if field.null else None))
    if not keys or not (model._meta.get_field(keys[-1].name).unique):
        raise ImproperlyConfigured(f"{model.__name__}: a keyset order must end with a unique field.")
    return keys


def _ordering(keys: list[Key]) -> list[OrderBy]:
    return [
        OrderBy(
            F(k.name),
            descending=k.descending,
            nulls_last=True if k.nulls_last is True else None,
            nulls_first=True if k.nulls_last is False else None,
        )
        for k in keys
    ]


def _after(keys: list[Key], values: list) -> Q:
    """Rows after ``values`` in the order of ``keys``, none of the values NULL.

    The first key's bound (``<=``) stands on its own so the database starts its index scan
    there; the disjunction only sorts out rows tied with the cursor.
    """
    ties = Q()
    alternatives = Q(pk__in=[])
    for key, value in zip(keys, values, strict=True):
        alternatives |= ties & key.after(value)
        ties &= Q(**{key.name: value})
    return keys[0].from_(values[0]) & alternatives


def keyset_page(queryset, keys: list[Key], position: list | None, size: int) -> list:
    """Up to ``size`` rows after ``position`` (a row's values of ``keys``; None: from the start)."""
    lead, rest = keys[0], keys[1:]
    ordered = queryset.order_by(*_ordering(keys))
    if lead.nulls_last is None:
        bound = Q() if position is None else _after(keys, position)
        return list(ordered.filter(bound)[:size])
    stretches = [Q(**{f"{lead.name}__isnull": False}), Q(**{f"{lead.name}__isnull": True})]
    if not lead.nulls_last:
        stretches.reverse()
    if position is not None:
        at_null = position[0] is None
        start = 1 if (at_null == lead.nulls_last) else 0
        stretches = stretches[start:]
        if at_null:
            within = _after(rest, position[1:]) if rest else Q(pk__in=[])
            stretches[0] &= within
        else:
            stretches[0] &= _after(keys, position)
    rows: list = []
    for stretch in stretches:
        rows += ordered.filter(stretch)[: size - len(rows)]
        if len(rows) >= size:
            break
    return rows


def cursor_encode(values: list, *, reverse: bool = False) -> str:
    """The cursor of a position: the sort values of a row, and the direction to read from it."""
    plain = [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
    token = base64.urlsafe_b64encode(json.dumps({"r": int(reverse), "v": plain}).encode()).rstrip(b"=")
    return token.decode("ascii")


class KeysetPagination(BasePagination):
    """``?cursor=`` pages of ``page_size`` rows (1 to ``max_page_size``), with ``next`` and ``previous`` links."""

    page_size = 20
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.model = queryset.model
        self.keys = order_keys(queryset)
        size = self.get_page_size(request)
        reverse, position = self.decode_cursor(request)
        keys = [key.reversed() for key in self.keys] if reverse else self.keys
        rows = keyset_page(queryset, keys, position, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        # Going forward, a page reached by a cursor has rows before it; going back, the page we
        # came from lies after. The other link exists when the extra row was found.
        has_next = (not reverse and more) or (reverse and position is not None)
        has_previous = (reverse and more) or (not reverse and position is not None)
        self.next_link = self.link(rows[-1], reverse=False) if rows and has_next else None
        self.previous_link = self.link(rows[0], reverse=True) if rows and has_previous else None
        return rows

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(PAGE_SIZE_PARAM)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({PAGE_SIZE_PARAM: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def decode_cursor(self, request) -> tuple[bool, list | None]:
        raw = request.query_params.get(CURSOR_PARAM)
        if raw is None:
            return False, None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            reverse, values = bool(data["r"]), data["v"]
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError("wrong length")
            position = [self._to_python(key, value) for key, value in zip(self.keys, values, strict=True)]
            if any(value is None for value in position[1:]):
                raise ValueError("NULL past the first key")
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error, DjangoValidationError):
            # A position the list does not have, as DRF's own cursor pages answer: any string is
            # a cursor by the schema (they are opaque), so a wrong one is not a malformed request.
            raise NotFound("Not a cursor of this list: follow the next and previous links.") from None
        return reverse, position

    def _to_python(self, key: Key, value):
        if value is None:
            if key.nulls_last is None:
                raise ValueError("NULL for a field that is never NULL")
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ValueError("not a cursor value")
        return self.model._meta.get_field(key.name).to_python(value)

    def link(self, row, *, reverse: bool) -> str:
        cursor = cursor_encode([getattr(row, key.name) for key in self.keys], reverse=reverse)
        return replace_query_param(self.request.build_absolute_uri(), CURSOR_PARAM, cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    **link,
                    "example": "http://api.example.org/api/articles/?cursor=eyJyIjowLCJ2IjpbXX0",
                },
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from the next or previous link of another page.",
                "schema": {"type": "string"},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
