"""A sample of the XSS battery in a real Chromium: the payloads in an article's body, headline and
standfirst, in comments, in the search box and in a listing's URL — and no trap fires.

The context bypasses the site's Content-Security-Policy on purpose: this checks that the markup is
harmless, not that CSP would catch it. `window.__xss` and `alert` are traps installed before any page
script runs; a control page proves the traps work.
"""

import pytest

from murasil.comments.models import Comment
from murasil.news.models import Article
from tests.factories import ensure_site, make_article, make_section
from tests.security.xss_payloads import BROWSER_SAMPLE

from .base import BrowserTestCase, wait_until

pytestmark = pytest.mark.browser

TRAP = """
window.__fired = [];
window.__xss = (n) => window.__fired.push(String(n));
window.alert = window.confirm = window.prompt = (n) => window.__fired.push("dialog " + n);
"""


class TestPayloadsInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        section = make_section("محليات", "local")
        self.article = make_article(
            section,
            "خبر الاختبار " + BROWSER_SAMPLE[0],
            standfirst=BROWSER_SAMPLE[1],
            tags=("اختبار",),
            paragraphs=tuple(f"فقرة {payload}" for payload in BROWSER_SAMPLE),
        )
        for payload in BROWSER_SAMPLE:
            Comment.objects.create(
                article=self.article, name=payload[:80], email="r@example.org", text=f"تعليق {payload}",
                status=Comment.Status.APPROVED,
            )  # fmt: skip
        Article.objects.filter(pk=self.article.pk).update(comment_count=len(BROWSER_SAMPLE))

    def open_context(self):
        context = self.browser.new_context(bypass_csp=True, locale="ar")
        context.set_default_timeout(10_000)
        context.add_init_script(TRAP)
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return context, page, dialogs

    def test_the_trap_catches_a_live_payload(self):
        context, page, dialogs = self.open_context()
        try:
            page.goto(self.live_server_url + "/search/")
            page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=__xss(1)>')")
            # The broken image's error event comes after a request to the server: wait for it (the
            # machine may be busy with other test processes), do not guess a delay.
            wait_until(page, "window.__fired.length > 0")
            self.assertEqual(page.evaluate("window.__fired"), ["1"])
        finally:
            context.close()

    def test_no_payload_runs(self):
        context, page, dialogs = self.open_context()
        try:
            urls = [self.article.get_absolute_url(), "/", "/local/"]
            urls += [f"/search/?q={payload}" for payload in BROWSER_SAMPLE]
            urls += [f"/local/?before={BROWSER_SAMPLE[3]}", f"/tag/اختبار/?after={BROWSER_SAMPLE[8]}"]
            fired = {}
            for url in urls:
                page.goto(self.live_server_url + url.replace("#", "%23").replace("&", "%26"))
                page.wait_for_load_state("load")
                # Hover and focus everything a reader might touch: handlers that need an event get one.
                page.evaluate(
                    """for (const el of document.querySelectorAll('main *')) {
                         for (const type of ['mouseover', 'pointerenter', 'focus', 'click']) {
                           if (el.tagName !== 'A' && el.tagName !== 'BUTTON') el.dispatchEvent(new Event(type));
                         }
                       }"""
                )
                # Every image loaded or failed (an onerror payload has had its chance), then a moment
                # for the events those queued.
                wait_until(page, "[...document.images].every(img => img.complete)")
                page.wait_for_timeout(100)
                if page.evaluate("window.__fired.length"):
                    fired[url] = page.evaluate("window.__fired")
            # Search as you type shows the payload headline through search.js.
            page.goto(self.live_server_url + "/search/")
            page.locator("#search-q").fill("خبر الاختبار")
            wait_until(page, "!document.getElementById('search-suggestions').hidden")
            self.assertIn("__xss(1)", page.locator("#search-suggestions").inner_text())  # shown as text
            if page.evaluate("window.__fired.length"):
                fired["suggestions"] = page.evaluate("window.__fired")
            self.assertEqual(fired, {})
            self.assertEqual(dialogs, [])
            page.goto(self.live_server_url + self.article.get_absolute_url())
            self.assertEqual(page.locator(".comment-text").count(), len(BROWSER_SAMPLE))
            self.assertIn("خبر الاختبار", page.locator("h1").inner_text())
        finally:
            context.close()
