"""Unique slugs: the one rule every model with a public slug follows."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils.text import slugify


def slug_candidates(text: str, *, max_length: int, fallback: str, variant: str = "") -> Iterator[str]:
    """``paris``, then ``paris-place`` when a ``variant`` is given, then ``paris-2``, ``paris-3``…"""
    base = slugify(text)[:max_length].strip("-") or fallback
    yield base
    if variant:
        yield f"{base}-{variant}"
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1


def unique_slug(
    text: str, *, taken: Callable[[str], bool], max_length: int, fallback: str, variant: str = ""
) -> str:
    """The first of ``slug_candidates`` that ``taken`` says is free."""
    return next(
        slug
        for slug in slug_candidates(text, max_length=max_length, fallback=fallback, variant=variant)
        if not taken(slug)
    )
