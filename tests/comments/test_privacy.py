"""No public surface ever shows a commenter's email or IP address, or anything unpublished.

The sweep crawls every page a reader can reach from the home page, plus the feeds and the comment
endpoints, and looks for the secrets in bodies and headers.
"""

import re
from urllib.parse import urljoin, urlsplit

from django.urls import reverse

from murasil.comments.models import Comment
from tests.newsroom import NewsroomTestCase

from .helpers import make_comment

EMAIL = "secret.commenter@hidden-mail.example"
IP = "198.51.100.23"
SECRETS = [EMAIL, "secret.commenter", "hidden-mail.example", IP]
LINK = re.compile(r'(?:href|src|action)="([^"#]+)')


class TestPrivacySweep(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fields = {"email": EMAIL, "ip_address": IP, "user_agent": "SecretBrowser/1.0"}
        cls.approved = make_comment(cls.lead, "تعليق منشور للتجربة", **fields)
        make_comment(cls.lead, "رد منشور", parent=cls.approved, **fields)
        make_comment(cls.lead, "تعليق بانتظار المراجعة لا يراه أحد", status=Comment.Status.PENDING, **fields)
        make_comment(cls.lead, "تعليق مزعج محجوز", status=Comment.Status.SPAM, **fields)
        cls.on_draft = make_comment(cls.draft, "تعليق على مسودة", **fields)

    def crawl(self) -> dict[str, object]:
        seen, queue = {}, ["/"]
        while queue and len(seen) < 300:
            url = queue.pop()
            if url in seen:
                continue
            response = self.client.get(url)
            seen[url] = response
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for link in LINK.findall(response.content.decode()):
                target = urljoin(url, link)
                parts = urlsplit(target)
                internal = not parts.netloc or parts.netloc in ("testserver", "127.0.0.1:8000")
                if internal and not parts.path.startswith(("/admin", "/static", "/media", "/comments/post")):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return seen

    def extra_surfaces(self) -> list[str]:
        return [
            reverse("comments:feed"),
            reverse("comments:article_feed", args=[self.lead.pk]),
            reverse("comments:mine", args=[self.lead.pk]),
            reverse("comments:token"),
            reverse("comments:reply", args=[self.lead.pk, self.approved.pk]),
            "/robots.txt",
            "/no-such-page/",
        ]

    def test_sweep_finds_no_email_ip_or_unpublished_text(self):
        pages = self.crawl()
        for url in self.extra_surfaces():
            pages[url] = self.client.get(url)
        self.assertGreater(len(pages), 15, "the crawl should reach every page type")
        self.assertIn(self.lead.get_absolute_url(), pages)
        for url, response in pages.items():
            body = response.content.decode(errors="replace")
            headers = str(response.headers) + str(response.cookies)
            for secret in SECRETS:
                self.assertNotIn(secret, body, f"{secret} shown on {url}")
                self.assertNotIn(secret, headers, f"{secret} in the headers of {url}")
            hidden_texts = (
                "تعليق بانتظار المراجعة لا يراه أحد",
                "تعليق مزعج محجوز",
                "تعليق على مسودة",
                self.draft.title,
            )
            for hidden in hidden_texts:
                self.assertNotIn(hidden, body, f"unpublished text on {url}")
        # The published comments were really on the pages swept.
        self.assertIn("تعليق منشور للتجربة", pages[self.lead.get_absolute_url()].content.decode())
        self.assertIn("تعليق منشور للتجربة", pages[reverse("comments:feed")].content.decode())

    def test_feed_for_an_unpublished_article_is_404(self):
        self.assertEqual(self.client.get(reverse("comments:article_feed", args=[self.draft.pk])).status_code, 404)

    def test_comment_templates_never_load_email_or_ip(self):
        """The article view does not even fetch the private columns."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.lead.get_absolute_url())
        comment_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "comments_comment"' in q["sql"]]
        self.assertTrue(comment_sql)
        for sql in comment_sql:
            self.assertNotIn('"email"', sql)
            self.assertNotIn('"ip_address"', sql)
