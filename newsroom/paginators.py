"""Paging for admin lists of millions of rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most ``count_cap`` rows, so a change list of millions never runs a full COUNT.

    A list that reaches the cap says "10000+" (``capped``, read by ``admin/pagination.html``);
    filters and search narrow it.
    """

    COUNT_CAP = 10_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = self.COUNT_CAP

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.count_cap].count()

    @property
    def capped(self) -> bool:
        return self.count >= self.count_cap
