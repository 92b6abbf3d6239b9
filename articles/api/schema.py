"""The OpenAPI schema says what the API really does, for every operation, without each view repeating it.

Two pieces, both general so that a new endpoint is described correctly by default:

- ``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``): an operation that a reader without a login may
  call lists "no authentication" among its security requirements (drf-spectacular only knows
  ``AllowAny`` and ``IsAuthenticatedOrReadOnly``; the API's default,
  ``DjangoModelPermissionsOrAnonReadOnly``, lets anybody read too), and a serializer may name
  alternative sets of required fields (``schema_one_of_required``), which become a ``oneOf``.
- ``add_error_responses`` (a postprocessing hook): the errors any operation can answer, in the
  JSON shape ``articles.api.parsers.api_exception_handler`` gives them, are documented on every
  operation that does not document them itself.
"""

from __future__ import annotations

from drf_spectacular import openapi
from rest_framework import permissions

# The body of every error but a 400's: DRF's {"detail": "..."}.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
    "required": ["detail"],
}
# A 400's body: {"detail": "..."} for a body that could not be read, else each refused field
# (``non_field_errors`` for the request as a whole) with its reasons.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": reason} or each refused field with a list of reasons '
    "(nested for nested fields; non_field_errors for the request as a whole).",
    "additionalProperties": {},
}

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_VALIDATION_REF = {"$ref": "#/components/schemas/ValidationError"}

# What each status means on any operation; (description, body schema, when it applies).
_ALWAYS = "always"
_WITH_BODY = "body"
ERROR_RESPONSES: dict[str, tuple[str, dict, str]] = {
    "400": ("The request is malformed or a value is invalid.", _VALIDATION_REF, _ALWAYS),
    "401": ("Credentials are required or were not accepted.", _ERROR_REF, _ALWAYS),
    "403": ("The credentials were refused, or the user lacks the permission.", _ERROR_REF, _ALWAYS),
    "404": ("No such object or page.", _ERROR_REF, _ALWAYS),
    "405": ("The method is not allowed here.", _ERROR_REF, _ALWAYS),
    "406": ("No representation matches the Accept header.", _ERROR_REF, _ALWAYS),
    "413": ("The request body is over this endpoint's limit.", _ERROR_REF, _WITH_BODY),
    "415": ("The request body's media type is not accepted.", _ERROR_REF, _WITH_BODY),
    "429": ("Too many requests: wait for Retry-After seconds.", _ERROR_REF, _ALWAYS),
}


def anonymous_allowed(view, method: str) -> bool:
    """Whether every permission of ``view`` lets a request without a login through for ``method``.

    Read from the permission classes themselves: ``AllowAny`` always, the "or read only" ones
    (``IsAuthenticatedOrReadOnly``, ``DjangoModelPermissionsOrAnonReadOnly``) for safe methods.
    Anything else (``IsAuthenticated``, ``DjangoModelPermissions``, a custom class) counts as
    needing a login, which is the safe assumption for the schema.
    """
    for permission in view.get_permissions():
        if isinstance(permission, permissions.AllowAny):
            continue
        read_only_for_all = isinstance(permission, permissions.IsAuthenticatedOrReadOnly) or (
            isinstance(permission, permissions.DjangoModelPermissions)
            and not permission.authenticated_users_only
        )
        if read_only_for_all and method in permissions.SAFE_METHODS:
            continue
        return False
    return True


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if auths and {} not in auths and anonymous_allowed(self.view, self.method):
            auths.append({})
        return auths

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        one_of = getattr(serializer, "schema_one_of_required", None)
        if one_of and direction == "request":
            schema["oneOf"] = [{"required": list(fields)} for fields in one_of]
        return schema


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the API's error answers on every operation (see the module)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, (description, body, when) in ERROR_RESPONSES.items():
                if when == _WITH_BODY and "requestBody" not in operation:
                    continue
                response = responses.setdefault(status, {"description": description})
                # A response documented in a view with only a description gets the body it has.
                response.setdefault("content", {"application/json": {"schema": body}})
    return result
