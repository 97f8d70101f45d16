"""Chromium reads an article: one cookie-free beacon under the strict CSP, counted once per window."""

import time

from django.contrib.auth import get_user_model

import pytest

from murasil.readership import counters
from murasil.readership.models import DailyArticleViews
from tests.factories import ensure_site, make_article, make_section

from .base import SHOTS, BrowserTestCase

pytestmark = pytest.mark.browser


def pending_for(article_id: int) -> int:
    return sum(n for (_, pk), n in counters.store().pending().items() if pk == article_id)


def counted(article_id: int) -> int:
    """Pending plus written: the beacon path may already have flushed (once a minute, after responding)."""
    stored = DailyArticleViews.objects.filter(article_id=article_id).values_list("views", flat=True)
    return pending_for(article_id) + sum(stored)


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


class TestReadershipInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        counters.store().clear()
        self.addCleanup(counters.store().clear)
        section = make_section("محليات", "local")
        self.article = make_article(section, "افتتاح سوق للمزارعين في الساحة العامة")
        self.other = make_article(section, "ورشة لتعليم الأطفال البرمجة")

    def test_one_beacon_per_read_and_none_for_a_reload(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
        page = context.new_page()
        beacons, problems = [], []
        page.on("request", lambda r: beacons.append(r) if "/readership/view/" in r.url else None)
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        # Counting must not wait for a flush inside the request cycle.
        counters.scheduled_flush()
        page.goto(self.live_server_url + self.article.get_absolute_url())
        wait_for(lambda: pending_for(self.article.pk) == 1)
        self.assertEqual(len(beacons), 1)
        beacon = beacons[0]
        self.assertEqual(beacon.method, "POST")
        self.assertNotIn("cookie", {k.lower() for k in beacon.headers})
        self.assertEqual(beacon.response().status, 204)
        self.assertEqual(problems, [])  # no CSP violation or failed request

        counters.flush_views()
        self.assertEqual(DailyArticleViews.objects.get(article=self.article).views, 1)
        # The home page's «الأكثر قراءة» shows it now.
        page.goto(self.live_server_url + "/")
        self.assertIn(self.article.title, page.locator("section.most-read").inner_text())
        self.assertEqual(len(beacons), 1)  # the home page sends none

        # A reload within the window sends a beacon but does not count again.
        page.goto(self.live_server_url + self.article.get_absolute_url())
        page.reload()
        wait_for(lambda: len(beacons) == 3)
        wait_for(lambda: beacons[-1].response() is not None)
        counters.flush_views()
        self.assertEqual(DailyArticleViews.objects.get(article=self.article).views, 1)
        page.locator("section.most-read").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "readership-article-most-read-phone.png"), full_page=True)

        # Another article by the same reader counts.
        page.goto(self.live_server_url + self.other.get_absolute_url())
        wait_for(lambda: pending_for(self.other.pk) == 1)
        context.close()

    def test_editor_sees_the_count_on_the_dashboard(self):
        get_user_model().objects.create_superuser("editor", "editor@example.com", "editor-pass-123")
        reader = self.browser.new_context()
        page = reader.new_page()
        page.goto(self.live_server_url + self.article.get_absolute_url())
        wait_for(lambda: counted(self.article.pk) == 1)
        reader.close()
        counters.flush_views()
        editor = self.browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ar")
        page = editor.new_page()
        page.goto(self.live_server_url + "/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "editor-pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        panel = page.locator("#readership-content, [id^=readership]").first
        self.assertIn(self.article.title, page.locator("#readership-top-day").locator("xpath=..").inner_text())
        self.assertEqual(page.locator("svg.readership-chart rect.bar").count(), 30)
        page.screenshot(path=str(SHOTS / "readership-dashboard.png"), full_page=True)
        self.assertTrue(panel.is_visible())
        editor.close()
