"""Wagtail's admin search boxes keep working on murasil.search.wagtail_backend, and on PostgreSQL a
publish no longer scans the whole index table for title norms (a rebuild sets them)."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from murasil.search.wagtail_backend import NormsOnRebuildBackend
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase
from tests.services import postgresql_url


class TestAdminSearch(NewsroomTestCase):
    def setUp(self):
        editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "s3cret-pass")
        self.client.force_login(editor)

    def test_page_search_finds_a_page(self):
        response = self.client.get("/admin/pages/search/", {"q": "نحن"})
        self.assertContains(response, "من نحن")
        self.assertContains(response, "هناك صفحة واحدة مطابقة")

    def test_image_search_finds_the_photo(self):
        response = self.client.get("/admin/images/", {"q": "الجسر"})
        self.assertContains(response, 'title="الجسر"')
        self.assertNotContains(response, 'title="هدى"')

    def test_reporter_search_finds_the_reporter(self):
        response = self.client.get("/admin/snippets/news/reporter/", {"q": "الساعدي"})
        self.assertContains(response, "هدى الساعدي")
        self.assertNotContains(response, "أنس الشيخ أحمد")


class TestTitleNormsOnPostgreSQL(NewsroomTestCase):
    def setUp(self):
        postgresql_url()
        self.assertEqual(connection.vendor, "postgresql")

    def test_the_backend_in_use_is_murasils(self):
        self.assertIsInstance(get_search_backend(), NormsOnRebuildBackend)

    def test_publishing_makes_no_pass_over_the_index(self):
        with CaptureQueriesContext(connection) as queries:
            article = make_article(self.world, "وزراء الطاقة يبحثون أسعار النفط في فيينا")
        sql = "\n".join(query["sql"] for query in queries.captured_queries)
        self.assertIn("wagtailsearch_indexentry", sql, "the article was indexed")
        self.assertNotIn('SET "title_norm"', sql)
        self.assertNotIn("AVG(", sql.upper())
        entry = IndexEntry.objects.get(object_id=str(article.pk), content_type__model="article")
        self.assertEqual(entry.title_norm, 1.0)

    def test_update_index_sets_every_norm(self):
        short = make_article(self.world, "قمة")
        long = make_article(self.world, "وزراء الطاقة في الدول المصدرة للنفط يبحثون الأسعار والإنتاج في فيينا")
        call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
        norm = dict(IndexEntry.objects.filter(content_type__model="article").values_list("object_id", "title_norm"))
        self.assertGreater(norm[str(short.pk)], 1.0, "a title shorter than the average weighs more")
        self.assertLess(norm[str(long.pk)], 1.0)
