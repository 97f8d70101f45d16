"""The cache as HTTP sees it: who gets cached pages, headers, validators, HEAD, codings, query strings."""

import gzip
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.db.utils import OperationalError
from django.test import override_settings
from django.utils.http import http_date

import brotli

from murasil.pagecache import purge

from .base import PageCacheTestCase

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


class TestWhoIsServedFromTheCache(PageCacheTestCase):
    def login_staff(self):
        user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pass-1234-word")
        self.client.force_login(user)

    def test_anonymous_readers_share_one_copy_whatever_their_other_cookies(self):
        url = self.lead.get_absolute_url()
        self.assertEqual(self.client.get(url)["X-Cache"], "MISS")
        # A reader who fetched the comment form's token, or posted a comment, has cookies of ours.
        self.client.cookies["csrftoken"] = "x" * 32
        self.client.cookies["murasil_pending"] = "1"
        hit = self.client.get(url)
        self.assertEqual(hit["X-Cache"], "HIT")
        self.assertFalse(hit.cookies)
        self.assertNotIn("Set-Cookie", hit)

    def test_staff_bypass_and_never_fill_the_cache(self):
        url = self.lead.get_absolute_url()
        self.client.get(url)
        self.login_staff()
        staff = self.client.get(url)
        self.assertEqual(staff["X-Cache"], "BYPASS")
        self.assertEqual(staff["Cache-Control"], "private, no-store")
        self.assertIn("wagtail-userbar", staff.content.decode())  # the page a member of staff sees
        purge.changed({f"a:{self.lead.pk}"})
        self.client.get(url)  # staff renders after the purge: nothing may be stored from it
        self.client.logout()
        anonymous = self.client.get(url)
        self.assertEqual(anonymous["X-Cache"], "MISS")
        self.assertNotIn("wagtail-userbar", anonymous.content.decode())

    def test_credentials_bypass(self):
        url = "/wp-json/wp/v2/posts"
        self.client.get(url)
        self.assertNotIn("X-Cache", self.client.get(url, headers={"Authorization": "Basic dXNlcjpwYXNz"}))

    @override_settings(ROOT_URLCONF="tests.pagecache.urls")
    def test_answers_that_set_a_cookie_or_vary_are_never_stored(self):
        for url in ("/cookie/", "/varies/"):
            first, second = self.client.get(url), self.client.get(url)
            self.assertEqual((first["X-Cache"], second["X-Cache"]), ("MISS", "MISS"), url)
        self.assertEqual(second.status_code, 200)
        self.assertEqual(self.client.get("/cookie/")["Cache-Control"], "private, no-store")

    def test_private_endpoints_posts_and_the_admin_are_not_cached(self):
        token = self.client.get("/comments/token/")
        self.assertNotIn("X-Cache", token)
        self.assertIn("private", token["Cache-Control"])
        self.assertNotIn("public", self.client.get("/admin/login/")["Cache-Control"])
        self.assertIn("no-store", self.client.get("/admin/login/")["Cache-Control"])
        self.assertNotIn("X-Cache", self.client.post("/wp-json/wp/v2/posts"))

    def test_errors_and_redirects_are_not_stored(self):
        for url in ("/no-such-page/", f"/sport/{self.lead.pk}/"):
            first, second = self.client.get(url), self.client.get(url)
            self.assertIn(first.status_code, (301, 404))
            self.assertEqual(second.get("X-Cache"), "MISS", url)


class TestHeaders(PageCacheTestCase):
    def test_a_hit_carries_the_headers_of_the_rendered_page(self):
        url = self.lead.get_absolute_url()
        miss, hit = self.client.get(url), self.client.get(url)
        self.assertEqual((miss["X-Cache"], hit["X-Cache"]), ("MISS", "HIT"))
        for name in (*SECURITY_HEADERS, "Content-Type", "Cache-Control", "ETag", "Last-Modified", "Vary"):
            self.assertTrue(hit.get(name), name)
            self.assertEqual(hit[name], miss[name], name)
        self.assertEqual(hit["Cache-Control"], "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400")
        self.assertEqual(hit["Vary"], "Accept-Encoding")
        self.assertEqual(hit.content, miss.content)
        self.assertEqual(hit["Content-Length"], str(len(hit.content)))

    def test_cache_control_by_kind(self):
        expected = {
            "/feed/": "public, max-age=300",
            "/sitemap.xml": "public, max-age=600",
            "/robots.txt": "public, max-age=3600",
            "/wp-json/wp/v2/posts": "public, max-age=60",  # the API's own choice is kept
        }
        for url, start in expected.items():
            for _ in range(2):
                self.assertTrue(self.client.get(url)["Cache-Control"].startswith(start), url)

    def test_compressed_once_and_served_in_the_coding_asked_for(self):
        url = "/"
        plain = self.client.get(url).content
        zipped = self.client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(zipped["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(zipped.content), plain)
        self.assertTrue(zipped["ETag"].startswith("W/"))
        br = self.client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual(br["Content-Encoding"], "br")
        self.assertEqual(brotli.decompress(br.content), plain)
        refused = self.client.get(url, headers={"Accept-Encoding": "br;q=0, gzip"})
        self.assertEqual(refused["Content-Encoding"], "gzip")
        self.assertLess(len(br.content), len(plain) / 3)


class TestConditionalRequests(PageCacheTestCase):
    def test_if_none_match(self):
        url = self.lead.get_absolute_url()
        first = self.client.get(url)
        again = self.client.get(url, headers={"If-None-Match": first["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], first["ETag"])
        self.assertEqual(again["X-Cache"], "HIT")
        # The weak validator of the compressed copy matches too.
        zipped = self.client.get(url, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(self.client.get(url, headers={"If-None-Match": zipped["ETag"]}).status_code, 304)
        self.assertEqual(self.client.get(url, headers={"If-None-Match": '"something-else"'}).status_code, 200)

    def test_if_modified_since(self):
        url = "/about/"
        first = self.client.get(url)
        self.assertEqual(self.client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code, 304)
        earlier = http_date(time.time() - 3600)
        self.assertEqual(self.client.get(url, headers={"If-Modified-Since": earlier}).status_code, 200)

    def test_a_purge_that_changes_nothing_keeps_the_validators(self):
        url = "/about/"
        first = self.client.get(url)
        purge.changed({"all"})
        again = self.client.get(url, headers={"If-None-Match": first["ETag"]})
        self.assertEqual((again.status_code, again["X-Cache"]), (304, "MISS"))
        self.assertEqual(self.client.get(url)["Last-Modified"], first["Last-Modified"])

    def test_a_change_changes_the_etag(self):
        url = self.lead.get_absolute_url()
        first = self.client.get(url)
        article = type(self.lead).objects.get(pk=self.lead.pk)
        article.standfirst = "نص تمهيدي جديد للخبر."
        article.save_revision().publish()
        self.assertEqual(self.client.get(url, headers={"If-None-Match": first["ETag"]}).status_code, 200)


class TestHead(PageCacheTestCase):
    def test_head_is_answered_from_the_get_copy(self):
        url = self.lead.get_absolute_url()
        get = self.client.get(url)
        head = self.client.head(url)
        self.assertEqual((head.status_code, head["X-Cache"]), (200, "HIT"))
        self.assertEqual(head.content, b"")
        self.assertEqual(head["Content-Length"], get["Content-Length"])
        self.assertEqual(head["ETag"], get["ETag"])

    def test_a_head_request_fills_the_cache_for_get(self):
        self.assertEqual(self.client.head("/sport/")["X-Cache"], "MISS")
        self.assertEqual(self.client.get("/sport/")["X-Cache"], "HIT")


class TestQueryStrings(PageCacheTestCase):
    def test_cursors_and_searches_have_their_own_copies(self):
        page = self.client.get("/arab-world/")
        self.assertEqual(self.client.get("/arab-world/?before=2000-01-01T00:00:00.1").get("X-Cache"), "MISS")
        self.assertEqual(self.client.get("/arab-world/")["X-Cache"], "HIT")
        baghdad = self.client.get("/search/", {"q": "بغداد"})
        match = self.client.get("/search/", {"q": "مباراة"})
        self.assertNotEqual(baghdad.content, match.content)
        self.assertEqual(self.client.get("/search/", {"q": "بغداد"})["X-Cache"], "HIT")
        self.assertTrue(page.content)

    def test_tracking_parameters_share_the_plain_copy_and_never_reach_the_view(self):
        url = self.lead.get_absolute_url()
        self.client.get(url)
        tracked = self.client.get(url + "?utm_source=newsletter&utm_medium=email&fbclid=abc")
        self.assertEqual(tracked["X-Cache"], "HIT")
        purge.changed({f"a:{self.lead.pk}"})
        rendered = self.client.get(url + "?utm_source=newsletter&gclid=xyz")
        self.assertEqual(rendered["X-Cache"], "MISS")
        self.assertNotIn("newsletter", rendered.content.decode())
        self.assertEqual(self.client.get(url)["X-Cache"], "HIT")

    def test_parameter_order_does_not_matter(self):
        self.client.get("/search/?q=بغداد&sort=newest")
        self.assertEqual(self.client.get("/search/?sort=newest&q=بغداد")["X-Cache"], "HIT")


class TestStaleOnError(PageCacheTestCase):
    def test_a_stale_copy_is_served_when_the_database_is_down(self):
        url = self.lead.get_absolute_url()
        good = self.client.get(url)
        purge.changed({f"a:{self.lead.pk}"})
        self.client.raise_request_exception = False
        with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
            answer = self.client.get(url)
        self.assertEqual((answer.status_code, answer["X-Cache"]), (200, "STALE"))
        self.assertEqual(answer.content, good.content)
        # Without a copy there is nothing to fall back on: the error page.
        with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
            self.assertEqual(self.client.get("/sport/").status_code, 503)
