"""Headless Chromium (Debian's package) driven by Playwright, against the live test server.

Without Chromium or Playwright the browser tests are skipped on a developer's machine; with
``CI=true`` they fail instead (``.ci/run`` installs Chromium).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.conftest import IN_CI

CHROMIUM = os.environ.get("CHROMIUM", "") or shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return sync_playwright


@pytest.fixture
def page(live_server, monkeypatch, tmp_path):
    sync_playwright = _playwright()
    if not CHROMIUM or sync_playwright is None:
        problem = "Chromium is not installed" if not CHROMIUM else "Playwright is not installed"
        if IN_CI:
            pytest.fail(f"CI=true but {problem}")
        pytest.skip(problem)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # made one at a time, between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        # SCREENSHOTS names a folder to keep them in; otherwise they go with the test's tmp_path.
        page.screenshots = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else tmp_path
        # Whatever the Content-Security-Policy blocked on any page the test visited (Chromium says so
        # on the console): every browser test also checks that the policy breaks nothing.
        page.csp_violations = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and page.csp_violations.append(message.text)
            ),
        )
        yield page
        context.close()
        browser.close()
        # Inside Playwright's event loop Django gave the test's ORM calls connections of their own
        # (connections are per context); close them, or the test database cannot be dropped.
        connections.close_all()
        assert not page.csp_violations, "\n".join(page.csp_violations)
