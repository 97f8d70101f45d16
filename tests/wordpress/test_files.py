"""Bad, broken and real-world export files: clear errors, nothing half-written, resumable runs."""

import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from murasil.news.models import Article, SectionPage
from murasil.wordpress.importer import Importer
from murasil.wordpress.models import ImportRun, WordPressObject
from murasil.wordpress.wxr import WXRError

from ..factories import ensure_site
from .helpers import NEWSROOM, run_import, wordpress_testdata


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


class BadFileTests(TestCase):
    def setUp(self):
        ensure_site()
        self.tmp = Path(tempfile.mkdtemp(prefix="murasil-wxr-"))
        self.sections = SectionPage.objects.count()

    def assertNothingWritten(self):
        self.assertEqual(Article.objects.count(), 0)
        self.assertEqual(WordPressObject.objects.count(), 0)
        self.assertEqual(SectionPage.objects.count(), self.sections)

    def test_malformed_xml_names_the_line(self):
        text = NEWSROOM.read_text(encoding="utf-8").replace("</wp:post_name>", "</wp:post_nam>", 5)
        path = write(self.tmp, "broken.xml", text)
        with self.assertRaises(WXRError) as raised:
            run_import(path)
        self.assertRegex(str(raised.exception), r"^line \d+: the file is not well-formed XML")
        self.assertNothingWritten()

    def test_truncated_file_is_refused_before_anything_is_written(self):
        text = NEWSROOM.read_text(encoding="utf-8")
        path = write(self.tmp, "cut.xml", text[: len(text) * 2 // 3])
        with self.assertRaises(WXRError) as raised:
            run_import(path)
        self.assertIn("ends too early", str(raised.exception))
        self.assertNothingWritten()

    def test_an_item_without_an_id_is_named_with_its_line(self):
        text = NEWSROOM.read_text(encoding="utf-8").replace("<wp:post_id>102</wp:post_id>", "")
        path = write(self.tmp, "noid.xml", text)
        with self.assertRaises(WXRError) as raised:
            run_import(path)
        line = text[: text.index("<title>أسعار التمور")].count("\n")  # the <item> opens on the line before
        self.assertEqual(str(raised.exception), f"line {line}: <item> has no <wp:post_id>")
        self.assertNothingWritten()

    def test_a_plain_rss_feed_or_html_page_is_not_an_export(self):
        rss = write(
            self.tmp,
            "feed.xml",
            "<rss version='2.0'><channel><title>x</title><item><title>y</title></item></channel></rss>",
        )
        with self.assertRaisesRegex(WXRError, "not a WordPress export"):
            run_import(rss)
        html = write(self.tmp, "page.html", "<html><body>hello</body></html>")
        with self.assertRaisesRegex(WXRError, "starts with <html>"):
            run_import(html)
        self.assertNothingWritten()

    def test_entities_are_never_expanded(self):
        bomb = (
            NEWSROOM.read_text(encoding="utf-8")
            .replace(
                '<?xml version="1.0" encoding="UTF-8" ?>',
                '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
            )
            .replace("<title>صحيفة الوادي</title>", "<title>&b;</title>")
        )
        path = write(self.tmp, "bomb.xml", bomb)
        importer, _summary = run_import(path)
        self.assertNotIn("AAAA", importer.scan_result.site.title)

    def test_the_command_reports_a_plain_english_error(self):
        path = write(self.tmp, "cut.xml", NEWSROOM.read_text(encoding="utf-8")[:3000])
        with self.assertRaisesRegex(
            CommandError, r"cut\.xml: line \d+: the file ends too early .* Nothing from this run was kept"
        ):
            call_command("import_wordpress", str(path), verbosity=0)
        with self.assertRaisesRegex(CommandError, "does not exist"):
            call_command("import_wordpress", str(self.tmp / "missing.xml"), verbosity=0)


class ResumeTests(TestCase):
    def test_a_crash_keeps_whole_batches_and_the_next_run_resumes_after_them(self):
        ensure_site()
        original = Importer._commit_batch
        calls = {"n": 0}

        def crash_on_second(self, items, run, done):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("power cut")
            return original(self, items, run, done)

        with mock.patch.object(Importer, "_commit_batch", crash_on_second), self.assertRaises(RuntimeError):
            run_import(batch=6)
        run = ImportRun.objects.get()
        self.assertEqual((run.status, run.items_done), (ImportRun.Status.FAILED, 6))
        self.assertEqual(set(Article.objects.values_list("pk", flat=True)), {101, 102, 103})
        _importer, summary = run_import(batch=6)
        run.refresh_from_db()
        self.assertEqual((run.status, run.items_done), (ImportRun.Status.FINISHED, 13))
        self.assertEqual(Article.objects.count(), 7)
        self.assertEqual(summary.counts["posts"]["imported"], 4)  # only what the crash had not committed


class CommandTests(TestCase):
    def test_the_command_prints_a_summary_table(self):
        ensure_site()
        from io import StringIO

        out = StringIO()
        call_command("import_wordpress", str(NEWSROOM), stdout=out, stderr=StringIO())
        text = out.getvalue()
        self.assertIn("Imported: ", text)
        self.assertRegex(text, r"posts\s+7\s+0\s+1")
        self.assertIn("media 40 (2025/03/dam.jpg): not imported, no --media given", text)


class WordPressTestDataTests(TestCase):
    """WordPress's own theme test data: classic and block markup, odd titles, deep hierarchies."""

    def test_theme_unit_test_data_imports_completely(self):
        folder = wordpress_testdata()
        ensure_site()
        _importer, summary = run_import(folder / "themeunittestdata.wordpress.xml")  # https:// WXR namespace
        counts = summary.counts
        self.assertEqual(counts["posts"]["imported"], 58)  # 56 published, 1 scheduled, 1 draft
        self.assertEqual(counts["pages"]["imported"], 21)
        self.assertEqual(counts["categories"]["imported"], 68)
        self.assertEqual(counts["comments"]["imported"] + counts["comments"]["skipped"], 33)
        self.assertEqual(counts["media"]["skipped"], 37)  # no uploads folder: reported, posts still imported
        protected = WordPressObject.objects.get(kind="post", data__password_protected=True)
        article = Article.objects.get(pk=protected.object_id)
        self.assertFalse(article.live)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        self.assertNoWordPressLeftovers()

    def test_block_test_data_imports_as_clean_rich_text(self):
        folder = wordpress_testdata()
        ensure_site()
        _importer, summary = run_import(folder / "64-block-test-data.xml")
        self.assertEqual(summary.counts["posts"]["imported"], 61)
        self.assertEqual(summary.counts["pages"]["imported"], 1)
        self.assertNoWordPressLeftovers()
        kinds = {block.block_type for article in Article.objects.all() for block in article.body}
        self.assertLessEqual({"paragraph", "heading", "quote"}, kinds)
        response = self.client.get(Article.objects.published().first().get_absolute_url())
        self.assertEqual(response.status_code, 200)

    def assertNoWordPressLeftovers(self):
        for article in Article.objects.all():
            raw = str(list(article.body.raw_data))
            # (Code samples may show "&lt;!-- wp:code --&gt;" as text: escaped, that is content.)
            for leftover in ("<!--", "[caption", "[gallery", "[embed", "<script", "style=", "class=", "<div"):
                self.assertNotIn(leftover, raw, f"{article.pk}: {leftover}")
