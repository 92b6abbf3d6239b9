"""Every error under ``/api/`` answered as JSON, whoever made it.

DRF's views answer their own errors as JSON, but some answers come from before or around them:
Django's 404 for a URL no route matches (an unknown path, or an id that is not a number), the
CSRF refusal, a request Django refuses before the view (a bad Host, a body too big to read) and
the 500 page. Under ``/api/`` a client expects the API's error shape, ``{"detail": "..."}``,
whatever the failure, and the schema documents only that; this middleware turns any other error
body there into it, keeping the status and headers (Allow, Retry-After, Vary).
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse

API_PREFIX = "/api/"
# DRF's own words for the commonest ones, so an answer reads the same wherever it was made.
_DETAILS = {404: "Not found.", 405: "Method not allowed.", 500: "A server error occurred."}
_DROPPED_HEADERS = {"content-type", "content-length", "content-disposition"}


def api_json_errors(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or getattr(response, "streaming", False)
            or response.get("Content-Type", "").startswith(("application/json", "application/problem+json"))
        ):
            return response
        detail = _DETAILS.get(response.status_code) or _phrase(response.status_code)
        replacement = JsonResponse({"detail": detail}, status=response.status_code)
        for header, value in response.items():
            if header.lower() not in _DROPPED_HEADERS:
                replacement[header] = value
        replacement.cookies = response.cookies
        return replacement

    return middleware


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Error."
