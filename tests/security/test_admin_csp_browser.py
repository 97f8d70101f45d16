"""The Wagtail admin under its Content-Security-Policy, in Chromium: nothing it needs is blocked."""

from django.contrib.auth import get_user_model

import pytest

from tests.browser.base import SHOTS, BrowserTestCase
from tests.factories import ensure_site
from tests.newsroom import NewsroomTestCase

pytestmark = pytest.mark.browser

PASSWORD = "نافذة-المحرر-2026"
# Collects every CSP violation the page reports, from the first script on.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


class TestAdminUnderItsPolicy(BrowserTestCase):
    def setUp(self):
        ensure_site()  # an earlier transactional test may have emptied what the migrations made
        NewsroomTestCase.setUpTestData.__func__(type(self))
        get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)

    def test_login_dashboard_and_article_editor_have_no_violations(self):
        page = self.browser.new_page()
        page.add_init_script(LISTEN)
        console_errors = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))
        violations = []

        def collect(where: str) -> None:
            page.wait_for_load_state("networkidle")
            violations.extend(f"{where}: {v}" for v in page.evaluate("window.__csp"))

        page.goto(self.live_server_url + "/admin/login/")
        collect("login")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(self.live_server_url + "/admin/")
        collect("dashboard")
        # The sidebar is drawn by the admin's JavaScript: it only appears when the scripts ran.
        page.wait_for_selector(".sidebar-main-menu, [data-wagtail-sidebar] nav", timeout=10_000)

        page.goto(self.live_server_url + f"/admin/snippets/news/article/edit/{self.lead.pk}/")
        collect("editor")
        # Draftail (the rich-text editor) rendered and the title field is editable: the scripts ran.
        page.wait_for_selector(".Draftail-Editor", timeout=10_000)
        title = page.locator("#id_title")
        title.fill(self.lead.title + " — محدث")
        self.assertEqual(title.input_value(), self.lead.title + " — محدث")
        page.screenshot(path=str(SHOTS / "admin-editor-csp.png"))

        # The two-step verification page: its QR code (a data: SVG made by the app) is shown.
        page.goto(self.live_server_url + "/admin/account/two-factor/")
        collect("two-factor")
        self.assertGreater(page.evaluate("document.querySelector('img.murasil-otp-qr').naturalWidth"), 0)
        page.screenshot(path=str(SHOTS / "admin-two-factor.png"))
        self.assertEqual(violations, [])
        self.assertEqual([e for e in console_errors if "Content Security Policy" in e], [])
        page.close()
