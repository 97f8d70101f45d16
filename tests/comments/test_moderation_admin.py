"""Editors moderate in the Wagtail admin: queue with count, filters, approve/spam/trash, staff replies."""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from murasil.comments.models import Comment
from tests.newsroom import NewsroomTestCase

from .helpers import make_comment


class TestModerationQueue(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pending = make_comment(
            cls.lead, "هل سيُفتح الجسر للشاحنات؟", status=Comment.Status.PENDING, email="q@reader.example",
            ip_address="203.0.113.7",
        )  # fmt: skip
        cls.approved = make_comment(cls.lead, "خبر سار لأهل بغداد")
        cls.spam = make_comment(cls.related, "اربح المال بسرعة", status=Comment.Status.SPAM)

    def setUp(self):
        self.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "s3cret-pass")
        self.client.force_login(self.editor)

    def list_url(self, **params):
        from urllib.parse import urlencode

        return reverse("wagtailsnippets_comments_comment:list") + ("?" + urlencode(params) if params else "")

    def test_menu_shows_pending_count(self):
        response = self.client.get("/admin/")
        self.assertContains(response, '"name": "comments"')
        label = json.dumps("التعليقات (1)")[1:-1]  # the sidebar's props are JSON with escaped Arabic
        self.assertContains(response, label)

    def test_queue_shows_email_and_ip_to_editors(self):
        response = self.client.get(self.list_url(status="pending"))
        self.assertContains(response, "q@reader.example")
        self.assertContains(response, "203.0.113.7")
        self.assertNotContains(response, "اربح المال بسرعة")
        self.assertContains(response, self.lead.get_absolute_url())

    def test_filter_by_article(self):
        response = self.client.get(self.list_url(article=self.related.pk))
        self.assertEqual([c.pk for c in response.context["object_list"]], [self.spam.pk])

    def test_approve_from_the_row_action(self):
        url = reverse("wagtail_bulk_action", args=["comments", "comment", "approve"]) + f"?id={self.pending.pk}"
        self.assertContains(self.client.get(url), "هل سيُفتح الجسر للشاحنات؟")
        self.client.post(url)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Comment.Status.APPROVED)
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.comment_count, 2)
        self.client.logout()
        self.assertContains(self.client.get(self.lead.get_absolute_url()), "هل سيُفتح الجسر للشاحنات؟")

    def test_bulk_spam_and_trash(self):
        ids = f"?id={self.pending.pk}&id={self.approved.pk}"
        self.client.post(reverse("wagtail_bulk_action", args=["comments", "comment", "spam"]) + ids)
        self.assertEqual(
            set(Comment.objects.filter(pk__in=[self.pending.pk, self.approved.pk]).values_list("status", flat=True)),
            {Comment.Status.SPAM},
        )
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.comment_count, 0)
        self.client.post(reverse("wagtail_bulk_action", args=["comments", "comment", "trash"]) + f"?id={self.spam.pk}")
        self.spam.refresh_from_db()
        self.assertEqual(self.spam.status, Comment.Status.TRASH)

    def test_staff_reply_is_marked_and_publishes_the_question(self):
        url = reverse("wagtailsnippets_comments_comment:reply", args=[self.pending.pk])
        self.assertContains(self.client.get(url), "هل سيُفتح الجسر للشاحنات؟")
        response = self.client.post(url, {"text": "نعم، بعد أسبوعين من الافتتاح."})
        self.assertEqual(response.status_code, 302)
        reply = Comment.objects.get(parent=self.pending)
        self.assertTrue(reply.is_staff_reply)
        self.assertEqual(reply.status, Comment.Status.APPROVED)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Comment.Status.APPROVED)
        self.client.logout()
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        self.assertIn('class="comment comment--staff"', page)
        self.assertIn("غرفة الأخبار", page)
        self.assertIn("نعم، بعد أسبوعين من الافتتاح.", page)

    def test_blocklist_is_editable(self):
        response = self.client.post(
            reverse("wagtailsnippets_comments_blockedterm:add"), {"kind": "email", "value": " Spammer@Example.COM "}
        )
        self.assertEqual(response.status_code, 302)
        from murasil.comments.models import BlockedTerm

        self.assertEqual(BlockedTerm.objects.get().value, "spammer@example.com")

    def test_user_without_permission_cannot_moderate(self):
        from django.contrib.auth.models import Group, Permission

        user = get_user_model().objects.create_user("writer", "w@example.com", "pass-w-123456")
        group = Group.objects.create(name="كتّاب")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group)
        self.client.force_login(user)
        url = reverse("wagtail_bulk_action", args=["comments", "comment", "approve"]) + f"?id={self.pending.pk}"
        self.client.post(url)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Comment.Status.PENDING)
        self.assertNotContains(self.client.get("/admin/"), '"name": "comments"')
