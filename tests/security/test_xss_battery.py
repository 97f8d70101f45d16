"""The XSS battery: every payload in xss_payloads.py through every input a reader or an importer controls,
and every page, feed and API answer that shows it back, parsed and checked (checks.py).

Inputs: the comment form (name, website, text: the real POST view, with and without JavaScript, then
the article page, the reply page, the reader's own pending comments and the comment feeds), the search
box (/search/ and /search/suggest/, with its filters), URL parameters of listing pages (archive cursors,
tag and reporter slugs, the API's arguments, unknown paths), and WordPress content (a WXR file through
the real importer: titles, bodies, excerpts, categories, tags, authors, comments; then the article pages,
listings, search, feeds and the /wp-json/ API).
"""

import json
import re
import tempfile
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from django.test import TestCase, override_settings
from django.urls import reverse

from taggit.models import Tag

from lxml import etree

from murasil.comments.models import Comment
from murasil.news.models import Article, Reporter, SectionPage
from tests.comments.helpers import comment_data, relax_limits
from tests.factories import ensure_site
from tests.newsroom import NewsroomTestCase
from tests.wordpress.helpers import run_import

from .checks import assert_clean, assert_no_new_elements, assert_only_tags, json_ld_blocks, parse, problems
from .xss_payloads import PAYLOADS

HARMLESS = "كلمة لا توجد في أي خبر"
# What a reader's comment may contain once rendered: paragraphs, line breaks and urlize's links.
COMMENT_TAGS = {"p", "br", "a"}
BODY_TAGS = {"p", "br", "b", "i", "a", "ul", "ol", "li", "h2", "figure", "figcaption", "blockquote", "span", "img",
             "picture", "source", "iframe"}  # fmt: skip


def feed_items_html(testcase, content: bytes, where: str) -> list[str]:
    """The HTML inside a feed's entries (RSS description/content:encoded, Atom summary/content)."""
    root = etree.fromstring(content)  # a feed that is not well-formed XML fails here
    # Channel titles and descriptions are text (escaped once); entries carry HTML, escaped inside the XML.
    paths = ("channel/item/description", "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded",
             "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content",
             "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")  # fmt: skip
    parts = [el.text or "" for path in paths for el in root.findall(path)]
    testcase.assertTrue(all(isinstance(p, str) for p in parts), where)
    return parts


def rendered_strings(data) -> list[str]:
    """Every HTML string of a WordPress API answer: the "rendered" members and descriptions."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("rendered", "description") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(rendered_strings(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(rendered_strings(item))
    return found


@override_settings(LANGUAGE_CODE="ar")
class TestCommentInputs(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        relax_limits(max_links=50, per_ip_per_hour=10_000, per_email_per_hour=10_000, max_length=3000)

    def post(self, wants_json: bool, **fields):
        headers = {"HTTP_ACCEPT": "application/json"} if wants_json else {}
        # Without JavaScript the answer is a redirect to the "posted" page, which shows the comment back.
        return self.client.post(
            reverse("comments:post", args=[self.lead.pk]), comment_data(**fields), follow=not wants_json, **headers
        )

    def test_comment_fields(self):
        posted = 0
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                fields = {"name": payload[:80], "text": f"تعليق {number}: {payload}", "email": f"r{number}@example.org"}
                response = self.post(wants_json=number % 2 == 0, **fields)
                self.assertIn(response.status_code, (200, 201, 400), payload)
                if response["Content-Type"].startswith("application/json"):
                    data = response.json()
                    for value in rendered_strings(data) + [v for v in data.values() if isinstance(v, str)]:
                        self.assertEqual(problems(value), [], payload)
                else:
                    assert_clean(self, response.content, f"the comment POST answer for {payload!r}")
                posted += response.status_code == 201 or bool(getattr(response, "redirect_chain", None))
                # The website field: refused unless it is a web address, and echoed back harmlessly.
                response = self.post(wants_json=False, url=payload, text=f"موقعي {number}")
                assert_clean(self, response.content, f"the form page for website {payload!r}")
        self.assertGreater(posted, len(PAYLOADS) * 0.9, "most payloads are stored as comments")

        # The reader's own pending comments (this browser's cookie lists the last 20).
        mine = self.client.get(reverse("comments:mine", args=[self.lead.pk])).json()["comments"]
        self.assertTrue(mine)
        for item in mine:
            assert_clean(self, item["html"], "my pending comments")
            assert_only_tags(self, parse(item["html"]).find_class("comment-text")[0], COMMENT_TAGS, "a pending comment")

        Comment.objects.filter(article=self.lead).update(status=Comment.Status.APPROVED)
        Article.objects.filter(pk=self.lead.pk).update(comment_count=Comment.objects.filter(article=self.lead).count())
        from django.core.cache import cache

        cache.clear()
        page = self.client.get(self.lead.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        assert_clean(self, page.content, "the article page with the comments")
        root = parse(page.content)
        texts, authors = root.find_class("comment-text"), root.find_class("comment-author")
        self.assertGreaterEqual(len(texts), posted)
        for element in texts:
            assert_only_tags(self, element, COMMENT_TAGS, "a comment's text")
            for link in element.iter("a"):
                self.assertRegex(link.get("href"), r"^https?://")
        for element in authors:
            assert_only_tags(self, element, {"a"}, "a commenter's name")
        # Template syntax is shown as written, never evaluated.
        self.assertTrue("{{7*7}}" in page.content.decode() and "{% debug %}" in page.content.decode())
        # Bidi overrides are gone from names and texts (they would make them read differently).
        self.assertFalse(Comment.objects.filter(name__contains="\u202e").exists())
        self.assertFalse(Comment.objects.filter(text__contains="\u202e").exists())
        shown = page.content.decode()
        at = shown.find("\u202e")
        self.assertEqual(at, -1, shown[max(0, at - 200) : at + 50])

        comment = Comment.objects.filter(article=self.lead).first()
        reply = self.client.get(reverse("comments:reply", args=[self.lead.pk, comment.pk]))
        assert_clean(self, reply.content, "the reply page")
        for url in (reverse("comments:feed"), reverse("comments:article_feed", args=[self.lead.pk])):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            for part in feed_items_html(self, response.content, url):
                assert_clean(self, part, f"an entry of {url}")


@override_settings(LANGUAGE_CODE="ar")
class TestSearchAndListingParameters(NewsroomTestCase):
    def test_search_box_and_filters(self):
        baseline = self.client.get(reverse("search:page"), {"q": HARMLESS}).content
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                for params in (
                    {"q": payload},
                    {"q": HARMLESS, "section": payload, "reporter": payload, "from": payload, "to": payload},
                    {"q": HARMLESS, "sort": payload, "page": payload},
                ):
                    response = self.client.get(reverse("search:page"), params)
                    # A NUL byte is refused before any view (TestNulBytes).
                    self.assertEqual(response.status_code, 400 if "\x00" in payload else 200)
                    assert_clean(self, response.content, f"/search/ with {params}")
                    assert_no_new_elements(self, baseline, response.content, f"/search/ with {params}")
                response = self.client.get(reverse("search:suggest"), {"q": payload})
                if "\x00" in payload:
                    self.assertEqual(response.status_code, 400)
                    continue
                self.assertTrue(response["Content-Type"].startswith("application/json"))
                self.assertEqual(response.json()["q"], payload.strip()[:200])

    def test_listing_parameters_and_paths(self):
        section_url = self.iraq.url
        tag_url = reverse("news:tag", args=["بغداد"])
        reporter_url = reverse("news:reporter", args=["anas"])
        urls = (section_url, tag_url, reporter_url, "/")
        baselines = {url: self.client.get(url).content for url in urls}
        params = ("before", "after", "page", "utm_source", "filter")
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                # Every listing gets every payload, in one of the parameters in turn (each parameter
                # sees a fifth of the payloads): the full product would be slow and prove nothing more.
                param = params[number % len(params)]
                for url in urls:
                    response = self.client.get(url, {param: payload})
                    self.assertIn(response.status_code, (200, 301, 302, 400, 404), (url, param))
                    assert_clean(self, response.content, f"{url}?{param}=…")
                    if response.status_code == 200:
                        assert_no_new_elements(self, baselines[url], response.content, f"{url}?{param}=…")
                for path in (
                    f"/tag/{quote(payload, safe='')}/",
                    f"/author/{quote(payload, safe='')}/",
                    f"/{quote(payload, safe='')}/",
                    f"/iraq/{self.lead.pk}/{quote(payload, safe='')}/",
                    f"/tag/{quote(payload, safe='')}/feed/",
                ):
                    response = self.client.get(path)
                    self.assertIn(response.status_code, (200, 301, 302, 400, 404), path)
                    assert_clean(self, response.content, path)

    def test_api_parameters(self):
        names = ("posts", "pages", "categories", "tags", "users", "comments", "media")
        params = ("search", "slug", "per_page", "page", "_fields", "orderby", "order", "categories", "tags",
                  "before", "after", "include", "exclude", "_embed", "_jsonp", "context", "post", "type")  # fmt: skip
        for number, payload in enumerate(PAYLOADS):
            with self.subTest(payload=payload):
                for offset, name in enumerate(names):
                    param = params[(number + offset) % len(params)]  # each (route, argument) sees ~7 payloads
                    for response in (
                        self.client.get(f"/wp-json/wp/v2/{name}", {param: payload}),
                        self.client.get("/", {"rest_route": f"/wp/v2/{name}", param: payload}),
                    ):
                        self.assertTrue(response["Content-Type"].startswith("application/json"), (name, param))
                        data = json.loads(response.content)
                        for html in rendered_strings(data):
                            self.assertEqual(problems(html), [], (name, param, payload))
                response = self.client.get(f"/wp-json/{quote(payload, safe='')}")
                if response["Content-Type"].startswith("application/json"):
                    json.loads(response.content)
                else:  # a path with a line break is no API route: the site's 404 page
                    self.assertEqual(response.status_code, 404)
                    assert_clean(self, response.content, "/wp-json/ with a line break")


def wxr_text(payload: str) -> str:
    """A payload as XML text: characters XML cannot carry at all (NUL, C0 controls) are left out."""
    return xml_escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", payload))


def write_wxr(payloads: list[str], per_post: int = 10) -> Path:
    chunks = [payloads[i : i + per_post] for i in range(0, len(payloads), per_post)]
    items, terms = [], []
    for number, chunk in enumerate(chunks, start=1):
        content = "\n\n".join(f"<p>فقرة {n} {p}</p>\n{p}" for n, p in enumerate(chunk))
        content += '\n\n<iframe src="https://evil.example/frame"></iframe>\n\n<h2>عنوان فرعي ' + chunk[0] + "</h2>"
        content += "\n\n<blockquote><p>" + chunk[-1] + "</p><cite>" + chunk[0] + "</cite></blockquote>"
        comments = "".join(
            f"""<wp:comment><wp:comment_id>{number * 100 + n}</wp:comment_id>
            <wp:comment_author>{wxr_text(p[:70])}</wp:comment_author>
            <wp:comment_author_email>reader{n}@mail.example</wp:comment_author_email>
            <wp:comment_author_url>{wxr_text(p)}</wp:comment_author_url>
            <wp:comment_author_IP>192.0.2.{n + 1}</wp:comment_author_IP>
            <wp:comment_date_gmt>2025-03-02 09:00:00</wp:comment_date_gmt>
            <wp:comment_content>{wxr_text("تعليق " + p)}</wp:comment_content>
            <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
            <wp:comment_parent>0</wp:comment_parent></wp:comment>"""
            for n, p in enumerate(chunk)
        )
        terms.append(
            f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>cat-{number}</wp:category_nicename>"
            f"<wp:category_parent></wp:category_parent><wp:cat_name>{wxr_text('قسم ' + chunk[1])}</wp:cat_name>"
            f"<wp:category_description>{wxr_text(chunk[2])}</wp:category_description></wp:category>"
            f"<wp:tag><wp:term_id>{500 + number}</wp:term_id><wp:tag_slug>tag-{number}</wp:tag_slug>"
            f"<wp:tag_name>{wxr_text('وسم ' + chunk[3 % len(chunk)])}</wp:tag_name></wp:tag>"
        )
        items.append(
            f"""<item><title>{wxr_text("خبر " + str(number) + " " + chunk[0])}</title>
            <link>https://old.example/?p={1000 + number}</link><dc:creator>author{number % 3}</dc:creator>
            <content:encoded>{wxr_text(content)}</content:encoded>
            <excerpt:encoded>{wxr_text(chunk[-1])}</excerpt:encoded>
            <wp:post_id>{1000 + number}</wp:post_id>
            <wp:post_date_gmt>2025-03-0{1 + number % 8} 06:00:00</wp:post_date_gmt>
            <wp:comment_status>open</wp:comment_status><wp:post_name>post-{number}</wp:post_name>
            <wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>
            <category domain="category" nicename="cat-{number}">{wxr_text("قسم " + chunk[1])}</category>
            <category domain="post_tag" nicename="tag-{number}">{wxr_text("وسم " + chunk[3 % len(chunk)])}</category>
            {comments}</item>"""
        )
    page = f"""<item><title>{wxr_text("صفحة " + payloads[0])}</title><link>https://old.example/about/</link>
        <content:encoded>{wxr_text("<p>من نحن</p>" + "".join(payloads[:20]))}</content:encoded>
        <excerpt:encoded></excerpt:encoded><wp:post_id>9000</wp:post_id><wp:post_name>about-us</wp:post_name>
        <wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>page</wp:post_type></item>"""
    authors = "".join(
        f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>author{n}</wp:author_login>"
        f"<wp:author_email>author{n}@mail.example</wp:author_email>"
        f"<wp:author_display_name>{wxr_text('كاتب ' + payloads[n * 7])}</wp:author_display_name></wp:author>"
        for n in range(3)
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>موقع قديم</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
<wp:base_blog_url>https://old.example</wp:base_blog_url>{authors}{"".join(terms)}{"".join(items)}{page}
</channel></rss>"""
    path = Path(tempfile.mkdtemp(prefix="murasil-xss-")) / "payloads.xml"
    path.write_text(xml, encoding="utf-8")
    return path


@override_settings(LANGUAGE_CODE="ar")
class TestImportedContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site()
        cls.importer, cls.summary = run_import(write_wxr(PAYLOADS))
        cls.articles = list(Article.objects.published().order_by("pk"))

    def test_everything_arrived(self):
        self.assertEqual(len(self.articles), -(-len(PAYLOADS) // 10))
        self.assertGreaterEqual(Comment.objects.filter(status=Comment.Status.APPROVED).count(), len(PAYLOADS) - 5)

    def test_stored_bodies_are_clean(self):
        for article in Article.objects.all():
            for block in article.body.raw_data:
                if block["type"] == "paragraph":
                    self.assertEqual(problems(block["value"]), [], article.title)
                    self.assertNotIn("__xss", re.sub(r">[^<]*<", "><", block["value"]).replace("__xss", "", 0))

    def test_article_pages(self):
        for article in self.articles:
            response = self.client.get(article.get_absolute_url())
            self.assertEqual(response.status_code, 200, article.title)
            assert_clean(self, response.content, article.title)
            root = parse(response.content)
            body = root.find_class("article-body")[0]
            assert_only_tags(self, body, BODY_TAGS, f"the body of {article.title!r}")
            self.assertEqual(list(body.iter("iframe")), [])  # the evil.example frame is gone
            for text in root.find_class("comment-text"):
                assert_only_tags(self, text, COMMENT_TAGS, "an imported comment")
            headlines = [d.get("headline") for d in json_ld_blocks(response.content) if d.get("@type") == "NewsArticle"]
            self.assertEqual(headlines, [article.title[:110]] if len(article.title) > 110 else [article.title])

    def test_listings_search_and_static_page(self):
        urls = [
            "/",
            *[s.url for s in SectionPage.objects.live()],
            *[r.get_absolute_url() for r in Reporter.objects.all()],
        ]
        urls += [reverse("news:tag", args=[t.slug]) for t in Tag.objects.all()]
        urls += [f"{reverse('search:page')}?q=خبر", f"{reverse('search:page')}?q=تعليق", "/about-us/"]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertEqual(response.status_code, 200, url)
                assert_clean(self, response.content, url)
                json_ld_blocks(response.content)  # every JSON-LD block parses
        suggest = self.client.get(reverse("search:suggest"), {"q": "خبر"}).json()
        self.assertTrue(suggest["results"])
        for result in suggest["results"]:
            self.assertTrue(result["url"].startswith("/"))

    def test_feeds(self):
        urls = [reverse("feed"), reverse("feed_atom"), reverse("comments:feed")]
        urls += [s.url + "feed/" for s in SectionPage.objects.live()]
        urls += [reverse("tag_feed", args=[t.slug]) for t in Tag.objects.all()]
        urls += [reverse("reporter_feed", args=[r.slug]) for r in Reporter.objects.all()]
        urls += [reverse("comments:article_feed", args=[a.pk]) for a in self.articles]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                parts = feed_items_html(self, response.content, url)
                self.assertTrue(parts, url)
                for part in parts:
                    assert_clean(self, part, f"an entry of {url}")

    def test_api(self):
        urls = [
            "/wp-json/wp/v2/posts?per_page=100&_embed=1",
            "/wp-json/wp/v2/pages?per_page=100",
            "/wp-json/wp/v2/comments?per_page=100",
            "/wp-json/wp/v2/categories?per_page=100",
            "/wp-json/wp/v2/tags?per_page=100",
            "/wp-json/wp/v2/users?per_page=100",
            "/wp-json/",
        ]
        urls += [f"/wp-json/wp/v2/posts/{a.pk}" for a in self.articles]
        checked = 0
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertTrue(response["Content-Type"].startswith("application/json"))
                for html in rendered_strings(response.json()):
                    self.assertEqual(problems(html), [], url)
                    checked += 1
        self.assertGreater(checked, len(PAYLOADS))


class TestNulBytes(NewsroomTestCase):
    """Found by the battery on PostgreSQL: a NUL byte in a search filter or a feed path was a 500."""

    def test_nul_in_the_address_is_a_bad_request(self):
        for url in (
            "/search/?q=%3Cscr%00ipt%3E",
            "/search/?q=x&reporter=a%00b",
            "/search/?q=x&section=1&section=%00",
            "/tag/a%00b/",
            "/a%00b/feed/",
            "/iraq/?before=%00",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                assert_clean(self, response.content, url)
        # The API answers as WordPress does, in JSON.
        for url, status, code in (
            ("/wp-json/wp/v2/posts?search=%00", 400, "rest_invalid_param"),
            ("/?rest_route=/wp/v2/posts&slug=a%00", 400, "rest_invalid_param"),
            ("/wp-json/wp/v2/po%00sts", 404, "rest_no_route"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual((response.status_code, response.json()["code"]), (status, code))
        self.assertEqual(self.client.get("/search/?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").status_code, 200)
