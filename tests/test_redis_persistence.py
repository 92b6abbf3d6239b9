"""Redis persistence: the check behind the start-up warning, the system check and the health check."""

import logging
import signal

import pytest
from django.core import checks

from newsroom.redis import persistence_problem, persistence_warn
from tests.conftest import IN_CI
from tests.redis_server import OwnRedis, free_port

pytestmark = [pytest.mark.services]


@pytest.fixture
def own_redis(tmp_path):
    try:
        server = OwnRedis(tmp_path, appendonly=True, appendfsync="everysec")
    except FileNotFoundError:
        if IN_CI:
            raise
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.stop(signal.SIGKILL)


def test_redis_with_its_append_only_file_is_no_problem(own_redis):
    client = own_redis.client()
    assert persistence_problem(client) is None
    client.config_set("appendfsync", "always")
    assert persistence_problem(client) is None
    client.config_set("maxmemory-policy", "volatile-lru")  # evicts only keys with a TTL
    assert persistence_problem(client) is None


def test_redis_without_persistence_is_named_with_what_it_loses(own_redis):
    client = own_redis.client()
    client.config_set("appendonly", "no")

    problem = persistence_problem(client)

    assert problem == (
        f"Redis at 127.0.0.1:{own_redis.port}/0 runs without any persistence (appendonly no): a restart "
        "loses the views counted since the last flush or snapshot; set appendonly yes"
    )
    client.config_set("save", "3600 1")
    assert "runs with snapshots only (appendonly no)" in persistence_problem(client)


def test_an_unsynced_append_only_file_and_eviction_are_problems_too(own_redis):
    client = own_redis.client()
    client.config_set("appendfsync", "no")
    client.config_set("maxmemory-policy", "allkeys-lru")

    problem = persistence_problem(client)

    assert "appendfsync no; use everysec or always" in problem
    assert "evicts any key when full (maxmemory-policy allkeys-lru); use noeviction" in problem


def test_a_redis_that_does_not_answer_is_a_problem(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    problem = persistence_problem()
    assert problem.startswith(f"Redis at 127.0.0.1:{settings.REDIS_URL.split(':')[2]}")
    assert "cannot be asked about its persistence (ConnectionError" in problem


def test_without_redis_there_is_nothing_to_keep(settings):
    settings.REDIS_URL = ""
    assert persistence_problem() is None


def test_the_system_check_and_the_start_up_log_say_so_loudly(own_redis, settings, caplog):
    settings.REDIS_URL = own_redis.url
    assert checks.run_checks(tags=["newsroom"]) == []

    own_redis.client().config_set("appendonly", "no")
    (warning,) = checks.run_checks(tags=["newsroom"])
    with caplog.at_level(logging.WARNING, logger="newsroom.redis"):
        persistence_warn()

    assert warning.id == "newsroom.W001"
    assert warning.level == checks.WARNING
    assert "View counts are at risk: Redis at" in warning.msg
    assert "without any persistence" in caplog.text
