"""The article list's date drill-down, at the cost of two index probes whatever the list holds.

Django's own drill-down asks the database for every distinct year (then month, then day) among
the listed stories: a scan of the whole list, a full table scan on the unfiltered list, and
again after every search. This one offers the calendar between the newest and the oldest
dated story instead (``MIN``/``MAX`` of ``published_at``, each one step down an index): a
period may hold none of the stories a filter or search left, and then says so when opened.
"""

import calendar
import datetime as dt

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst

register = template.Library()


def _range(model, field_name: str) -> tuple[dt.date, dt.date] | None:
    found = model._default_manager.aggregate(first=Min(field_name), last=Max(field_name))
    if found["first"] is None:
        return None
    first, last = (
        timezone.localtime(v) if timezone.is_aware(v) else v for v in (found["first"], found["last"])
    )
    return first.date(), last.date()


def article_date_hierarchy(cl):
    field_name = cl.date_hierarchy
    year_field, month_field, day_field = (f"{field_name}__{part}" for part in ("year", "month", "day"))
    try:
        year, month, day = (
            int(cl.params[f]) if cl.params.get(f) else None for f in (year_field, month_field, day_field)
        )
    except (TypeError, ValueError):
        year = month = day = None
    if year is not None and not dt.MINYEAR <= year <= dt.MAXYEAR:
        return {"show": False}

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    span = _range(cl.model, field_name)
    if span is None:
        return {"show": False}
    first, last = span
    if year is None and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month

    if year and month and day:
        try:
            chosen = dt.date(year, month, day)
        except ValueError:
            return {"show": False}
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if year and month:
        if not 1 <= month <= 12:
            return {"show": False}
        days = [
            dt.date(year, month, number)
            for number in range(1, calendar.monthrange(year, month)[1] + 1)
            if first <= dt.date(year, month, number) <= last
        ]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        months = [
            dt.date(year, number, 1)
            for number in range(1, 13)
            if (first.year, first.month) <= (year, number) <= (last.year, last.month)
        ]
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(number)}), "title": str(number)}
            for number in range(first.year, last.year + 1)
        ],
    }


@register.tag(name="article_date_hierarchy")
def article_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=article_date_hierarchy, template_name="date_hierarchy.html", takes_context=False
    )
