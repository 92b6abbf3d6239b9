"""Page numbers for the public lists: ``?page=N``, and one page without counting the whole list."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

PAGE_SIZE = 20
# No list is that long; past it the offset would not fit the database's integers (a 500, not a 404).
MAX_PAGE = (2**31 - 1) // PAGE_SIZE


def page_number(request) -> int:
    """``?page=`` as a number from 1 to ``MAX_PAGE``; anything else is no page (404)."""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("No such page.") from None
    if not 1 <= number <= MAX_PAGE:
        raise Http404("No such page.")
    return number


def page_of(fetch: Callable[..., list], number: int) -> tuple[list, bool]:
    """Page ``number`` of a list and whether another follows: ``fetch(limit=, offset=)`` is asked
    for one row more than a page, so nothing counts the whole list. An empty page past the first is 404."""
    rows = fetch(limit=PAGE_SIZE + 1, offset=(number - 1) * PAGE_SIZE)
    if not rows and number > 1:
        raise Http404("No such page.")
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def sliced(queryset) -> Callable[..., list]:
    """A ``fetch`` for ``page_of`` over a queryset."""
    return lambda limit, offset: list(queryset[offset : offset + limit])
