"""A reader searches in a real Chromium: headlines appear while typing, and the results page answers."""

import pytest

from tests.browser.base import SHOTS, BrowserTestCase, wait_until
from tests.factories import ensure_site, make_article, make_section

pytestmark = pytest.mark.browser


class TestSearchInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        section = make_section("العراق", "iraq")
        self.bridge = make_article(section, "افتتاح جسر جديد يربط ضفتي دجلة في بغداد")
        make_article(section, "ازدحام مروري في بغداد مع بدء العام الدراسي")
        make_article(section, "مسودة عن جسر لم تنشر", publish=False)

    def test_search_as_you_type_then_keyboard_to_the_article(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
        page = context.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        try:
            page.goto(self.live_server_url + "/search/")
            box = page.locator("#search-q")
            box.click()
            box.press_sequentially("الجس", delay=60)  # a reader typing, with the article still attached
            wait_until(page, "!document.getElementById('search-suggestions').hidden")
            options = page.locator("#search-suggestions [role=option]")
            self.assertEqual(options.count(), 1)  # the draft about a bridge is never offered
            self.assertIn(self.bridge.title, options.first.inner_text())
            self.assertEqual(box.get_attribute("aria-expanded"), "true")
            page.screenshot(path=str(SHOTS / "search-suggest-phone.png"))
            box.press("ArrowDown")
            self.assertEqual(box.get_attribute("aria-activedescendant"), "search-suggestion-0")
            box.press("Enter")
            page.wait_for_url("**" + self.bridge.get_absolute_url())
            self.assertEqual(page.locator("h1.headline").inner_text(), self.bridge.title)
            self.assertEqual(errors, [], "the page logged errors (a CSP violation would show here)")
        finally:
            context.close()

    def test_escape_closes_and_the_form_still_submits(self):
        context = self.browser.new_context(locale="ar")
        page = context.new_page()
        try:
            page.goto(self.live_server_url + "/search/")
            box = page.locator("#search-q")
            box.fill("بغداد")
            wait_until(page, "!document.getElementById('search-suggestions').hidden")
            box.press("Escape")
            self.assertTrue(page.evaluate("document.getElementById('search-suggestions').hidden"))
            self.assertEqual(box.input_value(), "بغداد")  # the first Escape only closes the list
            box.press("Enter")
            page.wait_for_url("**/search/?q=*")
            self.assertEqual(page.locator(".search-result").count(), 2)
            self.assertEqual(page.locator(".search-result mark").first.inner_text(), "بغداد")
        finally:
            context.close()
