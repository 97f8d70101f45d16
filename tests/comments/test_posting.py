"""A reader posts a comment: validation in Arabic, moderation, the pending notice, replies, closing."""

import datetime

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from murasil.comments.models import BlockedTerm, Comment
from murasil.news.models import Article
from tests.newsroom import NewsroomTestCase

from .helpers import comment_data, make_comment, old_stamp, relax_limits


@override_settings(LANGUAGE_CODE="ar")
class TestPostingWithJavaScript(NewsroomTestCase):
    """The script posts with Accept: application/json after fetching a token."""

    def post(self, article=None, **overrides):
        article = article or self.lead
        return self.client.post(
            reverse("comments:post", args=[article.pk]), comment_data(**overrides), HTTP_ACCEPT="application/json"
        )

    def test_token_endpoint_is_private_and_sets_csrf_cookie(self):
        response = self.client.get(reverse("comments:token"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertTrue(response.json()["csrf"])
        self.assertTrue(response.json()["stamp"])
        self.assertIn("csrftoken", response.cookies)

    def test_new_comment_awaits_moderation(self):
        response = self.post()
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["status"], "pending")
        self.assertIn("تعليقك بانتظار المراجعة", data["html"])
        comment = Comment.objects.get(pk=data["id"])
        self.assertEqual(comment.status, Comment.Status.PENDING)
        self.assertEqual(comment.ip_address, "127.0.0.1")
        # Not on the public page for others; the author's browser is told to ask for it.
        self.assertEqual(response.cookies["murasil_pending"].value, "1")
        other = self.client_class()
        self.assertNotContains(other.get(self.lead.get_absolute_url()), "شكراً على التقرير الوافي.")

    def test_author_sees_own_pending_comment_and_nobody_else_does(self):
        comment_id = self.post().json()["id"]
        mine = self.client.get(reverse("comments:mine", args=[self.lead.pk]))
        self.assertEqual([c["id"] for c in mine.json()["comments"]], [comment_id])
        self.assertIn("private", mine["Cache-Control"])
        stranger = self.client_class().get(reverse("comments:mine", args=[self.lead.pk]))
        self.assertEqual(stranger.json()["comments"], [])

    def test_approved_comment_appears_with_count(self):
        comment = Comment.objects.get(pk=self.post().json()["id"])
        comment.status = Comment.Status.APPROVED
        comment.save()
        page = self.client.get(self.lead.get_absolute_url())
        self.assertContains(page, "شكراً على التقرير الوافي.")
        self.assertContains(page, 'التعليقات (<span class="comments-count">1</span>)', html=False)
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.comment_count, 1)
        self.assertContains(self.client.get("/arab-world/iraq/"), "تعليق واحد")

    def test_returning_commenter_is_approved_at_once(self):
        make_comment(self.related, email="salma@example.org")
        data = self.post().json()
        self.assertEqual(data["status"], "approved")
        self.assertNotIn("murasil_pending", self.client.cookies)
        relax_limits(auto_approve_known=False)
        self.assertEqual(self.post(text="تعليق ثان").json()["status"], "pending")

    def test_validation_errors_are_arabic_and_per_field(self):
        response = self.post(name="", email="not-an-email", text="")
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        self.assertEqual(set(errors), {"name", "email", "text"})
        self.assertIn("هذا الحقل مطلوب", errors["name"][0])
        self.assertIn("بريد", errors["email"][0])
        self.assertFalse(Comment.objects.exists())

    def test_too_many_links(self):
        text = "انظروا https://a.example و https://b.example و https://c.example"
        response = self.post(text=text)
        self.assertEqual(response.status_code, 400)
        self.assertIn("روابط", response.json()["errors"]["text"][0])

    def test_too_long(self):
        relax_limits(max_length=50)
        response = self.post(text="ك" * 51)
        self.assertEqual(response.status_code, 400)
        self.assertIn("text", response.json()["errors"])

    def test_honeypot_is_rejected_and_logged(self):
        with self.assertLogs("murasil.comments", "WARNING") as logs:
            response = self.post(nickname="http://spam.example")
        self.assertEqual(response.status_code, 400)
        self.assertIn("تعذّر قبول هذا التعليق", response.json()["message"])
        self.assertIn("honeypot", logs.output[0])
        self.assertFalse(Comment.objects.exists())

    def test_too_fast_is_rejected(self):
        response = self.post(stamp=old_stamp(seconds=0))
        self.assertEqual(response.status_code, 400)
        self.assertIn("بسرعة", response.json()["message"])
        self.assertFalse(Comment.objects.exists())

    def test_forged_stamp_is_rejected(self):
        response = self.post(stamp="forged")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Comment.objects.exists())

    def test_same_form_submitted_twice_is_stored_once(self):
        stamp = old_stamp()
        first = self.post(stamp=stamp).json()["id"]
        second = self.post(stamp=stamp).json()["id"]
        self.assertEqual(first, second)
        self.assertEqual(Comment.objects.count(), 1)

    def test_rate_limit_per_email(self):
        relax_limits(per_email_per_hour=2, per_ip_per_hour=100)
        self.assertEqual(self.post().status_code, 201)
        self.assertEqual(self.post().status_code, 201)
        with self.assertLogs("murasil.comments", "WARNING"):
            response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertIn("تعليقات كثيرة", response.json()["message"])
        self.assertEqual(self.post(email="other@example.org").status_code, 201)

    def test_rate_limit_per_ip(self):
        relax_limits(per_ip_per_hour=2, per_email_per_hour=100)
        for i in range(2):
            self.assertEqual(self.post(email=f"r{i}@example.org").status_code, 201)
        self.assertEqual(self.post(email="r9@example.org").status_code, 429)

    def test_blocklisted_comments_are_kept_as_spam(self):
        BlockedTerm.objects.create(kind="word", value="كازينو")
        BlockedTerm.objects.create(kind="domain", value="spam.example")
        first = self.post(text="أفضل كازينو على الإنترنت").json()
        second = self.post(email="x@mail.spam.example", text="نص عادي").json()
        self.assertEqual(first["status"], "pending")  # the reader is not told it was caught
        statuses = set(Comment.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {Comment.Status.SPAM})
        self.assertIn("blocklist", Comment.objects.get(pk=second["id"]).spam_reason)

    def test_reply_threads_and_depth_is_capped(self):
        top = make_comment(self.lead)
        level2 = make_comment(self.lead, parent=top)
        level3 = make_comment(self.lead, parent=level2)
        data = self.post(parent=str(level3.pk)).json()
        reply = Comment.objects.get(pk=data["id"])
        self.assertEqual(reply.depth, 3)
        self.assertEqual(reply.parent_id, level2.pk)  # joins the deepest thread instead of nesting further

    def test_reply_to_unapproved_comment_is_refused(self):
        pending = make_comment(self.lead, status=Comment.Status.PENDING)
        response = self.post(parent=str(pending.pk))
        self.assertEqual(response.status_code, 400)
        self.assertIn("parent", response.json()["errors"])

    def test_closed_per_article(self):
        Article.objects.filter(pk=self.lead.pk).update(comments_open=False)
        response = self.post()
        self.assertEqual(response.status_code, 403)
        self.assertIn("أُغلق", response.json()["message"])
        self.assertContains(self.client.get(self.lead.get_absolute_url()), "أُغلق باب التعليق على هذا المقال.")

    def test_closes_by_itself_after_n_days(self):
        relax_limits(close_after_days=3)
        Article.objects.filter(pk=self.lead.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=4))
        self.assertEqual(self.post().status_code, 403)
        page = self.client.get(self.lead.get_absolute_url())
        self.assertNotContains(page, 'class="comment-form"')

    def test_unpublished_article_takes_no_comments(self):
        self.assertEqual(self.post(article=self.draft).status_code, 404)

    def test_editors_are_emailed_once_per_quiet_period(self):
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-123456789")
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        with self.captureOnCommitCallbacks(execute=True):
            self.post(text="تعليق آخر", email="b@example.org")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["chief@example.org"])
        self.assertIn("?status=pending", mail.outbox[0].body)


@override_settings(LANGUAGE_CODE="ar")
class TestPostingWithoutJavaScript(NewsroomTestCase):
    """Plain form posts: CSRF-checked, confirmation page, errors keep the text, a thank-you page."""

    def setUp(self):
        from django.test import Client

        self.browser = Client(enforce_csrf_checks=True)

    def test_article_page_has_the_form_and_no_per_reader_data(self):
        page = self.browser.get(self.lead.get_absolute_url())
        self.assertContains(page, "اترك تعليقاً")
        self.assertContains(page, "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *")
        self.assertContains(page, '<input type="hidden" name="csrfmiddlewaretoken" value="">', html=False)
        self.assertContains(page, '<input type="hidden" name="stamp" value="">', html=False)
        for field in ("name", "email", "url", "text"):
            self.assertContains(page, f'id="id_{field}"')
        self.assertContains(page, '<span class="required" aria-hidden="true">*</span>', count=3)
        self.assertNotIn("csrftoken", page.cookies)  # cache-safe: nothing set for this reader

    def test_first_post_from_a_cached_page_asks_to_confirm_and_keeps_the_text(self):
        data = comment_data(stamp="")
        response = self.browser.post(reverse("comments:post", args=[self.lead.pk]), data)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "اضغط «أرسل التعليق» مرة أخرى", status_code=403)
        self.assertContains(response, "شكراً على التقرير الوافي.", status_code=403)
        self.assertContains(response, 'value="salma@example.org"', status_code=403)
        self.assertFalse(Comment.objects.exists())
        # The confirmation page carries a real token; sending it stores the comment.
        html = response.content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        self.assertTrue(token)
        final = self.browser.post(
            reverse("comments:post", args=[self.lead.pk]), {**data, "csrfmiddlewaretoken": token, "stamp": old_stamp()}
        )
        self.assertEqual(final.status_code, 303)
        thanks = self.browser.get(final["Location"])
        self.assertContains(thanks, "تعليقك بانتظار المراجعة")
        self.assertContains(thanks, "شكراً على التقرير الوافي.")
        self.assertEqual(Comment.objects.count(), 1)

    def test_errors_come_back_next_to_the_fields_with_input_kept(self):
        token = self.browser.get(reverse("comments:token")).json()["csrf"]
        data = comment_data(email="بريد-خاطئ", csrfmiddlewaretoken=token)
        response = self.browser.post(reverse("comments:post", args=[self.lead.pk]), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'id="id_email-error"', status_code=400)
        self.assertContains(response, "شكراً على التقرير الوافي.", status_code=400)
        self.assertContains(response, 'value="سلمى"', status_code=400)

    def test_reply_link_works_without_javascript(self):
        top = make_comment(self.lead, text="هل من موعد لافتتاح الجسر الثاني؟")
        page = self.browser.get(self.lead.get_absolute_url())
        reply_url = reverse("comments:reply", args=[self.lead.pk, top.pk])
        self.assertContains(page, f'href="{reply_url}"')
        form_page = self.browser.get(reply_url)
        self.assertContains(form_page, "هل من موعد لافتتاح الجسر الثاني؟")
        self.assertContains(form_page, f'<input type="hidden" name="parent" value="{top.pk}">', html=False)

    def test_approved_comment_redirects_to_its_anchor(self):
        make_comment(self.related, email="salma@example.org")
        token = self.browser.get(reverse("comments:token")).json()["csrf"]
        response = self.browser.post(
            reverse("comments:post", args=[self.lead.pk]), comment_data(csrfmiddlewaretoken=token)
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("#comment-", response["Location"])


class TestCommentText(NewsroomTestCase):
    def test_text_is_escaped_paragraphs_kept_and_links_are_ugc(self):
        make_comment(
            self.lead,
            text="<script>alert(1)</script> أولاً\n\nثانياً: انظر https://example.org/تقرير\nسطر جديد",
            url="https://salma.example",
            name="<b>سلمى</b>",
        )
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; أولاً</p><p>ثانياً", page)
        self.assertIn('rel="nofollow ugc noopener"', page)
        self.assertIn("<br>سطر جديد", page)
        self.assertNotIn("<b>سلمى</b>", page)
        self.assertIn('<a href="https://salma.example" rel="nofollow ugc noopener">&lt;b&gt;سلمى&lt;/b&gt;</a>', page)

    def test_threads_render_nested_oldest_first(self):
        first = make_comment(self.lead, text="التعليق الأول")
        make_comment(self.lead, text="التعليق الثاني")
        make_comment(self.lead, text="رد على الأول", parent=first)
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        self.assertLess(page.index("التعليق الأول"), page.index("رد على الأول"))
        self.assertLess(page.index("رد على الأول"), page.index("التعليق الثاني"))
        replies = page.split(f'id="comment-{first.pk}"')[1].split('class="comment-replies"')[1]
        self.assertIn("رد على الأول", replies.split("</ol>")[0])
