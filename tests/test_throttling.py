"""API throttling: per client address without a login, per token, per user with a session."""

import pytest
from rest_framework.test import APIClient

from partners.models import ApiToken
from partners.services import api_token_create
from tests.factories import AgencyFactory, UserFactory, user_with_permissions

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def rates(settings):
    def set_rates(anon: str, user: str, token: str = "600/minute"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user, "token": token},
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


def token_key(user, rate: str = "") -> str:
    return api_token_create(
        name=f"partner {rate}", user=user, by=UserFactory(is_superuser=True), rate=rate
    ).key


def test_each_token_has_its_own_rate_even_on_one_account(rates):
    rates("2/minute", "100/minute", token="3/minute")
    AgencyFactory()
    account = UserFactory(username="harbour-times")
    default_key, own_rate_key = token_key(account), token_key(account, rate="5/minute")
    client = APIClient()

    by_default = statuses(client, 5, HTTP_AUTHORIZATION=f"Bearer {default_key}")
    own = statuses(client, 7, HTTP_AUTHORIZATION=f"Bearer {own_rate_key}")

    assert by_default == [200] * 3 + [429] * 2
    assert own == [200] * 5 + [429] * 2
    # Neither token's count touched the account's own session limit or an anonymous reader's.
    client.force_authenticate(account)
    assert statuses(client, 1) == [200]
    assert statuses(APIClient(), 1) == [200]


def test_a_throttled_token_gets_a_json_429_with_retry_after(rates):
    rates("100/minute", "100/minute", token="1/hour")
    AgencyFactory()
    key = token_key(UserFactory())
    client = APIClient()
    client.get("/api/agencies/", HTTP_AUTHORIZATION=f"Bearer {key}")

    refused = client.get("/api/agencies/", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"]
    assert 3500 <= int(refused["Retry-After"]) <= 3600


def test_a_token_rate_changed_in_the_admin_applies_at_once(rates):
    rates("100/minute", "100/minute", token="2/minute")
    AgencyFactory()
    key = token_key(UserFactory())
    client = APIClient()
    assert statuses(client, 3, HTTP_AUTHORIZATION=f"Bearer {key}") == [200, 200, 429]

    ApiToken.objects.update(rate="4/minute")

    assert statuses(client, 3, HTTP_AUTHORIZATION=f"Bearer {key}") == [200, 200, 429]
