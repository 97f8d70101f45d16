"""Importing the fixture newsroom: everything arrives, where it belongs, and nothing a reader must not see."""

import datetime
import json

from django.test import TestCase

from taggit.models import Tag
from wagtail.images import get_image_model

from murasil.comments.models import Comment
from murasil.core.models import StandardPage
from murasil.news.models import Article, Reporter, SectionPage
from murasil.wordpress.models import ImportRun, WordPressObject

from ..factories import ensure_site, make_article
from .helpers import media_folder, run_import


class ImportedNewsroomTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site()
        cls.importer, cls.summary = run_import(media=media_folder())
        cls.dam = Article.objects.get(pk=101)
        cls.dates = Article.objects.get(pk=102)

    def test_summary_counts_every_kind(self):
        counts = self.summary.counts
        self.assertEqual(counts["authors"]["imported"], 2)
        self.assertEqual(counts["categories"]["imported"], 3)
        self.assertEqual(counts["tags"]["imported"], 2)
        self.assertEqual((counts["media"]["imported"], counts["media"]["skipped"]), (2, 1))
        self.assertEqual((counts["posts"]["imported"], counts["posts"]["skipped"]), (7, 1))
        self.assertEqual(counts["pages"]["imported"], 2)
        self.assertEqual((counts["comments"]["imported"], counts["comments"]["skipped"]), (3, 1))
        self.assertIn(("comments", "spam"), self.summary.reasons)
        self.assertTrue(any("lost.jpg" in problem for problem in self.summary.problems))
        run = ImportRun.objects.get()
        self.assertEqual(run.status, ImportRun.Status.FINISHED)
        self.assertEqual(run.items_done, 13)

    def test_categories_become_nested_sections_with_decoded_arabic_slugs(self):
        world = SectionPage.objects.get(title="عربي و دولي")
        iraq = SectionPage.objects.get(title="العراق")
        self.assertEqual((world.slug, iraq.slug), ("عربي", "العراق"))
        self.assertEqual(iraq.get_parent().pk, world.pk)
        self.assertEqual(world.description, "أخبار العالم العربي والعالم")
        self.assertTrue(iraq.live)

    def test_posts_keep_their_wordpress_ids_slug_section_and_flags(self):
        iraq = SectionPage.objects.get(title="العراق")
        self.assertEqual(self.dam.title, "افتتاح سد الوادي بعد ثلاث سنوات من العمل")
        self.assertEqual(self.dam.slug, "سد-الوادي")
        self.assertEqual(self.dam.section_id, iraq.pk)
        self.assertEqual(self.dam.root_section_id, SectionPage.objects.get(title="عربي و دولي").pk)
        self.assertTrue(self.dam.live and self.dam.is_featured)
        self.assertEqual(self.dam.first_published_at, datetime.datetime(2025, 3, 2, 7, 30, tzinfo=datetime.UTC))
        self.assertEqual(self.dam.reporters[0].name, "سلمى الخطيب")
        self.assertEqual(list(self.dam.tags.values_list("name", flat=True)), ["المياه"])
        self.assertFalse(self.dates.comments_open)
        # Every category is kept for the API, though an article has one section.
        data = WordPressObject.objects.get(kind="post", wp_id=101).data
        self.assertEqual(data["categories"], [12, 13])
        self.assertTrue(data["sticky"])

    def test_block_markup_becomes_clean_blocks(self):
        kinds = [block.block_type for block in self.dam.body]
        self.assertEqual(kinds, ["paragraph", "image", "heading", "paragraph", "embed", "paragraph"])
        raw = json.dumps(list(self.dam.body.raw_data), ensure_ascii=False)
        for leftover in ("wp:", "<script", "onclick", "javascript:", "hacked", "class="):
            self.assertNotIn(leftover, raw)
        self.assertIn('<a href=\\"/2025/01/10/rain/\\">', raw)  # links to the old site become site-relative
        image = self.dam.body[1].value
        self.assertEqual(image["image"].pk, 40)
        self.assertEqual(image["caption"], "بحيرة السد في يوم الافتتاح")
        self.assertEqual(self.dam.body[4].value.url, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        # No excerpt: the text before <!--more--> is the standfirst.
        self.assertTrue(self.dam.standfirst.startswith("افتتح المحافظ صباح اليوم سد الوادي"))

    def test_classic_markup_gets_paragraphs_captions_and_galleries(self):
        kinds = [block.block_type for block in self.dates.body]
        self.assertEqual(kinds, ["paragraph", "image", "paragraph", "image", "image"])
        self.assertIn("<br/>", self.dates.body[0].value.source)
        self.assertEqual(self.dates.body[1].value["caption"], "زحام في سوق التمور")
        self.assertEqual([self.dates.body[3].value["image"].pk, self.dates.body[4].value["image"].pk], [40, 41])
        self.assertEqual(self.dates.standfirst, "الطلب يزيد مع قرب رمضان")

    def test_featured_image_with_alt_text_and_caption(self):
        image = get_image_model().objects.get(pk=40)
        self.assertEqual(self.dam.featured_image_id, 40)
        self.assertEqual(image.description, "بحيرة السد ممتلئة بالماء")
        self.assertEqual(self.dam.featured_image_caption, "السد بعد امتلاء بحيرته")
        self.assertEqual((image.width, image.height), (120, 80))

    def test_imported_photos_have_their_renditions_ready(self):
        from murasil.images.specs import role_specs

        for pk, roles in ((40, ["featured", "body"]), (41, ["body"])):
            image = get_image_model().objects.get(pk=pk)
            made = set(image.renditions.values_list("filter_spec", flat=True))
            self.assertTrue(set(role_specs(image, roles)) <= made, image.file.name)
        # The PNG keeps a PNG fallback for browsers without WebP.
        self.assertTrue(get_image_model().objects.get(pk=41).renditions.filter(filter_spec="width-800|format-png"))

    def test_statuses_map_to_what_a_reader_may_see(self):
        public = set(Article.objects.published().values_list("pk", flat=True))
        self.assertEqual(public, {101, 102})
        harvest = Article.objects.get(pk=105)
        self.assertEqual(harvest.go_live_at, datetime.datetime(2099, 1, 1, 8, tzinfo=datetime.UTC))
        self.assertEqual(harvest.latest_revision.approved_go_live_at, harvest.go_live_at)
        draft = Article.objects.get(pk=103)
        self.assertFalse(draft.live)
        self.assertEqual(draft.slug, "مسودة-عن-موازنة-البلدية")

    def test_comments_keep_threads_status_and_private_fields(self):
        first, reply, pending = Comment.objects.filter(pk__in=[501, 502, 503]).order_by("pk")
        self.assertEqual(first.status, Comment.Status.APPROVED)
        self.assertEqual((reply.parent_id, reply.depth), (501, 2))
        self.assertEqual(pending.status, Comment.Status.PENDING)
        self.assertEqual(first.ip_address, "203.0.113.7")
        self.assertFalse(Comment.objects.filter(pk=504).exists())
        self.assertEqual(Article.objects.get(pk=101).comment_count, 2)

    def test_authors_become_reporters_and_staff_without_passwords(self):
        salma = Reporter.objects.get(pk=3)
        self.assertEqual((salma.name, salma.slug), ("سلمى الخطيب", "salma"))
        self.assertFalse(salma.user.has_usable_password())
        self.assertEqual(Reporter.objects.get(pk=7).name, "عمر الحلبي")
        self.assertEqual(sorted(Tag.objects.values_list("pk", flat=True)), [21, 22])

    def test_pages_keep_their_hierarchy(self):
        team = StandardPage.objects.get(title="فريق التحرير")
        self.assertEqual(team.get_parent().specific.title, "من نحن")
        self.assertEqual(team.url, "/about/team/")
        self.assertTrue(team.live)

    def test_sitemaps_and_feeds_list_the_imported_articles(self):
        from murasil.syndication.models import TagActivity

        self.assertEqual(dict(TagActivity.objects.values_list("tag_id", "article_id")), {21: 101, 22: 102})
        tags = self.client.get("/sitemap-tags.xml").content.decode()
        self.assertIn("/tag/dates/", tags)
        index = self.client.get("/sitemap.xml").content.decode()
        self.assertIn("2025-03", index)
        feed = self.client.get("/feed/").content.decode()
        self.assertIn("أسعار التمور ترتفع في سوق المدينة", feed)
        self.assertNotIn("ملاحظة داخلية خاصة", feed)

    def test_articles_made_afterwards_never_take_a_wordpress_id(self):
        article = make_article(SectionPage.objects.get(title="اقتصاد"), "خبر جديد بعد الانتقال")
        self.assertGreater(article.pk, 202)

    def test_reader_pages_show_imported_articles_and_nothing_unpublished(self):
        response = self.client.get(self.dam.get_absolute_url())
        self.assertContains(response, "افتتاح سد الوادي")
        self.assertContains(response, "خبر طيب، ننتظر الماء منذ سنوات.")
        self.assertNotContains(response, "تعليق ينتظر المراجعة")
        self.assertNotContains(response, "abukhaled@mail.example")
        self.assertNotContains(response, "203.0.113.7")
        pages = ["/", "/عربي/", "/عربي/العراق/", "/economy/", "/search/?q=محمي", "/search/?q=الموازنة"]
        for path in pages:
            body = self.client.get(path).content.decode()
            for secret in ("محتوى محمي", "وثيقة محمية", "نص خاص", "مسودة عن موازنة", "ينتظر موافقة"):
                self.assertNotIn(secret, body, path)
        for pk in (103, 104, 105, 106, 107):
            article = Article.objects.get(pk=pk)
            self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)


class IdempotentImportTests(TestCase):
    def test_running_the_same_file_again_updates_and_never_duplicates(self):
        ensure_site()
        media = media_folder()
        run_import(media=media)
        Article.objects.filter(pk=101).update(title="عنوان عدله أحد")
        counts = {
            model: model.objects.count() for model in (Article, Comment, SectionPage, Reporter, Tag, WordPressObject)
        }
        _importer, summary = run_import(media=media)
        self.assertEqual(counts, {model: model.objects.count() for model in counts})
        self.assertEqual(summary.counts["posts"]["updated"], 7)
        self.assertEqual(summary.counts["posts"]["imported"], 0)
        self.assertEqual(Article.objects.get(pk=101).title, "افتتاح سد الوادي بعد ثلاث سنوات من العمل")
        self.assertEqual(get_image_model().objects.count(), 2)


class DryRunTests(TestCase):
    def test_a_dry_run_counts_everything_and_changes_nothing(self):
        ensure_site()
        before = SectionPage.objects.count()
        _importer, summary = run_import(media=media_folder(), dry_run=True)
        self.assertEqual(summary.counts["posts"]["imported"], 7)
        self.assertEqual(summary.counts["media"]["imported"], 2)
        self.assertEqual(Article.objects.count(), 0)
        self.assertEqual(SectionPage.objects.count(), before)
        self.assertEqual(WordPressObject.objects.count(), 0)
        self.assertEqual(ImportRun.objects.count(), 0)
        self.assertEqual(get_image_model().objects.count(), 0)


class MediaArchiveTests(TestCase):
    def test_uploads_from_a_tarball_and_unsafe_files_refused(self):
        import tarfile
        import tempfile
        from pathlib import Path

        folder = media_folder()
        # A "photo" that is really a script, where market.png should be: refused by content, reported.
        (folder / "2025" / "03" / "market.png").write_text("<svg onload=alert(1)></svg>")
        archive = Path(tempfile.mkdtemp()) / "uploads.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname="wp-content/uploads")
        ensure_site()
        _importer, summary = run_import(media=archive)
        self.assertEqual(get_image_model().objects.get(pk=40).description, "بحيرة السد ممتلئة بالماء")
        self.assertFalse(get_image_model().objects.filter(pk=41).exists())
        self.assertIn(("media", "not a usable file"), summary.reasons)
        self.assertTrue(any("market.png: " in p and "SVG" in p for p in summary.problems), summary.problems)
        self.assertTrue(Article.objects.get(pk=102).live)  # the article still arrives without the photo
