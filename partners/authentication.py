"""The API's token authentication, and the cheap refusal of HTTP Basic credentials.

A key is looked up by its SHA-256 digest: one query on a unique index, and no comparison of
secrets in Python whose time could tell an attacker how close a guess came (the digest of a
guess says nothing about the key's). A key of the wrong shape, and any Basic credentials, are
refused before the database is asked and without hashing a password.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from partners.keys import key_digest, key_well_formed
from partners.models import ApiToken
from partners.services import api_token_used

SCHEMES = {"bearer", "token"}
REALM = 'Bearer realm="api"'


class BasicRefused(exceptions.AuthenticationFailed):
    default_detail = _(
        "HTTP Basic authentication is not accepted. Send an API token as 'Authorization: Bearer <key>' "
        "(ask the desk for one), or sign in to the site."
    )
    default_code = "basic_not_accepted"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` (or ``Token <key>``): the token's user, with the token as ``auth``."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            raise BasicRefused()
        if scheme not in SCHEMES:
            return None
        key = credentials.strip()
        if not key_well_formed(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is disabled."))
        api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes a refusal 401 with this challenge (DRF answers 403 when the first class has none).
        return REALM
