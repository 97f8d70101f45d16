"""Chromium reads an article's JSON-LD from the DOM under the site's CSP, and fetches /feed/ as RSS."""

import datetime
import json

import pytest

from tests.browser.base import BrowserTestCase, wait_until
from tests.factories import ensure_site, make_article, make_image, make_reporter, make_section

pytestmark = pytest.mark.browser

# Registered before any page script (Playwright's init scripts are not subject to the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class TestStructuredDataInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        section = make_section("عربي و دولي", "arab-world")
        self.reporters = (make_reporter("أنس الشيخ أحمد", "anas"), make_reporter("ليلى حسن", "laila"))
        self.published_at = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)
        self.article = make_article(
            section,
            "مشروع لتحلية مياه البحر يدخل الخدمة في البصرة",
            standfirst="المحطة تنتج مئتي ألف متر مكعب يومياً.",
            reporters=self.reporters,
            featured_image=make_image(),
            tags=("المياه",),
            published_at=self.published_at,
        )

    def test_article_json_ld_parses_in_the_page_without_csp_violations(self):
        context = self.browser.new_context(locale="ar")
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        console_errors = []
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
        try:
            response = page.goto(self.live_server_url + self.article.get_absolute_url(), wait_until="networkidle")
            self.assertEqual(response.status, 200)
            self.assertIn("script-src 'self'", response.headers["content-security-policy"])
            blocks = page.evaluate(
                "[...document.querySelectorAll('script[type=\"application/ld+json\"]')].map((s) => s.textContent)"
            )
            self.assertEqual(len(blocks), 2)
            data = [json.loads(block) for block in blocks]
            by_type = {item["@type"]: item for item in data}
            self.assertEqual(set(by_type), {"NewsArticle", "BreadcrumbList"})
            news = by_type["NewsArticle"]
            self.assertEqual(news["@context"], "https://schema.org")
            self.assertEqual(news["headline"], self.article.title)
            self.assertEqual(datetime.datetime.fromisoformat(news["datePublished"]), self.published_at)
            authors = news["author"] if isinstance(news["author"], list) else [news["author"]]
            self.assertEqual([a["@type"] for a in authors], ["Person", "Person"])
            self.assertEqual([a["name"] for a in authors], [r.name for r in self.reporters])
            self.assertTrue(
                all(a["url"].endswith(r.get_absolute_url()) for a, r in zip(authors, self.reporters, strict=True))
            )
            # The page's own scripts ran (so the CSP was in force) and nothing was refused.
            self.assertEqual(page.evaluate("window.__cspViolations"), [])
            self.assertEqual([e for e in console_errors if "Content Security Policy" in e], [])
            # The watcher works: an inline script added now is refused and reported.
            page.evaluate("document.body.appendChild(document.createElement('script')).textContent = '1'")
            wait_until(page, "window.__cspViolations.length > 0")  # reported asynchronously
            self.assertEqual(len(page.evaluate("window.__cspViolations")), 1)
        finally:
            context.close()

    def test_feed_is_served_as_rss(self):
        context = self.browser.new_context(locale="ar")
        page = context.new_page()
        try:
            page.goto(self.live_server_url + "/", wait_until="networkidle")
            # fetch() from the site's own page: the request a feed reader's browser extension makes.
            feed = page.evaluate(
                """async () => {
                  const response = await fetch("/feed/");
                  const doc = new DOMParser().parseFromString(await response.text(), "application/xml");
                  return {
                    status: response.status,
                    type: response.headers.get("content-type"),
                    parseError: doc.getElementsByTagName("parsererror").length,
                    root: doc.documentElement.nodeName,
                    version: doc.documentElement.getAttribute("version"),
                    titles: [...doc.querySelectorAll("channel > item > title")].map((t) => t.textContent),
                  };
                }"""
            )
            self.assertEqual(feed["status"], 200)
            self.assertTrue(feed["type"].startswith("application/rss+xml"), feed["type"])
            self.assertEqual(feed["parseError"], 0)
            self.assertEqual((feed["root"], feed["version"]), ("rss", "2.0"))
            self.assertEqual(feed["titles"], [self.article.title])
        finally:
            context.close()
