"""Login lockout (django-axes) as the admin and the API answer it: 429 with a Retry-After."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off, get_lockout_message
from django.http import HttpResponse, JsonResponse
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions

API_PREFIX = "/api/"


class LoginLockedOut(exceptions.Throttled):
    default_detail = "Too many failed logins for this user from this address."
    default_code = "login_locked_out"


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout page (``AXES_LOCKOUT_CALLABLE``): JSON under the API, text elsewhere."""
    wait = _cool_off_seconds(request)
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": f"{LoginLockedOut.default_detail} {get_lockout_message()}"}, status=429
        )
    else:
        response = HttpResponse(get_lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    if wait:
        response["Retry-After"] = str(wait)
    return response


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's HTTP Basic authentication, whose failure says so when the login is locked out.

    django-axes refuses the login inside ``authenticate()`` and flags the request it was
    given, which is DRF's own request object here, not the one its middleware sees.
    """

    def authenticate_credentials(self, userid, password, request=None):
        # No user name or password holds a NUL (PostgreSQL cannot even store one): refused
        # without a query, instead of the database's error (a 500).
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed("Invalid username/password.")
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise LoginLockedOut(wait=_cool_off_seconds(request)) from None
            raise


def _cool_off_seconds(request) -> int | None:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else None


class BasicAuthenticationScheme(BasicScheme):
    """The OpenAPI schema's description of ``BasicAuthentication``: HTTP Basic, as DRF's."""

    target_class = "newsroom.logins.BasicAuthentication"
