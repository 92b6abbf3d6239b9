"""Request rates as DRF writes them: ``<n>/<second|minute|hour|day>``."""

from __future__ import annotations

import re

RATE_SHAPE = re.compile(r"([1-9][0-9]{0,8})/(s|sec|second|m|min|minute|h|hour|d|day)")


class RateInvalid(ValueError):
    pass


def rate_check(rate: str) -> None:
    if RATE_SHAPE.fullmatch(rate) is None:
        raise RateInvalid(
            f"{rate!r} is not a rate: write a number of requests, '/', and second, minute, hour or day."
        )


def rate_validator(rate: str) -> None:
    """``rate_check`` as a model field's validator: an editor reads the reason on the form."""
    from django.core.exceptions import ValidationError

    try:
        rate_check(rate)
    except RateInvalid as exc:
        raise ValidationError(str(exc)) from None
