"""API tokens in the admin: an editor makes one (the key shown once), lists and revokes them."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from newsroom import roles
from partners.keys import key_digest
from partners.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:partners_apitoken_add")
LIST = reverse("admin:partners_apitoken_changelist")


def member(username: str, group: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(member("desk-editor", roles.EDITOR, is_staff=True))
    return client


@pytest.fixture
def partner():
    return member("harbour-times", roles.API_PARTNER)


def test_an_editor_makes_a_token_and_sees_its_key_once(editor_client, partner):
    response = editor_client.post(ADD, {"name": "Harbour Times", "user": partner.pk, "rate": "300/minute"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    key = re.search(r'id="api-token-key"[^>]*value="(nr_[A-Za-z0-9_-]{43})"', page).group(1)
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.rate, token.digest) == (
        "Harbour Times",
        partner,
        "300/minute",
        key_digest(key),
    )
    assert token.created_by.username == "desk-editor"
    assert APIClient().get("/api/raw-documents/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    # Never again: the token's page and the list show the prefix only.
    for url in (reverse("admin:partners_apitoken_change", args=[token.pk]), LIST):
        shown = editor_client.get(url).content.decode()
        assert token.prefix in shown and key not in shown


def test_the_key_is_escaped_and_the_name_too(editor_client, partner):
    response = editor_client.post(ADD, {"name": "<script>alert(1)</script>", "user": partner.pk})

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_an_editor_may_not_make_a_token_for_more_than_they_hold(editor_client):
    chief = member("chief", roles.CHIEF_EDITOR)
    staff = member("other-editor", roles.EDITOR, is_staff=True)

    for user, words in ((chief, b"holds permissions you do not"), (staff, b"Select a valid choice")):
        response = editor_client.post(ADD, {"name": "Escalation", "user": user.pk})
        assert response.status_code == 200
        assert words in response.content
    assert not ApiToken.objects.exists()


def test_a_bad_rate_is_refused_with_its_reason(editor_client, partner):
    response = editor_client.post(ADD, {"name": "Harbour Times", "user": partner.pk, "rate": "lots"})

    assert b"is not a rate" in response.content
    assert not ApiToken.objects.exists()


def test_the_revoke_action_refuses_the_token_from_then_on(editor_client, partner):
    editor_client.post(ADD, {"name": "Harbour Times", "user": partner.pk})
    token = ApiToken.objects.get()
    other = editor_client.post(ADD, {"name": "Bay Post", "user": partner.pk})
    key = re.search(r'value="(nr_[^"]+)"', other.content.decode()).group(1)

    response = editor_client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.get(name="Bay Post").revoked_at is None
    assert APIClient().get("/api/agencies/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_reporter_cannot_make_or_revoke_tokens(client, partner):
    client.force_login(member("reporter", roles.REPORTER, is_staff=True))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "Sneaky", "user": partner.pk}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_tokens_rate_is_changed_on_its_page_and_checked(editor_client, partner):
    editor_client.post(ADD, {"name": "Harbour Times", "user": partner.pk})
    token = ApiToken.objects.get()
    url = reverse("admin:partners_apitoken_change", args=[token.pk])

    refused = editor_client.post(url, {"name": "Harbour Times", "rate": "fast"})
    changed = editor_client.post(url, {"name": "Harbour Times", "rate": "20/second"})

    assert refused.status_code == 200 and b"is not a rate" in refused.content
    assert changed.status_code == 302
    token.refresh_from_db()
    assert token.rate == "20/second"
