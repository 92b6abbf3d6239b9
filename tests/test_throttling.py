"""API throttling: per client address without a login, per user with one."""

import pytest
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, user_with_permissions

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def rates(settings):
    def set_rates(anon: str, user: str):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def statuses(client, count: int, **meta) -> list[int]:
    return [client.get("/api/agencies/", **meta).status_code for _ in range(count)]


def test_anonymous_requests_past_the_default_rate_are_refused():
    """The probe: 300 anonymous requests in a row; the default is 120 a minute."""
    AgencyFactory()
    answers = statuses(APIClient(), 300, REMOTE_ADDR="203.0.113.66")

    assert answers.count(200) == 120
    assert answers[120:] == [429] * 180
    refused = APIClient().get("/api/agencies/", REMOTE_ADDR="203.0.113.66")
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_anonymous_limits_are_per_client_address_and_ignore_forged_headers(rates, settings):
    rates("5/minute", "100/minute")
    settings.TRUSTED_PROXY_COUNT = 0
    client = APIClient()

    forged = [
        client.get("/api/agencies/", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(8)
    ]
    assert [r.status_code for r in forged] == [200] * 5 + [429] * 3
    assert statuses(client, 1, REMOTE_ADDR="198.51.100.20") == [200]  # another reader


def test_behind_a_proxy_each_client_has_its_own_limit(rates, settings):
    rates("3/minute", "100/minute")
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}

    first = statuses(client, 4, HTTP_X_FORWARDED_FOR="203.0.113.66", **via_proxy)
    second = statuses(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.20", **via_proxy)
    forged = statuses(client, 1, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.66", **via_proxy)

    assert (first, second, forged) == ([200, 200, 200, 429], [200, 200, 200], [429])


def test_a_logged_in_user_is_limited_per_user_wherever_they_call_from(rates):
    rates("2/minute", "4/minute")
    client = APIClient()
    client.force_authenticate(user_with_permissions("articles.view_rawdocument"))

    answers = [client.get("/api/raw-documents/", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(6)]

    assert answers == [200] * 4 + [429] * 2
