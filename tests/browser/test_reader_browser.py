"""A real Chromium (Debian's, driven by Playwright) reads the site on a phone and on a desktop."""

from urllib.parse import urlparse

import pytest

from tests.browser.base import SHOTS, BrowserTestCase, wait_until
from tests.factories import ensure_site, make_article, make_image, make_reporter, make_section

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

LONG_STORY = tuple(
    f"الفقرة رقم {i}: يواصل فريق العمل رصد التطورات الميدانية ونقلها إلى القراء أولاً بأول من موقع الحدث."
    for i in range(1, 25)
)


class TestReaderInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        section = make_section("عربي و دولي", "arab-world")
        reporter = make_reporter("أنس الشيخ أحمد", "anas", photo=make_image())
        for i in range(5):
            make_article(section, f"خبر قصير رقم {i} عن حركة الأسواق", featured_image=make_image(), tags=("أسواق",))
        self.article = make_article(
            section,
            "مشروع لتحلية مياه البحر يدخل الخدمة في البصرة",
            standfirst="المحطة تنتج مئتي ألف متر مكعب يومياً وتغطي ثلث حاجة المدينة.",
            reporters=(reporter,),
            featured_image=make_image(),
            featured_image_caption="المحطة عند الافتتاح",
            tags=("أسواق", "المياه"),
            paragraphs=LONG_STORY,
            is_breaking=True,
        )

    def open(self, path: str, viewport: str):
        context = self.browser.new_context(viewport=VIEWPORTS[viewport], locale="ar")
        page = context.new_page()
        foreign, broken = [], []
        own_host = urlparse(self.live_server_url).netloc
        page.on("response", lambda r: r.status >= 400 and broken.append(f"{r.status} {r.url}"))
        page.on(
            "request",
            lambda request: urlparse(request.url).netloc not in (own_host, "") and foreign.append(request.url),
        )
        response = page.goto(self.live_server_url + path, wait_until="networkidle")
        self.assertEqual(response.status, 200)
        self.assertEqual(broken, [], "a resource of the page failed to load")
        return context, page, foreign

    def check_reader_page(self, path: str, name: str):
        for viewport in VIEWPORTS:
            context, page, foreign = self.open(path, viewport)
            try:
                self.assertEqual(page.evaluate("document.documentElement.dir"), "rtl")
                self.assertEqual(page.evaluate("document.documentElement.lang"), "ar")
                self.assertEqual(foreign, [], "a reader page requested another host")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                self.assertLessEqual(overflow, 0, f"{name} scrolls sideways on {viewport}")
                fonts = page.evaluate(
                    "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)"
                )
                self.assertIn("Murasil Naskh", [f.strip('"') for f in fonts])
                page.screenshot(path=str(SHOTS / f"{name}-{viewport}.png"), full_page=True)
            finally:
                context.close()

    def test_home_page(self):
        self.check_reader_page("/", "home")

    def test_article_page(self):
        self.check_reader_page(self.article.get_absolute_url(), "article")

    def test_back_to_top_works_by_keyboard(self):
        context, page, _ = self.open(self.article.get_absolute_url(), "phone")
        try:
            button = page.locator("#to-top")
            self.assertEqual(button.get_attribute("href"), "#top")
            self.assertIn("is-hidden", button.get_attribute("class"))
            page.mouse.wheel(0, 4000)
            wait_until(page, "window.scrollY > 1000")
            wait_until(page, "!document.getElementById('to-top').classList.contains('is-hidden')")
            self.assertTrue(button.is_visible())
            button.focus()
            page.keyboard.press("Enter")
            wait_until(page, "window.scrollY === 0")
            self.assertEqual(page.evaluate("document.activeElement.id"), "top")
            self.assertEqual(button.inner_text().strip().split()[-1], "الأعلى")
        finally:
            context.close()

    def test_section_navigation_by_click(self):
        context, page, _ = self.open("/", "desktop")
        try:
            page.get_by_role("navigation", name="الأقسام").get_by_role("link", name="عربي و دولي").click()
            page.wait_for_url("**/arab-world/")
            self.assertEqual(page.locator("h1").inner_text(), "عربي و دولي")
            page.get_by_role("link", name=self.article.title).first.click()
            page.wait_for_load_state()
            self.assertEqual(page.locator("h1.headline").inner_text(), self.article.title)
            self.assertTrue(page.get_by_role("heading", name="مقالات ذات صلة").is_visible())
        finally:
            context.close()
