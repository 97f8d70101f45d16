"""`murasil demo` builds a believable Arabic newsroom once, and prints working admin credentials."""

import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from murasil.demo import content
from murasil.news.models import Article, Reporter, SectionPage

DATA_DIR = Path(tempfile.mkdtemp(prefix="murasil-demo-test-"))


@override_settings(DATA_DIR=DATA_DIR)
class TestDemoCommand(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("demo", no_serve=True, stdout=cls.output)

    def test_newsroom_is_loaded(self):
        self.assertGreaterEqual(Article.objects.published().count(), 40)
        self.assertGreaterEqual(SectionPage.objects.count(), 6)
        self.assertTrue(SectionPage.objects.filter(depth=4).exists(), "a child section such as العراق")
        self.assertGreaterEqual(Reporter.objects.exclude(photo=None).count(), 6)
        with_photo = Article.objects.published().exclude(featured_image=None).count()
        self.assertGreater(with_photo, 20)
        self.assertEqual(Article.objects.filter(live=False).count(), 4)  # three drafts and one scheduled

    def test_newsroom_at_work(self):
        """A breaking story in the strip, a live-coverage story, an article awaiting review, notes, accounts."""
        from django.contrib.auth.models import Group

        from murasil.roles import groups

        home = self.client.get("/").content.decode()
        strip = home.split('class="breaking"')[1].split("</section>")[0]
        self.assertIn("سيول مفاجئة", strip)
        live = Article.objects.get(slug="oman-flash-floods-schools-closed")
        self.assertTrue(live.live_coverage)
        self.assertEqual(live.live_updates.count(), 4)
        page = self.client.get(live.get_absolute_url())
        self.assertContains(page, "آخر تحديث")
        self.assertContains(page, "إعادة فتح الطريق الساحلي")
        waiting = Article.objects.get(slug="baghdad-schools-double-shift-survey")
        self.assertFalse(waiting.live)
        self.assertEqual(waiting.owner.username, "haider-alsaadi")
        self.assertEqual(waiting.current_workflow_state.requested_by, waiting.owner)
        notes = Article.objects.get(slug="tomato-crate-farm-to-table-investigation").editorial_notes
        self.assertIn("نقابة تجار الخضار", notes)
        for name in groups.ALL:
            self.assertTrue(Group.objects.get(name=name).user_set.exists(), name)
        user_model = get_user_model()
        self.assertFalse(user_model.objects.filter(is_superuser=False, email="").exists())
        self.assertEqual(Reporter.objects.get(slug="haider-alsaadi").user.username, "haider-alsaadi")

    def test_every_photo_has_its_renditions_ready(self):
        from murasil.images.backfill import make_all

        self.assertIn("Photo renditions:", self.output.getvalue())
        self.assertEqual(make_all()[1], 0, "the demo left a rendition to be made on a reader's request")

    def test_every_section_has_articles_and_the_home_page_renders(self):
        for section in SectionPage.objects.all():
            response = self.client.get(section.url)
            self.assertEqual(response.status_code, 200, section.title)
            self.assertTrue(response.context["page_obj"].items, section.title)
        home = self.client.get("/")
        self.assertContains(home, content.OUTLET_NAME)
        self.assertContains(home, "عاجل")
        for draft in content.DRAFT_ARTICLES + content.SCHEDULED_ARTICLES:
            self.assertNotContains(home, draft["title"])

    def test_every_demo_article_page_renders(self):
        for article in Article.objects.published():
            response = self.client.get(article.get_absolute_url())
            self.assertEqual(response.status_code, 200, article.title)
            self.assertContains(response, article.title)

    def test_demo_has_approved_and_pending_comments(self):
        from murasil.comments.models import Comment

        self.assertTrue(Comment.objects.filter(status="approved", is_staff_reply=True).exists())
        pending = Comment.objects.filter(status="pending").first()
        self.assertIsNotNone(pending)
        page = self.client.get(pending.article.get_absolute_url())
        self.assertNotContains(page, pending.text)
        approved = Comment.objects.filter(status="approved", article=pending.article).first()
        self.assertContains(page, approved.text.split("\n")[0])

    def test_search_evaluation_targets_and_database_parity(self):
        """nDCG@10 ≥ 0.95 with no zero-result query, and the very same matches on every database:
        both the SQLite and the PostgreSQL run compare against one committed snapshot."""
        import json

        from murasil.search.evaluation.metrics import QUERIES, evaluate, murasil_run

        result = evaluate(murasil_run)
        self.assertGreaterEqual(result["ndcg@10"], 0.95)
        self.assertEqual(result["zero_results"], 0)
        snapshot = json.loads(QUERIES.with_name("expected_matches.json").read_text(encoding="utf-8"))
        for row in result["rows"]:
            self.assertEqual(sorted(row["ranked"]), snapshot[row["id"]], row["query"])

    def test_related_articles_against_the_judgments(self):
        from murasil.search.evaluation.metrics import evaluate_related

        self.assertGreaterEqual(evaluate_related()["ndcg@5"], 0.88)

    def test_credentials_are_printed_and_work(self):
        printed = self.output.getvalue()
        self.assertIn("User:  admin", printed)
        password = printed.split("Password: ")[1].split()[0]
        self.assertTrue(self.client.login(username="admin", password=password))
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_second_run_keeps_data_and_password(self):
        before = Article.objects.count()
        again = StringIO()
        call_command("demo", no_serve=True, stdout=again)
        self.assertEqual(Article.objects.count(), before)
        self.assertIn("was not loaded again", again.getvalue())
        first_password = self.output.getvalue().split("Password: ")[1].split()[0]
        self.assertIn(f"Password: {first_password}", again.getvalue())
        self.assertEqual(get_user_model().objects.filter(is_superuser=True).count(), 1)
        self.assertEqual(get_user_model().objects.count(), 1 + len(content.NEWSROOM_ACCOUNTS))
