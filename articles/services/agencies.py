"""Agencies: found by name or alias, created the first time copy credits one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from articles.extraction import is_generic_agency
from articles.models import Agency
from newsroom import audit
from newsroom.slugs import unique_slug

ADD_AGENCY = "articles.add_agency"


def agency_find(name: str) -> Agency | None:
    """The agency called ``name`` or known by it as an alias (any case), or None."""
    name = name.strip()
    agency = Agency.objects.filter(name__iexact=name).first()
    if agency is not None:
        return agency
    for candidate in Agency.objects.exclude(aliases=[]).only("id", "aliases"):
        if any(alias.lower() == name.lower() for alias in candidate.aliases):
            return Agency.objects.get(pk=candidate.pk)
    return None


def agency_resolve(name: str, *, by=None) -> Agency:
    """The agency called ``name`` or known by it as an alias, created if new.

    Creating one is adding an agency: a sender (``by``; None is the system, whose copy credits
    the agency) needs ``articles.add_agency`` for it, and the addition is logged. A new agency is
    generic (a catch-all credit such as "Agencies") when extraction's agency data says so: one
    rule for extraction and the stored flag.
    """
    name = name.strip()
    agency = agency_find(name)
    if agency is not None:
        return agency
    if by is not None and not by.has_perm(ADD_AGENCY):
        # Refused rather than dropped: the credit is the sender's to correct, and nothing is stored.
        raise PermissionDenied(
            f"There is no agency called “{name}”, and {by} may not add one: that needs the permission "
            f"{ADD_AGENCY}. Send the name or an alias of a known agency (GET /api/agencies/), or no agency."
        )
    agency, created = Agency.objects.get_or_create(
        name=name, defaults={"slug": agency_unique_slug(name), "is_generic": is_generic_agency(name)}
    )
    if created:
        audit.change_log(by, [agency], [{"added": {}}], action=audit.ADDITION)
    return agency


def agency_unique_slug(name: str) -> str:
    return unique_slug(
        name, taken=lambda slug: Agency.objects.filter(slug=slug).exists(), max_length=200, fallback="agency"
    )
