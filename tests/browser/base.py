"""Shared set-up for tests that drive Debian's Chromium through Playwright against a live server."""

import os
import tempfile
import time
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

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
