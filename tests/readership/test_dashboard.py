"""The admin dashboard: readership chart and top articles, review, schedule and comment queues, per role."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import GroupApprovalTask, Workflow, WorkflowState, WorkflowTask

from bs4 import BeautifulSoup

from murasil.comments.models import Comment
from murasil.news.models import Article
from murasil.readership.chart import nice_ceiling
from murasil.readership.models import DailyArticleViews
from murasil.roles import groups
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_section


def make_user(username: str, group_name: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "s3cret-pass")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def owned(article: Article, user) -> Article:
    Article.objects.filter(pk=article.pk).update(owner=user)
    article.owner = user
    return article


class TestDashboard(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("salma", groups.EDITOR)
        cls.reporter = make_user("karim", groups.REPORTER)
        cls.other_reporter = make_user("nour", groups.REPORTER)
        section = make_section("محليات", "local")
        cls.mine = owned(make_article(section, "تقرير كريم عن الأسواق الشعبية"), cls.reporter)
        cls.theirs = owned(make_article(section, "تحقيق نور عن مياه الشرب"), cls.other_reporter)
        today = timezone.localdate()
        for days_ago in range(30):
            day = today - datetime.timedelta(days=days_ago)
            DailyArticleViews.objects.create(article=cls.mine, day=day, views=10 + days_ago)
            DailyArticleViews.objects.create(article=cls.theirs, day=day, views=1000)
        DailyArticleViews.objects.create(article=cls.theirs, day=today - datetime.timedelta(days=40), views=77_777)
        make_comment(cls.theirs, text="تعليق ينتظر المراجعة من القارئ", status=Comment.Status.PENDING, name="سعاد")
        make_comment(cls.theirs, text="تعليق منشور", status=Comment.Status.APPROVED)

        # In review: a workflow state as any configured workflow would make one.
        workflow = Workflow.objects.create(name="مراجعة التحرير")
        task = GroupApprovalTask.objects.create(name="موافقة المحرر")
        task.groups.set([Group.objects.get(name=groups.EDITOR)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        cls.review_mine = owned(make_article(section, "مسودة كريم بانتظار الموافقة", publish=False), cls.reporter)
        cls.review_theirs = owned(make_article(section, "مسودة نور للموافقة", publish=False), cls.other_reporter)
        workflow.start(cls.review_mine, cls.reporter)
        workflow.start(cls.review_theirs, cls.other_reporter)

        # Scheduled: publish with a go-live time in the future.
        cls.scheduled_mine = owned(make_article(section, "خبر كريم المجدول للغد", publish=False), cls.reporter)
        cls.scheduled_theirs = owned(make_article(section, "خبر نور المجدول للغد", publish=False), cls.other_reporter)
        for article in (cls.scheduled_mine, cls.scheduled_theirs):
            article.go_live_at = timezone.now() + datetime.timedelta(hours=20)
            article.save_revision().publish()

    def dashboard(self, user) -> BeautifulSoup:
        self.client.force_login(user)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def test_workflow_states_exist(self):
        self.assertEqual(
            WorkflowState.objects.active().filter(base_content_type=ContentType.objects.get_for_model(Article)).count(),
            2,
        )

    def test_editor_sees_the_whole_newsroom(self):
        page = self.dashboard(self.editor)
        panel = page.select_one("#readership-content") or page.select_one("[id^=readership]")
        text = page.get_text(" ", strip=True)
        self.assertIsNotNone(panel)
        chart = page.select_one("svg.readership-chart")
        self.assertEqual(chart["role"], "img")
        self.assertEqual(chart.select_one("title").get_text(), "مشاهدات المقالات في اليوم، آخر 30 يوماً")
        self.assertEqual(chart["direction"], "rtl")
        self.assertEqual(len(chart.select("rect.bar")), 30)
        rows = page.select("figure table tbody tr")
        self.assertEqual(len(rows), 30)
        # Newest first in the table: today = 10 (mine) + 1000 (theirs).
        self.assertEqual(rows[0].select_one("td").get_text(), "1,010")
        self.assertEqual(rows[-1].select_one("td").get_text(), "1,039")
        # 30-day total excludes the older row.
        total = sum(10 + d for d in range(30)) + 30 * 1000
        self.assertIn(f"{total:,}", text)
        self.assertNotIn("77,777", text)
        top_week = page.select_one("#readership-top-week").find_parent("section")
        names = [a.get_text(strip=True) for a in top_week.select("td.title a:first-child")]
        self.assertEqual(names[:2], [self.theirs.title, self.mine.title])
        self.assertIn("7,000", top_week.get_text())
        # Queues: both articles in review, both scheduled, the pending comment.
        self.assertIn(self.review_mine.title, text)
        self.assertIn(self.review_theirs.title, text)
        self.assertIn("موافقة المحرر", text)
        self.assertIn(self.scheduled_mine.title, text)
        self.assertIn(self.scheduled_theirs.title, text)
        comments = page.select_one("#queue-comments")
        self.assertIn("1", comments.get_text())
        self.assertIn("تعليق ينتظر المراجعة", text)
        self.assertNotIn("تعليق منشور", text)

    def test_reporter_sees_their_own_articles_only(self):
        page = self.dashboard(self.reporter)
        text = page.get_text(" ", strip=True)
        chart = page.select_one("svg.readership-chart")
        self.assertEqual(chart.select_one("title").get_text(), "مشاهدات مقالاتك في اليوم، آخر 30 يوماً")
        rows = page.select("figure table tbody tr")
        self.assertEqual(rows[0].select_one("td").get_text(), "10")
        self.assertNotIn(self.theirs.title, text)
        self.assertIn(self.mine.title, text)
        self.assertIn(self.review_mine.title, text)
        self.assertNotIn(self.review_theirs.title, text)
        self.assertIn(self.scheduled_mine.title, text)
        self.assertNotIn(self.scheduled_theirs.title, text)
        self.assertIsNone(page.select_one("#queue-comments"))
        self.assertNotIn("تعليق ينتظر المراجعة", text)

    def test_an_account_outside_the_newsroom_sees_no_panel(self):
        outsider = get_user_model().objects.create_user("guest", "g@example.com", "s3cret-pass")
        from django.contrib.auth.models import Permission

        outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
        page = self.dashboard(outsider)
        self.assertIsNone(page.select_one("svg.readership-chart"))
        self.assertIsNone(page.select_one("#queue-review"))

    @override_settings(LANGUAGE_CODE="en")
    def test_left_to_right_in_english(self):
        self.editor.wagtail_userprofile.preferred_language = "en"
        self.editor.wagtail_userprofile.save()
        chart = self.dashboard(self.editor).select_one("svg.readership-chart")
        self.assertEqual(chart["direction"], "ltr")
        self.assertEqual(chart.select_one("title").get_text(), "Article views per day, last 30 days")
        bars = chart.select("rect.bar")
        # Oldest first from the left: the first bar (30 days ago, 1039 views) is the tallest and leftmost.
        xs = [float(bar["x"]) for bar in bars]
        self.assertEqual(xs, sorted(xs))

    def test_axis_ceiling(self):
        self.assertEqual([nice_ceiling(v) for v in (0, 1, 3, 7, 12, 99, 101, 4500)], [1, 1, 5, 10, 20, 100, 200, 5000])
