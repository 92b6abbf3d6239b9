"""Agencies: found by name or alias, created the first time copy credits one."""

from __future__ import annotations

from articles.extraction import is_generic_agency
from articles.models import Agency
from newsroom.slugs import unique_slug


def agency_resolve(name: str) -> Agency:
    """The agency called ``name`` or known by it as an alias, created if new.

    A new agency is generic (a catch-all credit such as "Agencies") when extraction's agency
    data says so: one rule for extraction and the stored flag.
    """
    name = name.strip()
    agency = Agency.objects.filter(name__iexact=name).first()
    if agency is not None:
        return agency
    for candidate in Agency.objects.exclude(aliases=[]).only("id", "aliases"):
        if any(alias.lower() == name.lower() for alias in candidate.aliases):
            return Agency.objects.get(pk=candidate.pk)
    agency, _ = Agency.objects.get_or_create(
        name=name, defaults={"slug": agency_unique_slug(name), "is_generic": is_generic_agency(name)}
    )
    return agency


def agency_unique_slug(name: str) -> str:
    return unique_slug(
        name, taken=lambda slug: Agency.objects.filter(slug=slug).exists(), max_length=200, fallback="agency"
    )
