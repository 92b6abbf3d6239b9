"""Paging for admin lists of millions of rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows, so a change list of millions never runs a full COUNT.

    Past the cap the list says "10000" pages' worth and stops there; filters and search narrow it.
    """

    COUNT_CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.COUNT_CAP].count()
