"""Every collection costs a fixed number of queries, whatever the page size (no query per item)."""

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.comments.helpers import make_comment
from tests.factories import make_article, make_image, make_section, make_static_page

from .base import API, ApiTestCase

ROUTES = ["posts", "posts?_embed", "pages", "media", "categories", "tags", "users", "comments"]


# What rendering costs: with the page cache on, the repeated requests would be cache hits.
@override_settings(MURASIL_PAGE_CACHE=False)
class TestQueryCounts(ApiTestCase):
    def count(self, url: str) -> int:
        self.client.get(url)  # warm per-process caches (content types, site root)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_fixed_queries_per_collection(self):
        url = {route: f"{API}{route}{'&' if '?' in route else '?'}per_page=100" for route in ROUTES}
        before = {route: self.count(url[route]) for route in ROUTES}
        # More of everything each list shows: articles with bylines, tags, photos and comments.
        for index in range(6):
            article = make_article(
                self.world, f"خبر إضافي رقم {index}", reporters=(self.anas, self.huda), tags=(f"وسم{index}",),
                featured_image=make_image(f"صورة {index}"), standfirst="",
            )  # fmt: skip
            make_comment(article, f"تعليق رقم {index}")
        make_static_page("اتصل بنا", "contact", "<p>للتواصل مع غرفة الأخبار.</p>")
        make_section("ثقافة", "culture")
        for route in ROUTES:
            with self.subTest(route=route):
                self.assertEqual(
                    self.count(url[route]), before[route], f"{route}: queries grow with the number of items"
                )

    def test_post_list_query_budget(self):
        self.client.get(API + "posts")  # creates the comment settings row on first use
        cache.clear()
        # count, articles, bylines, tags, WordPress ids, comment settings, bodies, the images in them
        with self.assertNumQueries(8):
            self.client.get(API + "posts?per_page=100")
        # Rendered bodies and the total come from the cache while the articles are unchanged.
        with self.assertNumQueries(5):
            response = self.client.get(API + "posts?per_page=100")
        self.assertIn("body-image", response.content.decode())
