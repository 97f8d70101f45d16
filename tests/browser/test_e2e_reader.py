"""End to end in Chromium: a reader's whole visit, and an editor moderating in the Arabic admin.

What the other browser tests already check is not repeated here: test_reader_browser.py (back to top by
keyboard on a phone, layout, fonts), test_comments_browser.py (pending view, replies, validation, the
burst limit, approval through the bulk URL), test_search_browser.py (suggestions while typing).
"""

import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from murasil.comments.models import Comment
from murasil.roles import groups
from tests.comments.helpers import relax_limits
from tests.factories import ensure_site, make_article, make_reporter, make_section

from .base import SHOTS, BrowserTestCase, wait_until

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

LONG_STORY = tuple(
    f"المقطع {i}: تتابع فرق الإنقاذ عملها في الأحياء المتضررة وتنقل الأسر إلى مراكز إيواء مؤقتة قرب المدينة."
    for i in range(1, 30)
)

groups_migration = importlib.import_module("murasil.roles.migrations.0001_newsroom_groups")


def newsroom_editor(username: str, password: str):
    """An account in the محرر group, as the newsroom would set one up (the migration's grants, not a superuser).
    Transactional tests flush the groups the migration made, so they are made again here."""
    groups_migration.create_groups(apps, None)
    user = get_user_model().objects.create_user(username, f"{username}@example.com", password)
    user.groups.add(Group.objects.get(name=groups.EDITOR))
    return user


class TestReaderVisitInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        self.section = make_section("محليات", "local")
        self.article = make_article(
            self.section,
            "أمطار غزيرة تغمر أحياء في المدينة وفرق الإنقاذ تعمل طوال الليل",
            standfirst="الدفاع المدني يقول إن المياه بدأت تنحسر صباح اليوم.",
            paragraphs=LONG_STORY,
        )

    def page(self, viewport=DESKTOP):
        context = self.browser.new_context(viewport=viewport, locale="ar")
        context.set_default_timeout(10_000)
        return context, context.new_page()

    def test_back_to_top_by_mouse_on_desktop(self):
        context, page = self.page()
        try:
            page.goto(self.live_server_url + self.article.get_absolute_url())
            button = page.locator("#to-top")
            # Near the top it is out of sight and cannot be clicked (but stays in the tab order).
            wait_until(page, "getComputedStyle(document.getElementById('to-top')).opacity === '0'")  # 0.2 s fade
            self.assertEqual(page.evaluate("getComputedStyle(document.getElementById('to-top')).pointerEvents"), "none")
            page.mouse.move(640, 450)
            page.mouse.wheel(0, 3000)
            wait_until(page, "window.scrollY > 1500")
            wait_until(page, "getComputedStyle(document.getElementById('to-top')).opacity === '1'")
            self.assertEqual(button.inner_text().split()[-1], "الأعلى")
            # Fixed at the inline end: in RTL that is the left side of the window.
            box = button.bounding_box()
            self.assertLess(box["x"], DESKTOP["width"] / 2)
            self.assertGreater(box["y"], DESKTOP["height"] / 2)
            page.screenshot(path=str(SHOTS / "e2e-back-to-top-scrolled-desktop.png"))

            button.click()
            wait_until(page, "window.scrollY === 0")
            # Focus goes back to the header (not left on the button at the bottom), and the address says so.
            self.assertEqual(page.evaluate("document.activeElement.id"), "top")
            self.assertTrue(page.url.endswith("#top"))
            wait_until(page, "document.getElementById('to-top').classList.contains('is-hidden')")
            # The next Tab continues from the header: the outlet's name, not the end of the article.
            page.keyboard.press("Tab")
            self.assertTrue(page.evaluate("document.activeElement.closest('.site-header') !== null"))
            self.assertEqual(page.evaluate("document.activeElement.className"), "brand-name")
            page.screenshot(path=str(SHOTS / "e2e-back-to-top-after-desktop.png"))
        finally:
            context.close()


class TestCommentModerationInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        relax_limits(min_seconds=1)
        self.article = make_article(make_section("ثقافة", "culture"), "معرض للخط العربي يستقبل زواره في المركز الثقافي")
        newsroom_editor("rana", "rana-editor-pass-9")

    def test_reader_comments_editor_approves_in_arabic_admin_reader_sees_it(self):
        reader_context = self.browser.new_context(viewport=DESKTOP, locale="ar")
        reader_context.set_default_timeout(10_000)
        reader = reader_context.new_page()
        editor_context = self.browser.new_context(viewport=DESKTOP, locale="ar")
        editor_context.set_default_timeout(10_000)
        editor = editor_context.new_page()
        try:
            reader.goto(self.live_server_url + self.article.get_absolute_url())
            form = reader.locator("#respond form")
            form.get_by_label("الاسم").fill("منى")
            form.get_by_label("البريد الإلكتروني").fill("mona@example.org")
            form.get_by_label("التعليق").fill("تنظيم رائع، وأتمنى أن يمدد المعرض أسبوعاً آخر.")
            reader.wait_for_timeout(1100)  # the minimum writing time this test sets
            form.get_by_role("button", name="أرسل التعليق").click()
            reader.locator(".comment--pending").wait_for()
            reader.screenshot(path=str(SHOTS / "e2e-comment-pending-desktop.png"), full_page=True)

            # The editor logs in to the admin, which speaks Arabic right to left.
            editor.goto(self.live_server_url + "/admin/login/")
            self.assertEqual(editor.evaluate("[document.documentElement.lang, document.dir]"), ["ar", "rtl"])
            editor.get_by_label("اسم المستخدم").fill("rana")
            editor.locator("#id_password").fill("rana-editor-pass-9")
            editor.locator("button[type=submit]").click()
            editor.wait_for_url("**/admin/")
            # The menu item carries the number waiting: one.
            menu_item = editor.get_by_role("link", name="التعليقات (1)")
            menu_item.click()
            editor.wait_for_url("**/admin/snippets/comments/comment/**")
            row = editor.locator("tr", has_text="تنظيم رائع")
            self.assertIn("mona@example.org", row.inner_text())  # the admin, and only it, shows the email
            self.assertIn("بانتظار المراجعة", row.inner_text())
            editor.screenshot(path=str(SHOTS / "e2e-admin-comment-queue.png"), full_page=True)

            # Row action «اعتماد» → confirmation page → «نعم، تابع».
            row.get_by_role("link", name="اعتماد").click()
            editor.wait_for_url("**/admin/bulk/comments/comment/approve/**")
            self.assertIn("تنظيم رائع", editor.locator("main").inner_text())
            editor.screenshot(path=str(SHOTS / "e2e-admin-comment-approve-confirm.png"))
            editor.get_by_role("button", name="نعم، تابع").click()
            editor.wait_for_url("**/admin/snippets/comments/comment/**")
            self.assertIn("حُدِّث تعليق واحد", editor.locator(".messages").inner_text())
            self.assertEqual(Comment.objects.get().status, Comment.Status.APPROVED)

            # The reader (and anyone) now sees it on the article, without the email.
            reader.reload()
            comment = reader.locator("li.comment:not(.comment--pending)")
            comment.wait_for()
            self.assertIn("منى", comment.inner_text())
            self.assertEqual(reader.locator(".comments-count").inner_text(), "1")
            self.assertEqual(reader.locator(".comment--pending").count(), 0)
            self.assertNotIn("mona@example.org", reader.content())
            comment.scroll_into_view_if_needed()
            reader.screenshot(path=str(SHOTS / "e2e-comment-approved-desktop.png"))
        finally:
            reader_context.close()
            editor_context.close()


class TestSearchVisitInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        mosul = make_section("الموصل", "mosul")
        anbar = make_section("الأنبار", "anbar")
        self.reporter = make_reporter("سلمى العبيدي", "salma")
        self.library = make_article(
            mosul,
            "مكتبة الموصل المركزية تعيد فتح أبوابها للقراء",
            standfirst="آلاف الكتب عادت إلى الرفوف بعد سنوات من الترميم.",
            reporters=(self.reporter,),
        )
        self.mobile = make_article(anbar, "مكتبة متنقلة تجوب قرى الأنبار في العطلة الصيفية")
        make_article(anbar, "افتتاح سوق شعبي جديد في الرمادي")

    def test_spelling_variant_highlighted_results_then_a_filter(self):
        context = self.browser.new_context(viewport=PHONE, locale="ar")
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            page.goto(self.live_server_url + "/")
            page.get_by_role("navigation", name="الأقسام").get_by_role("link", name="بحث").click()
            page.wait_for_url("**/search/")
            box = page.get_by_role("combobox", name="ابحث في الموقع")
            # ه for ة, as many readers type it: both libraries are found.
            box.fill("مكتبه")
            box.press("Enter")
            page.wait_for_url("**/search/?q=*")
            results = page.locator(".search-result")
            self.assertEqual(results.count(), 2)
            self.assertEqual(page.locator(".result-count").inner_text(), "نتيجتان")
            marks = page.locator(".search-result .card-title mark").all_inner_texts()
            self.assertEqual(marks, ["مكتبة", "مكتبة"])  # the word as written is marked, not the query
            page.screenshot(path=str(SHOTS / "e2e-search-results-phone.png"), full_page=True)

            # Refine: only the Mosul section.
            page.get_by_text("تضييق البحث").click()
            page.get_by_label("القسم").select_option(label="الموصل")
            page.get_by_role("button", name="بحث", exact=True).click()
            page.wait_for_url("**section=*")
            self.assertEqual(results.count(), 1)
            self.assertIn(self.library.title, results.first.inner_text())
            self.assertTrue(page.locator("details.search-filters").evaluate("d => d.open"))
            self.assertEqual(box.input_value(), "مكتبه")
            page.screenshot(path=str(SHOTS / "e2e-search-filtered-phone.png"), full_page=True)

            results.first.get_by_role("link").click()
            page.wait_for_url("**" + self.library.get_absolute_url())
            self.assertEqual(page.locator("h1.headline").inner_text(), self.library.title)
        finally:
            context.close()
