"""Section archives page by keyset cursors: every article exactly once, newest first, both directions."""

import datetime

from django.test import override_settings
from django.utils import timezone

from murasil.news.models import Article
from murasil.news.pagination import make_cursor
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


@override_settings(MURASIL_PAGE_SIZE=4)
class TestKeysetPagination(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        same_moment = timezone.now() - datetime.timedelta(days=1)
        for i in range(9):
            # Three articles share a publish time: the id breaks the tie, so none is skipped or repeated.
            when = same_moment if i < 3 else same_moment - datetime.timedelta(hours=i)
            make_article(cls.sport, f"مباراة رقم {i} في الدوري المحلي", published_at=when)

    def expected(self):
        return list(Article.objects.published().filter(section=self.sport).newest_first().values_list("pk", flat=True))

    def walk(self, start_url):
        seen, url, pages = [], start_url, 0
        while url:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            page = response.context["page_obj"]
            seen += [a.pk for a in page.items]
            url = f"/sport/?before={page.older_cursor}" if page.older_cursor else None
            pages += 1
        return seen, pages

    def test_older_pages_cover_everything_once(self):
        seen, pages = self.walk("/sport/")
        self.assertEqual(seen, self.expected())
        self.assertEqual(pages, 3)  # 11 articles, 4 a page

    def test_newer_link_goes_back(self):
        first = self.client.get("/sport/").context["page_obj"]
        second = self.client.get(f"/sport/?before={first.older_cursor}").context["page_obj"]
        self.assertIsNotNone(second.newer_cursor)
        back = self.client.get(f"/sport/?after={second.newer_cursor}").context["page_obj"]
        self.assertEqual([a.pk for a in back.items], [a.pk for a in first.items])
        self.assertIsNone(back.newer_cursor)

    def test_pager_links_in_html(self):
        response = self.client.get("/sport/")
        self.assertContains(response, "أخبار أقدم")
        self.assertNotContains(response, "أخبار أحدث")

    def test_deep_page_uses_the_same_query_shape(self):
        """Page N costs what page 1 costs: the SQL has no OFFSET, only a keyset range."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        last = Article.objects.get(pk=self.expected()[-2])
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(f"/sport/?before={make_cursor(last)}")
        article_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "news_article"' in q["sql"]]
        self.assertTrue(article_sql)
        self.assertFalse(any("OFFSET" in sql for sql in article_sql))
