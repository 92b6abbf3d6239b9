"""The client address: REMOTE_ADDR, or the Nth address from the right of X-Forwarded-For behind N proxies."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from newsroom.clients import client_address
from tests.conftest import REPO_ROOT


def address(settings, proxies: int, forwarded: str | None, remote: str = "10.0.0.9") -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.9"),
        (0, "203.0.113.5", "10.0.0.9"),  # nobody trusted to write the header: it is ignored
        (1, None, "10.0.0.9"),  # a request that came past the proxy
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the client's own entry is ignored
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the furthest a proxy saw
        (1, "198.51.100.1,203.0.113.5 ", "203.0.113.5"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),
        (1, "2001:DB8:0:0::7", "2001:db8::7"),
        (1, "unknown", "10.0.0.9"),  # no address where one should be: the proxy's peer
        (1, "203.0.113.5, <script>", "10.0.0.9"),
    ],
)
def test_the_client_address_is_read_where_a_trusted_proxy_wrote_it(settings, proxies, forwarded, expected):
    assert address(settings, proxies, forwarded) == expected


def test_a_missing_or_odd_remote_address_is_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == ""
    assert address(settings, 0, None, remote="not an address") == ""


def test_the_old_header_setting_is_refused_with_what_to_set_instead():
    env = {**os.environ, "DEBUG": "1", "VIEW_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "VIEW_CLIENT_IP_HEADER is no longer read" in result.stderr
    assert "Set TRUSTED_PROXY_COUNT" in result.stderr
