"""A reader comments and replies in Chromium; an editor approves in the admin; a burst is throttled."""

from django.contrib.auth import get_user_model

import pytest

from murasil.comments.models import Comment
from tests.comments.helpers import relax_limits
from tests.factories import ensure_site, make_article, make_section

from .base import SHOTS, BrowserTestCase, wait_until

pytestmark = pytest.mark.browser


class TestCommentsInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        relax_limits(min_seconds=1)
        self.article = make_article(make_section("محليات", "local"), "افتتاح حديقة عامة جديدة في وسط المدينة")
        get_user_model().objects.create_superuser("editor", "editor@example.com", "editor-pass-123")

    def reader(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(self.live_server_url + self.article.get_absolute_url())
        return context, page

    def write(self, page, text, name="هالة", email="hala@example.org"):
        form = page.locator("#respond form")
        form.locator("#id_name").fill(name)
        form.locator("#id_email").fill(email)
        form.locator("#id_text").fill(text)
        page.wait_for_timeout(1100)  # the form's minimum writing time in this test
        form.get_by_role("button", name="أرسل التعليق").click()

    def approve_in_admin(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(self.live_server_url + "/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "editor-pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(self.live_server_url + "/admin/snippets/comments/comment/?status=pending")
        page.screenshot(path=str(SHOTS / "comments-admin-queue.png"))
        pending = Comment.objects.filter(status="pending").values_list("pk", flat=True)
        ids = "&".join(f"id={pk}" for pk in pending)
        page.goto(self.live_server_url + f"/admin/bulk/comments/comment/approve/?{ids}")
        page.get_by_role("button", name="نعم، تابع").click()
        page.wait_for_load_state()
        context.close()

    def test_post_see_pending_get_approved_and_reply(self):
        context, page = self.reader()
        try:
            self.write(page, "حديقة جميلة، نتمنى أن تبقى مفتوحة حتى المساء.")
            page.locator(".comment--pending").wait_for()
            self.assertIn("تعليقك بانتظار المراجعة", page.locator(".comment--pending").inner_text())
            # After a reload, only this reader still sees it (fetched for them, not in the page).
            page.reload()
            page.locator(".comment--pending").wait_for()
            other_context, other = self.reader()
            self.assertEqual(other.locator(".comment").count(), 0)
            other_context.close()

            self.approve_in_admin()
            page.reload()
            comment = page.locator("li.comment:not(.comment--pending)").first
            self.assertIn("حديقة جميلة", comment.inner_text())
            self.assertEqual(page.locator(".comments-count").inner_text(), "1")

            # Reply: the form moves under the comment, and the reply lands in its thread.
            comment.get_by_role("link", name="رد").first.click()
            self.assertTrue(page.evaluate("document.getElementById('respond').parentElement.matches('li.comment')"))
            self.write(page, "أوافقك الرأي، والإنارة ليلاً مهمة أيضاً.", name="سامر", email="samer@example.org")
            page.locator(".comment-replies .comment--pending").wait_for()
            page.screenshot(path=str(SHOTS / "comments-reply-phone.png"), full_page=True)
            reply = Comment.objects.get(name="سامر")
            self.assertEqual(reply.parent.name, "هالة")
        finally:
            context.close()

    def test_validation_errors_show_next_to_fields_and_keep_the_text(self):
        context, page = self.reader()
        try:
            self.write(page, "نص مهم لا أريد أن أفقده", email="ليس-بريداً")
            error = page.locator("#id_email-error")
            error.wait_for()
            self.assertIn("بريد", error.inner_text())
            self.assertEqual(page.locator("#id_text").input_value(), "نص مهم لا أريد أن أفقده")
            self.assertFalse(Comment.objects.exists())
        finally:
            context.close()

    def test_a_burst_is_throttled_with_a_clear_message(self):
        relax_limits(min_seconds=1, per_ip_per_hour=2)
        context, page = self.reader()
        try:
            for i in range(3):
                self.write(page, f"تعليق رقم {i} في سلسلة سريعة", email=f"burst{i}@example.org")
                wait_until(page, f"document.querySelectorAll('.comment--pending').length >= {min(i + 1, 2)}")
            wait_until(page, "document.querySelector('.form-message').textContent.length > 0")
            self.assertIn("تعليقات كثيرة", page.locator(".form-message").inner_text())
            self.assertEqual(Comment.objects.count(), 2)
        finally:
            context.close()
