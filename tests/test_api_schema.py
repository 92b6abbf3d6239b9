"""The API's OpenAPI schema tells the truth: schemathesis, with every check, finds nothing.

Every operation of the schema the API serves (``/api/schema/``) is tried, so an endpoint added
later is covered without touching this file, once without credentials and once as a user of
each role of ``newsroom.roles``. The requests go to the WSGI application in this process, so
writes land in the test database inside the test's transaction and are rolled back after it,
and nothing leaves the machine: name lookups and connections are refused for anything but the
loopback (an endpoint that fetches a URL it is given gets an error, never the internet).

Each operation and role is one test. In CI the examples are the same every run (the ``ci``
Hypothesis profile of tests/conftest.py derandomises them); a failure prints a curl command
that reproduces it.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, is_check_class, load_all_checks

from newsroom.roles import ROLES
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory, RawDocumentFactory

# Every check schemathesis has (what ``--checks all`` runs), not only its default set.
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not is_check_class(check)]

# Examples per operation in the fuzzing phase (the examples and coverage phases add their own).
MAX_EXAMPLES = 25

ANONYMOUS = "anonymous"
ROLE_NAMES = [ANONYMOUS, *ROLES]

# Loaded from the running application, as a partner would read it.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def session_credentials(user) -> dict[str, str]:
    """The headers that make a request come from ``user``: a logged-in session cookie, with the
    CSRF cookie and header that session authentication asks of a write.

    The one place that says how a role authenticates: a partner's API token would make this
    ``{"Authorization": f"Bearer {token}"}``.
    """
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    csrf = secrets.token_hex(16)
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


credentials_for = session_credentials


@pytest.fixture
def role_headers(role, db) -> dict[str, str]:
    if role == ANONYMOUS:
        return {}
    user = get_user_model().objects.create_user(username=f"schema-{role.lower().replace(' ', '-')}")
    user.groups.add(Group.objects.get(name=role))
    return credentials_for(user)


@pytest.fixture
def api_data(db):
    """Something for every list and lookup to show: published and draft stories, an agency, an
    entity they mention and a page received for ingest."""
    agency = AgencyFactory(name="Kuwait News Agency", slug="kuna", aliases=["KUNA"])
    published = ArticleFactory(agency=agency)
    ArticleFactory(agency=agency, status="draft", published_at=None)
    MentionFactory(article=published, entity=EntityFactory(name="Kuwait City", type="place"))
    RawDocumentFactory(agency_hint=agency)


@pytest.fixture
def _in_process_requests(settings):
    """Requests served in this thread, on the test's connection and transaction, unthrottled.

    Django closes a connection whose autocommit differs from its settings at the start and end
    of each request, which inside a test's transaction would close it; its test client
    disconnects that handler for the same reason. The throttle rates are lifted so that every
    example reaches the view (the 429 answer itself is documented and tested elsewhere). The
    generated requests carry Basic credentials; a fast hasher keeps each refusal cheap here.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
    }
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def _no_traffic_off_the_machine(monkeypatch):
    """Name lookups and connections to anything but the loopback fail, as on a machine offline."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise socket.gaierror(
                socket.EAI_NONAME, f"the API schema test reaches no host but this one: {host}"
            )
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise ConnectionRefusedError(f"the API schema test reaches no host but this one: {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.usefixtures("api_data", "_in_process_requests", "_no_traffic_off_the_machine")
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_schema_holds(case, role_headers):
    case.call_and_validate(headers=role_headers, checks=ALL_CHECKS)


# --- What the run above relies on, each rule on its own -------------------------------------


@pytest.fixture
def anonymous_client():
    from rest_framework.test import APIClient

    return APIClient()


def _operation(schema_dict: dict, method: str, path: str) -> dict:
    return schema_dict["paths"][path][method]


@pytest.mark.django_db
def test_security_follows_the_permissions(anonymous_client):
    document = anonymous_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    # Anybody may read articles, agencies and entities: no login among the alternatives.
    assert {} in _operation(document, "get", "/api/articles/")["security"]
    assert {} in _operation(document, "get", "/api/agencies/{slug}/")["security"]
    # Raw documents and the editorial moves need a login.
    assert {} not in _operation(document, "get", "/api/raw-documents/")["security"]
    assert {} not in _operation(document, "post", "/api/articles/{id}/moves/{move}/")["security"]


@pytest.mark.django_db
def test_every_operation_documents_its_errors_as_json(anonymous_client):
    document = anonymous_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "405", "429"):
                content = operation["responses"][status]["content"]
                assert "application/json" in content, (method, path, status)
    create = _operation(document, "post", "/api/raw-documents/")
    assert {"413", "415"} <= set(create["responses"])
    multipart = create["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert document["components"]["schemas"][multipart]["oneOf"] == [
        {"required": ["file"]},
        {"required": ["content"]},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/articles/not-a-number/", "/api/no-such-thing/", "/api/articles/1/moves/%C2%84/"],
)
def test_an_unknown_api_url_is_a_json_404(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_a_missing_slash_is_still_redirected(anonymous_client):
    response = anonymous_client.get("/api/agencies")
    assert response.status_code == 301
    assert response["Location"] == "/api/agencies/"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_an_undeclared_method_is_405_not_403(anonymous_client, method):
    agency = AgencyFactory(name="Reuters", slug="reuters")
    response = getattr(anonymous_client, method)("/api/agencies/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert getattr(anonymous_client, method)(f"/api/agencies/{agency.slug}/").status_code == 405
    assert anonymous_client.put("/api/articles/1/views/").status_code == 405


@pytest.mark.django_db
def test_a_missing_login_is_still_401(anonymous_client):
    # The method is served: the answer is the token challenge, not 405.
    response = anonymous_client.get("/api/raw-documents/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page_size=0", 400),
        ("page_size=abc", 400),
        ("page_size=101", 400),
        ("page_size=", 400),
        ("cursor=", 404),
        ("cursor=abc", 404),
        ("page_size=100", 200),
    ],
)
def test_page_sizes_are_whole_numbers_and_cursors_the_list_s_own(anonymous_client, query, status):
    ArticleFactory()
    response = anonymous_client.get(f"/api/articles/?{query}")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_a_nul_in_basic_credentials_is_refused_not_a_500(anonymous_client):
    import base64

    token = base64.b64encode(b"ed\x00itor:secret").decode()
    response = anonymous_client.get("/api/raw-documents/", HTTP_AUTHORIZATION=f"Basic {token}")
    # Refused before anything reads it (newsroom.unstorable): no user name holds a NUL.
    assert response.status_code == 400
    assert "detail" in response.json()
