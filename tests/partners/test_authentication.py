"""Token authentication: a partner's key acts as its account; anything else is a cheap 401."""

import base64
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from newsroom import roles
from partners.keys import key_digest
from partners.models import ApiToken
from partners.services import api_token_create, api_tokens_revoke
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def partner():
    user = UserFactory(username="harbour-times")
    user.groups.add(Group.objects.get(name=roles.API_PARTNER))
    return user


@pytest.fixture
def made(partner):
    return api_token_create(name="Harbour Times", user=partner, by=UserFactory(is_superuser=True))


def bearer(key: str, scheme: str = "Bearer") -> dict:
    return {"HTTP_AUTHORIZATION": f"{scheme} {key}"}


def test_only_the_digest_and_a_short_prefix_of_the_key_are_stored(made):
    token = ApiToken.objects.get()

    assert made.key.startswith("nr_") and len(made.key) == 46
    assert token.digest == key_digest(made.key) and len(token.digest) == 64
    assert made.key.startswith(token.prefix) and len(token.prefix) == 11
    assert made.key not in str(ApiToken.objects.values().get())


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_a_token_acts_as_its_account_with_that_accounts_permissions(made, scheme):
    response = APIClient().get("/api/raw-documents/", **bearer(made.key, scheme))

    assert response.status_code == 200  # the API partner group may read raw documents
    draft = ArticleFactory(status="draft")
    assert APIClient().get(f"/api/articles/{draft.pk}/", **bearer(made.key)).status_code == 404


def test_a_token_is_read_in_one_query_and_marked_used_at_most_once_a_minute(made):
    client = APIClient()
    with CaptureQueriesContext(connection) as first:
        client.get("/api/agencies/", **bearer(made.key))
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    token_queries = [q for q in first.captured_queries if "partners_apitoken" in q["sql"]]
    assert len(token_queries) == 2  # the lookup, and the first mark of use

    with CaptureQueriesContext(connection) as again:
        client.get("/api/agencies/", **bearer(made.key))
    assert len([q for q in again.captured_queries if "partners_apitoken" in q["sql"]]) == 1
    assert ApiToken.objects.get().last_used_at == used

    ApiToken.objects.update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    client.get("/api/agencies/", **bearer(made.key))
    assert ApiToken.objects.get().last_used_at > used


def assert_refused(response, words: str):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert words in response.json()["detail"]


def test_a_revoked_token_is_refused(made):
    api_tokens_revoke(tokens=ApiToken.objects.all(), by=None)

    assert_refused(APIClient().get("/api/agencies/", **bearer(made.key)), "revoked")


def test_a_token_of_a_disabled_account_is_refused(made, partner):
    partner.is_active = False
    partner.save()

    assert_refused(APIClient().get("/api/agencies/", **bearer(made.key)), "disabled")


@pytest.mark.parametrize(
    "key",
    ["nr_" + "A" * 43, "nr_short", "x" * 5000, "nr_" + "é" * 43, "", "nr_" + "A" * 42 + "!"],
)
def test_unknown_and_malformed_tokens_are_a_json_401(made, key):
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get("/api/agencies/", **bearer(key))

    assert_refused(response, "token")
    # A key of the wrong shape never reaches the database; a well-formed one costs one lookup.
    assert len([q for q in queries.captured_queries if "partners_apitoken" in q["sql"]]) <= 1


def test_anonymous_writes_are_a_401_with_the_bearer_challenge():
    response = APIClient().post("/api/raw-documents/", {"content": "x"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def basic(username: str, password: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.mark.parametrize("password", [PASSWORD, "wrong"])
def test_basic_credentials_are_refused_unread_and_point_to_tokens(partner, password):
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get("/api/raw-documents/", **basic(partner.username, password))

    assert_refused(response, "Basic authentication is not accepted")
    assert "Bearer" in response.json()["detail"]
    # Refused before the user is looked up: no password is hashed, no failure recorded.
    assert not [q for q in queries.captured_queries if "auth_user" in q["sql"]]
    assert not AccessAttempt.objects.exists()


def test_the_session_still_works_for_the_desk(partner):
    client = APIClient()
    client.force_login(partner)

    assert client.get("/api/raw-documents/").status_code == 200


def test_the_schema_offers_bearer_tokens_and_sessions_not_basic():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schemes = schema["components"]["securitySchemes"]

    assert schemes["tokenAuth"]["type"] == "http" and schemes["tokenAuth"]["scheme"] == "bearer"
    assert "basicAuth" not in schemes
