"""Security headers on reader pages, the admin and errors: django-csp's two policies and the rest."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from lxml import html

from tests.newsroom import NewsroomTestCase

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


class HeaderAssertions:
    def assert_common_headers(self, response) -> None:
        for name, value in EVERY_RESPONSE.items():
            self.assertEqual(response.get(name), value, name)
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
            self.assertIn(feature, permissions)


class TestReaderPages(HeaderAssertions, NewsroomTestCase):
    def reader_urls(self) -> list[str]:
        return ["/", self.lead.get_absolute_url(), "/arab-world/", "/author/anas/", "/search/?q=بغداد", "/about/"]

    def test_strict_policy_without_inline_script_on_every_reader_page(self):
        for url in self.reader_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assert_common_headers(response)
            policy = directives(response["Content-Security-Policy"])
            self.assertEqual(policy["script-src"], ["'self'"], url)  # no nonce used, no 'unsafe-inline'
            self.assertEqual(policy["style-src"], ["'self'"], url)
            self.assertEqual(policy["object-src"], ["'none'"], url)
            self.assertEqual(policy["frame-ancestors"], ["'none'"], url)
            self.assertEqual(response["X-Frame-Options"], "DENY", url)
            self.assertEqual(policy["base-uri"], ["'self'"], url)
            self.assertNotIn("'unsafe-inline'", response["Content-Security-Policy"], url)
            self.assertNotIn("'unsafe-eval'", response["Content-Security-Policy"], url)
            tree = html.fromstring(response.content)
            inline = [s for s in tree.xpath("//script[not(@src)]") if s.get("type") != "application/ld+json"]
            self.assertEqual(inline, [], url)
            self.assertEqual(tree.xpath("//@*[starts-with(name(), 'on')]"), [], url)  # no onclick= etc.
            self.assertEqual(tree.xpath("//@style"), [], url)

    def test_a_cache_hit_carries_the_same_headers(self):
        url = self.lead.get_absolute_url()
        first = self.client.get(url)
        hit = self.client.get(url)
        self.assertEqual(hit["X-Cache"], "HIT")
        for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", *EVERY_RESPONSE):
            self.assertEqual(hit[name], first[name], name)

    def test_not_found_and_feeds_have_them_too(self):
        for url in ("/no-such-page/", "/feed/", "/sitemap.xml", "/robots.txt"):
            response = self.client.get(url)
            self.assert_common_headers(response)
            self.assertIn("script-src 'self'", response["Content-Security-Policy"], url)


class TestAdmin(HeaderAssertions, TestCase):
    def test_login_page_gets_the_admin_policy(self):
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        self.assert_common_headers(response)
        policy = directives(response["Content-Security-Policy"])
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])  # no eval (docs/security.md)
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])  # Wagtail's preview panel
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("'unsafe-inline'", policy["style-src"])  # style attributes (docs/security.md)
        self.assertIn("no-store", response["Cache-Control"])

    def test_dashboard_and_editor_get_it_logged_in(self):
        user = get_user_model().objects.create_superuser("editor", "editor@example.com", "كلمة-سر-طويلة-2026")
        self.client.force_login(user)
        for url in ("/admin/", "/admin/pages/", "/admin/images/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assert_common_headers(response)
            self.assertNotIn("'unsafe-eval'", response["Content-Security-Policy"], url)
            self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN", url)
