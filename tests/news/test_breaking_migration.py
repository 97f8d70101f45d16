"""Migration news/0008: the old breaking flag becomes the end of the window it was shown for."""

import datetime

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from tests.factories import ensure_site, make_section

BEFORE = [("news", "0007_clean_stored_bodies")]
AFTER = [("news", "0008_breaking_until_live_coverage_notes")]


class TestBreakingFlagMigration(TransactionTestCase):
    # Like the live-server tests, this empties the database afterwards; tests that need the data
    # migrations' rows (site, groups, workflow) are TestCases, which pytest-django runs first.

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(executor_leaves())

    def test_flags_become_times_in_rows_and_revisions(self):
        ensure_site()
        section = make_section("أخبار", "news-section")
        old = self.migrate(BEFORE)
        Article = old.get_model("news", "Article")
        Revision = old.get_model("wagtailcore", "Revision")
        ContentType = old.get_model("contenttypes", "ContentType")
        now = timezone.now()
        hours = datetime.timedelta(hours=settings.MURASIL_BREAKING_HOURS)
        fresh = Article.objects.create(
            section_id=section.pk, title="عاجل حديث", slug="a", is_breaking=True, live=True,
            first_published_at=now - datetime.timedelta(hours=1),
        )  # fmt: skip
        stale = Article.objects.create(
            section_id=section.pk, title="عاجل قديم", slug="b", is_breaking=True, live=True,
            first_published_at=now - datetime.timedelta(days=2),
        )  # fmt: skip
        plain = Article.objects.create(
            section_id=section.pk, title="خبر عادي", slug="c", live=True, first_published_at=now
        )
        content_type, _ = ContentType.objects.get_or_create(app_label="news", model="article")
        revision = Revision.objects.create(
            base_content_type=content_type, content_type=content_type, object_id=str(fresh.pk),
            content={
                "title": "عاجل حديث", "is_breaking": True,
                "first_published_at": fresh.first_published_at.isoformat(),
            },
            created_at=now, object_str="عاجل حديث",
        )  # fmt: skip

        new = self.migrate(AFTER)
        Article = new.get_model("news", "Article")
        Revision = new.get_model("wagtailcore", "Revision")
        self.assertEqual(Article.objects.get(pk=fresh.pk).breaking_until, fresh.first_published_at + hours)
        self.assertEqual(Article.objects.get(pk=stale.pk).breaking_until, stale.first_published_at + hours)
        self.assertLess(Article.objects.get(pk=stale.pk).breaking_until, now)  # still out of the strip
        self.assertIsNone(Article.objects.get(pk=plain.pk).breaking_until)
        content = Revision.objects.get(pk=revision.pk).content
        self.assertNotIn("is_breaking", content)
        self.assertEqual(datetime.datetime.fromisoformat(content["breaking_until"]), fresh.first_published_at + hours)


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
