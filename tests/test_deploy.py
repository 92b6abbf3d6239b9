"""Deployment: the documented production settings pass `check --deploy`, weak keys are refused,
every page carries a Content-Security-Policy whose nonce its inline styles and scripts carry,
and gunicorn with DEBUG=0 serves the collected static files."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory, UserFactory

# docs/operations.md, "Deployment": the variables a production web process is started with.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "news.example.org,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE"}}
    return {**env, **PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), **extra}


def manage(*args, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    from tests.redis_server import OwnRedis

    if not os.environ.get("REDIS_URL"):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    else:
        # Production runs Redis with its append-only file (docs/operations.md); the machine's may not.
        redis_server = OwnRedis(tmp_path, appendfsync="everysec")
        redis_server.start()
        try:
            env = production_env(REDIS_URL=redis_server.url)
            result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        finally:
            redis_server.stop()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_them():
    env = production_env()
    for name in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"):
        env.pop(name)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "it has 1 characters, fewer than 50"),
        ("ab" * 40, "it has 2 distinct characters, fewer than 5"),
        ("django-insecure-" + secrets.token_urlsafe(50), "starts with 'django-insecure-'"),
    ],
    ids=["short", "low-entropy", "django-insecure"],
)
def test_a_weak_secret_key_is_refused_with_debug_off(key, reason):
    result = manage("check", env=production_env(SECRET_KEY=key))

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr and reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr
    # Development mode takes any key.
    assert manage("check", env=production_env(SECRET_KEY=key, DEBUG="1")).returncode == 0


def test_a_malformed_proxy_ssl_header_is_refused():
    result = manage("check", env=production_env(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"))

    assert result.returncode != 0 and "SECURE_PROXY_SSL_HEADER is a header and a value" in result.stderr


# --- Content-Security-Policy ---------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def nonce_of(response) -> str:
    (nonce,) = [source for source in directives(response)["script-src"] if source.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


def inline_tags(html: str) -> list[str]:
    """The opening tags of inline code: every <style>, and every <script> without a src (those load from 'self')."""
    return re.findall(r"<style\b[^>]*>|<script\b(?![^>]*\bsrc=)[^>]*>", html)


def assert_every_inline_tag_has_the_nonce(response):
    tags = [tag for tag in inline_tags(response.content.decode()) if 'type="application/json"' not in tag]
    if not tags:
        # No nonce is made for a page that needs none, and nothing inline may run there.
        assert "'nonce-" not in response["Content-Security-Policy"]
        return
    nonce = nonce_of(response)
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_public_pages_carry_a_strict_policy_and_their_styles_and_scripts_its_nonce(client):
    article = ArticleFactory()

    front = client.get("/")
    page = client.get(article.get_absolute_url())

    for response in (front, page):
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert_every_inline_tag_has_the_nonce(response)
    # The public pages' styles and scripts are files from 'self': nothing inline, no nonce needed.
    assert not inline_tags(front.content.decode())
    assert '<link rel="stylesheet" href="/static/articles/site.css">' in front.content.decode()
    assert "articles/beacon.js" in page.content.decode()
    # A fresh nonce for every response that uses one (the API docs' inline style and script).
    assert nonce_of(client.get("/api/docs/")) != nonce_of(client.get("/api/docs/"))


@pytest.mark.django_db
def test_the_admin_and_the_api_docs_carry_the_policy_with_their_inline_styles_nonced(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    article = ArticleFactory()

    for url in ("/admin/", f"/admin/articles/article/{article.pk}/change/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "'unsafe-inline'" not in directives(response)["script-src"]
        assert_every_inline_tag_has_the_nonce(response)
    docs = client.get("/api/docs/").content.decode()
    # Swagger UI comes from this site's static files, not a CDN outside the policy.
    assert "cdn.jsdelivr.net" not in docs and "/static/drf_spectacular_sidecar/" in docs


@pytest.mark.django_db
def test_api_responses_and_errors_carry_the_policy(client):
    assert "default-src 'self'" in client.get("/api/articles/")["Content-Security-Policy"]
    assert "default-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


# --- gunicorn with DEBUG=0, as docs/operations.md deploys it ------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict | None = None):
    """(status, headers, body) of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def gunicorn_production(transactional_db, tmp_path):
    """collectstatic, then gunicorn with DEBUG=0 and the production variables on a free loopback port."""
    from django.db import connection

    db = connection.settings_dict
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        NEWSROOM_VAR_DIR=str(tmp_path / "var"),
        MONITORING_TOKEN=MONITORING_TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    (tmp_path / "metrics").mkdir()
    collected = manage("collectstatic", "--noinput", env=env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail((tmp_path / "gunicorn.log").read_text(errors="replace"))
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


HTTPS = {"X-Forwarded-Proto": "https", "Host": "news.example.org"}
MONITORING_TOKEN = "monitoring-token-for-tests-0123456789"


@pytest.mark.services
def test_gunicorn_with_debug_off_serves_collected_static_files_and_pages_with_https_headers(
    gunicorn_production,
):
    base = gunicorn_production
    beacon_source = (REPO_ROOT / "articles/static/articles/beacon.js").read_bytes()

    status, headers, body = fetch(f"{base}/static/articles/beacon.js", HTTPS)
    assert status == 200 and headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert body == beacon_source
    status, headers, body = fetch(f"{base}/static/articles/related-widget.js", HTTPS)
    assert status == 200 and b"data-newsroom-related" in body
    status, headers, body = fetch(f"{base}/static/admin/css/base.css", HTTPS)
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"--body-bg" in body
    # Compressed copies for clients that take them.
    status, headers, _ = fetch(f"{base}/static/admin/css/base.css", {**HTTPS, "Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"

    # Pages: HTTP is sent to HTTPS, HTTPS gets HSTS and the policy.
    ArticleFactory(headline="A story served in production")

    status, headers, _ = fetch(f"{base}/", {"Host": "news.example.org"})
    assert status == 301 and headers["Location"] == "https://news.example.org/"
    # The probes answer over plain HTTP inside the network.
    assert fetch(f"{base}/healthz", {"Host": "news.example.org"})[0] == 200
    assert fetch(f"{base}/readyz", {"Host": "news.example.org"})[0] == 200

    status, headers, body = fetch(f"{base}/", HTTPS)
    assert status == 200 and b"A story served in production" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # The front page has nothing inline (its styles are a file), so its policy names no nonce.
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in directives(headers)["script-src"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    # The admin's login page: secure cookies only.
    status, headers, _ = fetch(f"{base}/admin/login/", HTTPS)
    assert status == 200 and "Secure" in headers["Set-Cookie"]

    # Metrics: every gunicorn worker's requests added up (PROMETHEUS_MULTIPROC_DIR); hidden without the token.
    for _ in range(20):
        fetch(f"{base}/healthz", HTTPS)
    assert fetch(f"{base}/metrics", HTTPS)[0] == 404
    status, _, body = fetch(f"{base}/metrics", {**HTTPS, "Authorization": f"Bearer {MONITORING_TOKEN}"})
    assert status == 200
    healthz = re.search(
        rb'django_http_requests_total_by_view_transport_method_total\{method="GET",transport="https",view="healthz"\} (\S+)',
        body,
    )
    assert healthz and float(healthz[1]) == 20, body.decode()[:3000]
