"""Input no database column can hold, refused with a 400 before any view reads it.

PostgreSQL refuses a NUL character in text ("A string literal cannot contain NUL (0x00)
characters"), so a NUL that reaches a query (a slug in the path, a filter value, a user name)
is a 500. This middleware looks where every request carries text: the path, the query
string and the Authorization header (a Basic header's decoded credentials too). Request
bodies are checked by the API's parsers (``articles.api.parsers``) and form fields by
Django's and DRF's ``ProhibitNullCharactersValidator``.
"""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse, JsonResponse

API_PREFIX = "/api/"
NUL = "\x00"


def unstorable_reason(request) -> str | None:
    """Where ``request`` carries a NUL character, or None when it carries none."""
    if NUL in request.path_info:
        return "The path holds a NUL character."
    if "%00" in request.META.get("QUERY_STRING", "") or NUL in request.META.get("QUERY_STRING", ""):
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in value for value in values):
                return "A query parameter holds a NUL character."
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if NUL in header:
        return "The Authorization header holds a NUL character."
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        if b"\x00" in decoded:
            return "The credentials hold a NUL character."
    return None


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = unstorable_reason(request)
        if reason is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": reason}, status=400)
        return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")
