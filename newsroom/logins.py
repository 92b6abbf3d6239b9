"""Login lockout (django-axes) as the admin answers it: 429 with a Retry-After.

Only the admin's login form checks passwords: the API takes tokens and the session, and
refuses Basic credentials unread (``partners.authentication``).
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off, get_lockout_message
from django.http import HttpResponse, JsonResponse

API_PREFIX = "/api/"
LOCKED_OUT = "Too many failed logins for this user from this address."


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout page (``AXES_LOCKOUT_CALLABLE``): JSON under the API, text elsewhere."""
    wait = _cool_off_seconds(request)
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": f"{LOCKED_OUT} {get_lockout_message()}"}, status=429)
    else:
        response = HttpResponse(get_lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _cool_off_seconds(request) -> int | None:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else None
