"""API throttling: per token, per user, and per client address of ``newsroom.clients`` (never a header a client sends)."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from newsroom.clients import client_address
from partners.models import ApiToken


class _FromSettings:
    def get_rate(self):
        # Read at each request rather than once at import, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


def _token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class AnonRateThrottle(_FromSettings, throttling.AnonRateThrottle):
    """Requests without a login, per client address (``API_THROTTLE_ANON``)."""


class UserRateThrottle(_FromSettings, throttling.UserRateThrottle):
    """Requests with a session, per user, whatever address they come from (``API_THROTTLE_USER``).

    A request with a token is counted by ``TokenRateThrottle`` instead, so each token has its
    own rate even when two act as one account.
    """

    def allow_request(self, request, view):
        if _token(request) is not None:
            return True
        return super().allow_request(request, view)


class TokenRateThrottle(_FromSettings, throttling.SimpleRateThrottle):
    """Requests with an API token, per token: the token's own ``rate``, or ``API_THROTTLE_TOKEN``."""

    scope = "token"

    def allow_request(self, request, view):
        token = _token(request)
        if token is None:
            return True
        self.rate = token.rate or self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
