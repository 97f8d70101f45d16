"""Shared set-up for tests that drive Debian's Chromium through Playwright against a live server."""

import os
import tempfile
import time
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management.base import CommandError

CHROMIUM = os.environ.get("MURASIL_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("MURASIL_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="murasil-shots-"))


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll a JS expression. (wait_for_function evaluates strings, which the site's CSP rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


class BrowserTestCase(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def _fixture_teardown(self):
        # A request the page sent as it closed (a view beacon, a late image) may still be reading in
        # the live server's thread; SQLite's shared in-memory database then refuses the flush until
        # it finishes. The flush runs in a transaction, so trying again is safe.
        for attempt in range(40):
            try:
                return super()._fixture_teardown()
            except CommandError as error:
                if "locked" not in str(error.__cause__) or attempt == 39:
                    raise
                time.sleep(0.25)
