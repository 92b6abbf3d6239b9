"""API throttling keyed on the client address of ``newsroom.clients``, never on a header a client sends."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from newsroom.clients import client_address


class _FromSettings:
    def get_rate(self):
        # Read at each request rather than once at import, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(_FromSettings, throttling.AnonRateThrottle):
    """Requests without a login, per client address (``API_THROTTLE_ANON``)."""


class UserRateThrottle(_FromSettings, throttling.UserRateThrottle):
    """Requests with a login, per user, whatever address they come from (``API_THROTTLE_USER``)."""
