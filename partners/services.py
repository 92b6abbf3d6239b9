"""Every write to API tokens: made (the key returned once), revoked, marked as used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.keys import SHOWN, key_digest, key_make
from partners.models import ApiToken
from partners.rates import rate_check

# last_used_at is written at most this often per token, so a busy partner costs no write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that may not be made, with the reason an editor reads."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once, never stored


def api_token_refusal(*, user, by) -> str | None:
    """Why ``by`` may not make a token acting as ``user``: nobody hands out more than they hold."""
    if not user.is_active:
        return f"{user} is not an active account."
    if by.is_superuser:
        return None
    if user.is_superuser or user.is_staff:
        return "Only a superuser may make a token for a staff or superuser account."
    beyond = user.get_all_permissions() - by.get_all_permissions()
    if beyond:
        return f"{user} holds permissions you do not: {', '.join(sorted(beyond))}."
    return None


@transaction.atomic
def api_token_create(*, name: str, user, by, rate: str = "") -> NewToken:
    refusal = api_token_refusal(user=user, by=by)
    if refusal:
        raise TokenRefused(refusal)
    if rate:
        rate_check(rate)
    key = key_make()
    token = ApiToken.objects.create(
        name=name, user=user, created_by=by, rate=rate, prefix=key[:SHOWN], digest=key_digest(key)
    )
    return NewToken(token=token, key=key)


def api_tokens_revoke(*, tokens, by) -> int:
    """Revoke ``tokens`` (a queryset) now; those already revoked keep their time. Returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Record that ``token`` was used, at most once per ``LAST_USED_RESOLUTION``."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
