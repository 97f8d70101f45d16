"""Reader pages cost a fixed number of queries, however many articles there are."""

import datetime

from django.test import override_settings
from django.utils import timezone

from tests.factories import make_article, make_image
from tests.newsroom import NewsroomTestCase


# The cost of rendering a page: with the page cache on, the second request would be a hit.
@override_settings(MURASIL_PAGE_CACHE=False)
class TestQueryCounts(NewsroomTestCase):
    def count_queries(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)  # warm the chrome cache and the Wagtail site lookup like a running server
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def add_articles(self, count: int):
        start = timezone.now() - datetime.timedelta(days=3)
        for i in range(count):
            make_article(
                self.world if i % 2 else self.iraq,
                f"خبر إضافي رقم {i}",
                tags=("بغداد", f"وسم {i}"),
                published_at=start - datetime.timedelta(minutes=i),
                reporters=(self.anas,),
                featured_image=make_image() if i % 3 == 0 else None,
            )

    def test_counts_do_not_grow_with_content(self):
        urls = ["/", "/arab-world/", "/arab-world/iraq/", self.lead.get_absolute_url(), "/author/anas/"]
        self.add_articles(6)
        before = {url: self.count_queries(url) for url in urls}
        self.add_articles(18)
        after = {url: self.count_queries(url) for url in urls}
        self.assertEqual(before, after)
        # Upper bounds, so a new per-row query shows up here first. The home page makes one short
        # query per top-level section (two here).
        limits = {
            "/": 18,
            "/arab-world/": 12,
            "/arab-world/iraq/": 16,
            self.lead.get_absolute_url(): 11,
            "/author/anas/": 8,
        }
        for url, limit in limits.items():
            self.assertLessEqual(after[url], limit, url)
