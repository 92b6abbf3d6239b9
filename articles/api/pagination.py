"""Pagination for the API: pages in a stable, unique order."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole_number(raw: str, name: str, *, maximum: int | None = None) -> int:
    """``raw`` as a whole number from 1 (to ``maximum``), or a 400 that says so.

    DRF's own parsing silently falls back to the default for ``page_size=0`` or ``page_size=abc``,
    so a client's mistake looked like a valid answer.
    """
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        bound = f" to {maximum}" if maximum is not None else ""
        raise ValidationError({name: [f"A whole number from 1{bound}."]})
    return int(raw)


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(raw, self.page_size_query_param, maximum=self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        # Any page that is not one of the list's, malformed or past the last, is a 404 ("Invalid
        # page."), as DRF answers a page past the last; DRF itself read an empty one as page 1.
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message="not a page number"))
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
