"""Login lockout: wrong admin passwords for a username from one address lock that pair out, nothing else."""

import base64
import datetime as dt

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"
EDITOR_DESK = "198.51.100.20"


@pytest.fixture
def editor():
    return UserFactory(username="editor-on-duty", is_staff=True)


def admin_login(client, username, password, ip):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def api_get(username, password, ip):
    return APIClient().get(
        "/api/raw-documents/", HTTP_AUTHORIZATION=basic(username, password), REMOTE_ADDR=ip
    )


def test_wrong_admin_passwords_lock_that_username_out_from_that_address(client, settings, editor):
    settings.AXES_FAILURE_LIMIT = 5
    answers = [admin_login(client, editor.username, f"guess-{n}", ATTACKER).status_code for n in range(140)]

    assert answers[:4] == [200] * 4  # the login form again, with its error
    assert set(answers[4:]) == {429}  # the fifth failure locks; 135 more refused unread
    locked = admin_login(client, editor.username, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "too many login attempts" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # The editor, at their own desk, is not locked out by what the attacker did.
    assert admin_login(client, editor.username, PASSWORD, EDITOR_DESK).status_code == 302
    (attempt,) = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        editor.username,
        ATTACKER,
        5,
    )
    assert "guess" not in attempt.post_data  # passwords are never kept


def test_the_lockout_ends_after_the_cool_off(client, settings, editor):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        admin_login(client, editor.username, f"guess-{n}", ATTACKER)
    assert admin_login(client, editor.username, PASSWORD, ATTACKER).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))

    assert admin_login(client, editor.username, PASSWORD, ATTACKER).status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, settings, editor):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(2):
        admin_login(client, editor.username, f"typo-{n}", EDITOR_DESK)
    assert admin_login(client, editor.username, PASSWORD, EDITOR_DESK).status_code == 302
    client.logout()
    for n in range(2):
        admin_login(client, editor.username, f"typo-{n}", EDITOR_DESK)

    assert admin_login(client, editor.username, PASSWORD, EDITOR_DESK).status_code == 302


def test_other_usernames_from_the_attackers_address_are_not_locked(client, settings, editor):
    settings.AXES_FAILURE_LIMIT = 3
    other = UserFactory(username="chief-on-duty", is_staff=True)
    for n in range(3):
        admin_login(client, editor.username, f"guess-{n}", ATTACKER)

    assert admin_login(client, other.username, PASSWORD, ATTACKER).status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, settings, editor):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        client.post(
            "/admin/login/",
            {"username": editor.username, "password": f"guess-{n}"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert admin_login(client, editor.username, PASSWORD, ATTACKER).status_code == 429


def test_api_basic_credentials_are_refused_unread_so_they_never_count_or_lock(client, settings, editor):
    """The API checks no password: Basic credentials are a 401 pointing to tokens, right or wrong."""
    settings.AXES_FAILURE_LIMIT = 3
    answers = [api_get(editor.username, f"guess-{n}", ATTACKER) for n in range(20)]

    assert {a.status_code for a in answers} == {401}
    assert "Basic authentication is not accepted" in answers[0].json()["detail"]
    assert api_get(editor.username, PASSWORD, ATTACKER).status_code == 401
    assert not AccessAttempt.objects.exists()
    # The admin's own count is untouched by them.
    assert admin_login(client, editor.username, PASSWORD, ATTACKER).status_code == 302
