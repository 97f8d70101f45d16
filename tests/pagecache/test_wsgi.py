"""The WSGI fast path (murasil/wsgi.py): fresh hits are answered without entering Django at all."""

from urllib.parse import unquote_to_bytes, urlsplit

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from murasil.pagecache import purge
from murasil.pagecache.wsgi import PageCacheApp

from .base import PageCacheTestCase


class TestFastPath(PageCacheTestCase):
    def setUp(self):
        # As Django's test client does: the test's transaction must survive the requests.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        self.addCleanup(signals.request_started.connect, close_old_connections)
        self.addCleanup(signals.request_finished.connect, close_old_connections)
        self.django_calls = 0
        django = WSGIHandler()

        def counting(environ, start_response):
            self.django_calls += 1
            return django(environ, start_response)

        self.app = PageCacheApp(counting)

    def call(self, path: str, method: str = "GET", **headers) -> tuple[str, dict, bytes]:
        # A server's environ: the path as bytes in latin-1, which Django decodes later.
        parts = urlsplit(path)
        environ = RequestFactory()._base_environ(
            PATH_INFO=unquote_to_bytes(parts.path).decode("iso-8859-1"),
            QUERY_STRING=parts.query,
            REQUEST_METHOD=method,
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        )
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(response_headers)

        body = b"".join(self.app(environ, start_response))
        return answer["status"], answer["headers"], body

    def test_a_fresh_hit_never_enters_django(self):
        url = self.lead.get_absolute_url()
        status, headers, body = self.call(url)
        self.assertEqual((status, headers["X-Cache"], self.django_calls), ("200 OK", "MISS", 1))
        status, hit_headers, hit_body = self.call(url)
        self.assertEqual((status, hit_headers["X-Cache"], self.django_calls), ("200 OK", "HIT", 1))
        self.assertEqual(hit_body, body)
        self.assertEqual(hit_headers["Content-Security-Policy"], headers["Content-Security-Policy"])
        self.assertNotIn("Set-Cookie", hit_headers)

    def test_conditional_head_and_coding_on_the_fast_path(self):
        url = "/about/"
        _, headers, body = self.call(url)
        status, not_modified, empty = self.call(url, if_none_match=headers["ETag"])
        self.assertEqual((status, empty), ("304 Not Modified", b""))
        self.assertEqual(not_modified["ETag"], headers["ETag"])
        status, head, empty = self.call(url, method="HEAD")
        self.assertEqual((status, empty, head["Content-Length"]), ("200 OK", b"", str(len(body))))
        _, zipped, _ = self.call(url, accept_encoding="gzip")
        self.assertEqual(zipped["Content-Encoding"], "gzip")
        self.assertEqual(self.django_calls, 1)

    def test_stale_entries_staff_and_posts_go_to_django(self):
        url = "/about/"
        self.call(url)
        purge.changed({"all"})
        self.assertEqual(self.call(url)[1]["X-Cache"], "MISS")
        self.assertEqual(self.django_calls, 2)
        self.call(url, cookie="sessionid=abc")
        self.assertEqual(self.django_calls, 3)
        self.call(url, method="POST")
        self.assertEqual(self.django_calls, 4)
