"""The one allow-list (murasil/core/sanitize.py): what it keeps, what it drops, and that every way into
the database — the model's save, the editor's block, the WordPress importer, Wagtail's embed cache and
the data migration — stores clean HTML."""

import json

from django.test import SimpleTestCase, TestCase

from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from lxml import etree

from murasil.core.sanitize import (
    clean_body_data,
    clean_embed_html,
    clean_rich_text,
    is_safe_url,
    safe_web_url,
    strip_bidi_overrides,
)
from murasil.news.blocks import ArticleBodyBlock, SafeRichTextBlock
from murasil.news.models import Article
from murasil.wordpress import markup
from tests.factories import make_section, make_static_page

from .checks import problems
from .xss_payloads import PAYLOADS, RLO


class TestRichTextAllowList(SimpleTestCase):
    def test_legitimate_markup_is_kept_as_wagtail_stores_it(self):
        source = (
            '<p>افتتح <b>الوزير</b> <i>المعرض</i> <a href="https://example.org/a?b=1&amp;c=2">الرابط</a>'
            ' و<a linktype="page" id="12">صفحة داخلية</a> و<a href="/iraq/5/">خبر</a> و'
            '<a href="mailto:desk@example.org">البريد</a><br/>سطر ثان</p>'
            "<h2>عنوان فرعي</h2><ul><li>أول</li><li>ثان</li></ul><ol><li>واحد</li></ol>"
            "<blockquote>قول مأثور</blockquote>"
            '<embed alt="صورة &quot;السد&quot;" embedtype="image" format="fullwidth" id="4"/>'
            '<embed embedtype="media" url="https://www.youtube.com/watch?v=abc"/>'
            "<table><tbody><tr><th>المدينة</th><td>بغداد</td></tr></tbody></table>"
        )
        self.assertEqual(clean_rich_text(source), source)

    def test_every_payload_leaves_no_live_markup(self):
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                cleaned = clean_rich_text(f"<p>نص {payload}</p>")
                self.assertEqual(problems(cleaned), [])
                self.assertNotIn("<script", cleaned.lower())

    def test_dangerous_addresses_lose_their_href(self):
        for href in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)", "vbscript:x",
                     "data:text/html,<script>alert(1)</script>", "&#106;avascript:alert(1)"):  # fmt: skip
            with self.subTest(href=href):
                self.assertEqual(clean_rich_text(f'<p><a href="{href}">x</a></p>'), "<p><a>x</a></p>")

    def test_styles_classes_and_unknown_attributes_go(self):
        cleaned = clean_rich_text('<p style="background:url(javascript:x)" class="x" data-x="1" dir="rtl">ن</p>')
        self.assertEqual(cleaned, '<p dir="rtl">ن</p>')

    def test_embeds_and_ids_are_checked(self):
        self.assertEqual(clean_rich_text('<embed embedtype="media" url="javascript:alert(1)"/>'), "")
        self.assertEqual(clean_rich_text('<embed embedtype="image" id="x onerror"/>'), "")
        self.assertEqual(clean_rich_text('<a linktype="page" id="__proto__">x</a>'), '<a linktype="page">x</a>')

    def test_bidi_overrides_go_but_marks_stay(self):
        self.assertEqual(strip_bidi_overrides(f"{RLO}gpj.exe"), "gpj.exe")
        self.assertEqual(
            clean_rich_text("<p>\u200fنص\u200e \u2067عزل\u2069</p>"), "<p>\u200fنص\u200e \u2067عزل\u2069</p>"
        )

    def test_urls(self):
        self.assertTrue(is_safe_url("/section/1/"))
        self.assertFalse(is_safe_url("//evil.example/x") and is_safe_url("/\\evil.example"))
        self.assertFalse(is_safe_url("javascript:alert(1)"))
        self.assertFalse(is_safe_url("java\nscript:alert(1)"))
        self.assertEqual(safe_web_url("https://www.youtube.com/watch?v=1"), "https://www.youtube.com/watch?v=1")
        self.assertEqual(safe_web_url("javascript://www.youtube.com/%0aalert(1)"), "")
        self.assertEqual(safe_web_url("ftp://example.org/"), "")

    def test_body_data(self):
        raw = [
            {"type": "paragraph", "value": "<p onclick=x>نص<script>x()</script></p>", "id": "1"},
            {"type": "embed", "value": "javascript:alert(1)", "id": "2"},
            {"type": "embed", "value": "https://vimeo.com/1", "id": "3"},
            {"type": "heading", "value": f"{RLO}عنوان", "id": "4"},
            {"type": "quote", "value": {"text": f"قول{RLO}", "attribution": "فلان"}, "id": "5"},
        ]
        self.assertEqual(
            clean_body_data(raw),
            [
                {"type": "paragraph", "value": "<p>نص</p>", "id": "1"},
                {"type": "embed", "value": "https://vimeo.com/1", "id": "3"},
                {"type": "heading", "value": "عنوان", "id": "4"},
                {"type": "quote", "value": {"text": "قول", "attribution": "فلان"}, "id": "5"},
            ],
        )


class TestEmbedHtml(SimpleTestCase):
    def test_frames_only_from_the_allowed_hosts(self):
        provider = (
            '<iframe width="560" height="315" src="https://www.youtube.com/embed/abc" title="فيديو" '
            'allowfullscreen onload="x()"></iframe>'
        )
        self.assertEqual(
            clean_embed_html(provider),
            '<iframe width="560" height="315" src="https://www.youtube.com/embed/abc" title="فيديو" '
            'allowfullscreen=""></iframe>',
        )
        self.assertEqual(clean_embed_html('<iframe src="https://evil.example/">x</iframe>'), "")
        self.assertEqual(clean_embed_html('<iframe src="http://www.youtube.com/embed/abc"></iframe>'), "")
        self.assertEqual(clean_embed_html('<iframe src="https://www.youtube.com.evil.example/"></iframe>'), "")

    def test_quoted_posts_keep_their_text_without_the_script(self):
        cleaned = clean_embed_html(
            '<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">تغريدة</p>'
            '<a href="https://twitter.com/x/status/1">التاريخ</a></blockquote>'
            '<script async src="https://platform.twitter.com/widgets.js"></script>'
        )
        self.assertIn('<p lang="ar" dir="rtl">تغريدة</p>', cleaned)
        self.assertNotIn("script", cleaned)


class TestStoredClean(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("اقتصاد", "economy")

    def test_article_save_cleans_the_body(self):
        article = Article(section=self.section, title=f"{RLO}خبر", live=False)
        article.body = [
            {"type": "paragraph", "value": '<p>سوق <a href="javascript:alert(1)">التمور</a><img src=x></p>'},
            {"type": "embed", "value": "javascript:alert(1)"},
        ]
        article.save()
        stored = Article.objects.get(pk=article.pk)
        self.assertEqual([b["value"] for b in stored.body.raw_data], ["<p>سوق <a>التمور</a></p>"])
        self.assertEqual(stored.title, "خبر")

    def test_revisions_store_clean_rich_text(self):
        article = Article(section=self.section, title="خبر", live=False)
        article.body = [("paragraph", RichText("<p>نص<script>alert(1)</script></p>"))]
        article.save()
        revision = article.save_revision()
        self.assertNotIn("script", json.dumps(revision.content["body"]))

    def test_the_editor_block_cleans_on_validation_and_storage(self):
        block = SafeRichTextBlock()
        self.assertEqual(block.clean(RichText('<p onclick="x()">نص</p>')).source, "<p>نص</p>")
        self.assertEqual(block.get_prep_value(RichText("<p>نص<svg onload=x()></svg></p>")), "<p>نص</p>")
        body = ArticleBodyBlock()
        value = body.to_python([{"type": "paragraph", "value": "<p><a href='vbscript:x'>نص</a></p>"}])
        list(value)  # the blocks as the editor's form builds them, not the lazy raw data
        self.assertEqual(body.get_prep_value(value)[0]["value"], "<p><a>نص</a></p>")

    def test_static_page_save_cleans_the_body(self):
        page = make_static_page("من نحن", "about", '<p>نحن<iframe src="https://evil.example"></iframe></p>')
        page.refresh_from_db()
        self.assertEqual(page.body, "<p>نحن</p>")

    def test_embed_cache_is_stored_clean(self):
        embed = Embed.objects.create(
            url="https://www.youtube.com/watch?v=abc",
            max_width=None,
            type="video",
            html='<iframe src="https://www.youtube.com/embed/abc"></iframe><script>alert(1)</script>',
        )
        embed.refresh_from_db()
        self.assertEqual(embed.html, '<iframe src="https://www.youtube.com/embed/abc"></iframe>')

    def test_data_migration_cleans_what_was_stored_before(self):
        import importlib

        from django.apps import apps

        article = Article.objects.create(section=self.section, title="قديم", live=False)
        dirty = json.dumps([{"type": "paragraph", "value": "<p onclick=x>قديم<script>x</script></p>", "id": "a"}])
        Article.objects.filter(pk=article.pk).update(body=dirty)  # as stored before the allow-list
        page = make_static_page("قديمة", "old", "<p>ص</p>")
        type(page).objects.filter(pk=page.pk).update(body="<p>ص<script>x</script></p>")
        migration = importlib.import_module("murasil.news.migrations.0007_clean_stored_bodies")
        migration.clean_bodies(apps, None)
        self.assertEqual(Article.objects.get(pk=article.pk).body.raw_data[0]["value"], "<p>قديم</p>")
        page.refresh_from_db()
        self.assertEqual(page.body, "<p>ص</p>")


class TestImporterMarkup(SimpleTestCase):
    def test_converted_blocks_are_clean_for_every_payload(self):
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                converted = markup.convert(f"<p>فقرة</p>\n\n{payload}\n\n<p>فقرة أخرى {payload}</p>")
                for block in converted.blocks:
                    if block["type"] == "paragraph":
                        self.assertEqual(problems(block["value"]), [])
                        self.assertEqual(clean_rich_text(block["value"]), block["value"])
                    if block["type"] == "embed":
                        self.assertTrue(safe_web_url(block["value"]))

    def test_legitimate_wordpress_markup_survives(self):
        converted = markup.convert(
            '<h2>عنوان</h2><p>نص <strong>مهم</strong> و<a href="https://example.org/">رابط</a></p>'
            "<ul><li>أول</li><li>ثان</li></ul><blockquote><p>قول</p><cite>قائل</cite></blockquote>"
            '<iframe src="https://www.youtube.com/embed/xyz"></iframe>'
        )
        self.assertEqual(
            [(b["type"], b["value"]) for b in converted.blocks],
            [
                ("heading", "عنوان"),
                ("paragraph", '<p>نص <b>مهم</b> و<a href="https://example.org/">رابط</a></p>'),
                ("paragraph", "<ul><li>أول</li><li>ثان</li></ul>"),
                ("quote", {"text": "قول", "attribution": "قائل"}),
                ("embed", "https://www.youtube.com/watch?v=xyz"),
            ],
        )


class TestTheChecksCanFail(SimpleTestCase):
    """The battery's checks (checks.py) flag the payloads when they are put on a page as they are."""

    def test_raw_payloads_are_flagged(self):
        from .xss_payloads import BROWSER_SAMPLE, EVENT_HANDLERS, JAVASCRIPT_URLS, SCRIPT_TAGS, SVG_MATHML

        live = [*SCRIPT_TAGS[:12], *EVENT_HANDLERS, *JAVASCRIPT_URLS[:18], *SVG_MATHML, *BROWSER_SAMPLE]
        # Not markup when written straight into a page's text (a browser sees text or a harmless attribute):
        # "<scr<script>ipt>" is a tag named "scr<script", "src=x/onerror=…" one attribute value, and the
        # fullwidth brackets and quote breakouts are only text there.
        inert = {SCRIPT_TAGS[8], EVENT_HANDLERS[3], BROWSER_SAMPLE[9], BROWSER_SAMPLE[11]}
        for payload in [p for p in live if p not in inert]:
            with self.subTest(payload=payload):
                self.assertNotEqual(problems(f"<div>{payload}</div>"), [])
        self.assertNotEqual(problems('<script type="application/ld+json">{"a": </script>'), [])
        self.assertEqual(problems('<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>'), [])


class TestRenderTimeGuards(TestCase):
    """Rows stored before the allow-list (or written around it) still cannot put an unsafe embed on a page,
    in a feed or in the API."""

    @classmethod
    def setUpTestData(cls):
        from murasil.core.site_url import sync_default_site
        from tests.factories import make_article

        sync_default_site()
        section = make_section("اقتصاد", "economy")
        cls.article = make_article(section, "خبر بتضمين", paragraphs=("نص الخبر.",))
        raw = [
            {"type": "paragraph", "value": "<p>نص الخبر.</p>", "id": "p"},
            {"type": "embed", "value": "javascript:alert(1)", "id": "e1"},
            {"type": "embed", "value": "https://www.youtube.com/watch?v=xss", "id": "e2"},
        ]
        Article.objects.filter(pk=cls.article.pk).update(body=json.dumps(raw))  # around save()
        from wagtail.embeds.embeds import get_embed_hash

        Embed.objects.create(
            hash=get_embed_hash("https://www.youtube.com/watch?v=xss"), url="https://www.youtube.com/watch?v=xss",
            type="video", html="<iframe src='https://www.youtube.com/embed/xss'></iframe>",
        )  # fmt: skip
        Embed.objects.filter(url="https://www.youtube.com/watch?v=xss").update(
            html="<iframe src='https://www.youtube.com/embed/xss'></iframe><script>alert(2)</script>"
        )  # around the signal

    def test_page_feed_and_api(self):
        from django.core.cache import cache

        cache.clear()
        for url in (self.article.get_absolute_url(), "/feed/", f"/wp-json/wp/v2/posts/{self.article.pk}"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                text = response.content.decode()
                if url.startswith("/wp-json/"):
                    text = response.json()["content"]["rendered"]
                    self.assertIn("youtube.com/embed/xss", text)
                elif url == "/feed/":
                    text = "".join(etree.fromstring(response.content).xpath("//item/*/text()"))
                self.assertEqual(problems(text), [])
                self.assertNotIn("javascript:alert", text)
                self.assertNotIn("alert(2)", text)
