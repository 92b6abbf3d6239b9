"""Request bodies for the API: JSON read within a size limit and a nesting limit, and errors as JSON.

Django reads a JSON body whole (``request.body``) and refuses one over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` with its HTML 400 page; Python's ``json`` parser recurses once per
level and a body nested 100,000 deep ends in a ``RecursionError`` (a 500). Here the body is read
from the stream up to the view's limit (a JSON 413 past it: the ingest endpoint's is set by
``INGEST_MAX_BYTES``, every other endpoint's by ``DATA_UPLOAD_MAX_MEMORY_SIZE``), and nesting
past 1,024 levels is a JSON 400 saying so. A string holding a NUL character (``"\\u0000"``), which
no PostgreSQL text column stores, is a JSON 400 too, before any view reads it.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from rest_framework import exceptions, renderers, status
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler

# orjson's own limit (it is not configurable): past it, loads() fails with "depth limit exceeded".
JSON_MAX_DEPTH = 1024


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def body_limit(view) -> int:
    """The most bytes ``view`` reads of a request body: its ``body_max_bytes()`` or Django's limit."""
    limit = getattr(view, "body_max_bytes", None)
    return limit() if callable(limit) else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(f"The request body is over the {limit:,}-byte limit of this endpoint.")


class BoundedJSONParser(BaseParser):
    """The API's JSON parser: at most the view's body limit is read, nesting is capped (orjson).

    Not a subclass of DRF's ``JSONParser`` on purpose: DRF hands that one ``request.body``,
    which Django caps at ``DATA_UPLOAD_MAX_MEMORY_SIZE`` whatever the endpoint. orjson refuses
    nesting past ``JSON_MAX_DEPTH`` levels with an error instead of recursing, and NaN and
    Infinity, which are not JSON (DRF's strict mode refuses them too).
    """

    media_type = "application/json"
    # The browsable API's raw-data form shows JSON written by this renderer.
    renderer_class = renderers.JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = body_limit(parser_context.get("view"))
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise too_large(limit)
        encoding = parser_context.get("encoding") or settings.DEFAULT_CHARSET
        try:
            document = (
                body if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else body.decode(encoding)
            )
            data = orjson.loads(document)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(f"JSON parse error - the body is not {encoding}: {exc}") from None
        except orjson.JSONDecodeError as exc:
            if "depth limit" in str(exc):
                raise exceptions.ParseError(
                    f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels."
                ) from None
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        # The escape is the only way JSON writes a NUL; the walk runs only when it is there.
        marker = b"\\u0000" if isinstance(document, bytes) else "\\u0000"
        if marker in document and _holds_nul(data):
            raise exceptions.ParseError("A string in the body holds a NUL character, which cannot be stored.")
        return data


def _holds_nul(data) -> bool:
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class BoundedMultiPartParser(MultiPartParser):
    """Multipart bodies (file uploads) declared over the view's body limit are refused before any is read."""

    def parse(self, stream, media_type=None, parser_context=None):
        _refuse_declared_over_limit(parser_context or {})
        return super().parse(stream, media_type, parser_context)


class BoundedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _refuse_declared_over_limit(parser_context or {})
        return super().parse(stream, media_type, parser_context)


def _refuse_declared_over_limit(parser_context: dict) -> None:
    request = parser_context.get("request")
    limit = body_limit(parser_context.get("view"))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large(limit)


def api_exception_handler(exc, context):
    """DRF's handler, with Django's refusals of a body (too big, too many fields) answered as JSON,
    and a method the view does not serve answered 405 even when a permission refused it first.

    DRF checks permissions before it looks for the method's handler, so an anonymous PUT on a
    read-only endpoint would be told 403 (as if a login could make it work) instead of 405.
    """
    if isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed | exceptions.PermissionDenied
    ):
        view, request = context.get("view"), context.get("request")
        if view is not None and request is not None and not _serves(view, request.method):
            exc = exceptions.MethodNotAllowed(request.method)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": str(too_large(body_limit(context.get("view"))))}, status=413)
    if isinstance(exc, TooManyFieldsSent):
        return Response({"detail": "The request has too many fields."}, status=400)
    return exception_handler(exc, context)


def _serves(view, method: str) -> bool:
    """Whether ``view`` has a handler for ``method`` (a ViewSet only for the methods of its route)."""
    name = method.lower()
    return name in view.http_method_names and hasattr(view, name)
