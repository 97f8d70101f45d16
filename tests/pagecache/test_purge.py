"""Each kind of change purges exactly the pages that show it: those are fresh at once, the rest stay cached."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from taggit.models import Tag

import time_machine

from murasil.comments.models import Comment
from murasil.core.models import NewsroomSettings
from murasil.news.models import Article, SectionPage
from tests.comments.helpers import make_comment
from tests.factories import make_article

from .base import PageCacheTestCase, tag_url


class TestArticleChanges(PageCacheTestCase):
    def setUp(self):
        self.warm(self.lead_pages() + self.unrelated_pages() + ["/about/"])

    def test_publishing_an_edit(self):
        article = Article.objects.get(pk=self.lead.pk)
        article.title = "افتتاح الجسر الجديد رسمياً في بغداد"
        article.save_revision().publish()
        self.assert_fresh(self.lead_pages())
        self.assert_still_cached([*self.unrelated_pages(), "/about/"])
        for url in (self.lead.get_absolute_url(), "/", "/arab-world/iraq/", tag_url("النقل"), "/feed/"):
            self.assertIn("افتتاح الجسر الجديد رسمياً", self.client.get(url).content.decode(), url)

    def test_saving_a_draft_purges_nothing(self):
        article = Article.objects.get(pk=self.lead.pk)
        article.title = "عنوان في المسودة فقط"
        article.save_revision()
        self.assert_still_cached([self.lead.get_absolute_url(), "/", "/arab-world/iraq/", "/feed/"])
        self.assertNotIn("عنوان في المسودة فقط", self.client.get(self.lead.get_absolute_url()).content.decode())

    def test_unpublishing(self):
        Article.objects.get(pk=self.lead.pk).unpublish()
        self.assertEqual(self.client.get(self.lead.get_absolute_url()).status_code, 404)
        for url in ("/", "/arab-world/iraq/", "/author/huda/", "/feed/"):
            response = self.client.get(url)
            self.assertEqual(response["X-Cache"], "MISS", url)
            self.assertNotIn(self.lead.title, response.content.decode(), url)
        self.assert_still_cached(self.unrelated_pages())

    def test_expiry_withdraws_the_article_everywhere(self):
        Article.objects.filter(pk=self.lead.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
        call_command("publish_scheduled", verbosity=0)
        self.assertEqual(self.client.get(self.lead.get_absolute_url()).status_code, 404)
        self.assertNotIn(self.lead.title, self.client.get("/arab-world/").content.decode())
        self.assert_still_cached(self.unrelated_pages())

    def test_deleting(self):
        Article.objects.get(pk=self.lead.pk).delete()
        self.assertEqual(self.client.get(self.lead.get_absolute_url()).status_code, 404)
        pages = [url for url in self.lead_pages()[1:] if "huda" not in url and "النقل" not in url]
        self.assert_fresh(pages)
        self.assert_still_cached(self.unrelated_pages())

    def test_a_new_article_reaches_its_lists_only(self):
        new = make_article(self.iraq, "وصول دفعة جديدة من الحافلات إلى بغداد", tags=("النقل",), reporters=(self.huda,))
        for url in ("/", "/arab-world/", "/arab-world/iraq/", tag_url("النقل"), "/author/huda/", "/feed/"):
            response = self.client.get(url)
            self.assertEqual(response["X-Cache"], "MISS", url)
            self.assertIn(new.title, response.content.decode(), url)
        # lead's page does not show the new article: it is not purged.
        self.assert_still_cached([self.lead.get_absolute_url(), *self.unrelated_pages()])

    def test_a_scheduled_article_reaches_its_lists_and_search_when_its_time_comes(self):
        """What `murasil serve`'s scheduler does every minute (Wagtail's publish_scheduled)."""
        title = "افتتاح محطة جديدة للحافلات الكهربائية في الكرخ"
        new = make_article(self.iraq, title, publish=False, tags=("النقل",), reporters=(self.huda,))
        today = timezone.localdate()
        go_live = timezone.now() + datetime.timedelta(minutes=1)
        new.go_live_at = go_live
        new.save_revision().publish()
        new.refresh_from_db()
        self.assertFalse(new.live)
        lists = ["/", "/arab-world/", "/arab-world/iraq/", tag_url("النقل"), "/author/huda/", "/feed/"]
        lists.append("/news-sitemap.xml")
        search = "/search/?q=" + "الكهربائيه"  # as a reader types it
        for url in [*lists, search]:
            self.assertNotIn(title, self.client.get(url).content.decode(), url)
        self.assertEqual(self.client.get(new.get_absolute_url()).status_code, 404)

        later = go_live + datetime.timedelta(seconds=30)  # well within the pages' ten fresh minutes
        with time_machine.travel(later):
            call_command("publish_scheduled", verbosity=0)
            new.refresh_from_db()
            self.assertTrue(new.live)
            self.assertEqual(self.client.get(new.get_absolute_url()).status_code, 200)
            for url in lists:
                response = self.client.get(url)
                self.assertEqual(response["X-Cache"], "MISS", url)
                self.assertIn(title, response.content.decode(), url)
            self.assertIn("للحافلات <mark>الكهربائية</mark> في الكرخ", self.client.get(search).content.decode())
            if timezone.localdate(later) == today:  # HTML pages also end at midnight
                self.assert_still_cached(self.unrelated_pages())

    def test_an_expiry_time_bounds_the_article_page(self):
        soon = timezone.now() + datetime.timedelta(seconds=2)
        Article.objects.filter(pk=self.match.pk).update(expire_at=soon)
        call_command("purge_pages", article=[self.match.pk], stdout=io.StringIO())
        self.client.get(self.match.get_absolute_url())
        self.assertEqual(self.client.get(self.match.get_absolute_url())["X-Cache"], "HIT")
        with time_machine.travel(soon + datetime.timedelta(seconds=1)):
            self.assertEqual(self.client.get(self.match.get_absolute_url()).status_code, 404)


class TestBreakingStrip(PageCacheTestCase):
    def test_a_new_breaking_story_reaches_every_html_page(self):
        self.warm(["/sport/", "/about/", self.match.get_absolute_url(), "/feed/atom/", "/robots.txt"])
        new = make_article(self.iraq, "عاجل: انقطاع الكهرباء عن أحياء في بغداد", is_breaking=True)
        for url in ("/sport/", "/about/", self.match.get_absolute_url()):
            response = self.client.get(url)
            self.assertEqual(response["X-Cache"], "MISS", url)
            self.assertIn(new.title, response.content.decode(), url)
        self.assert_still_cached(["/robots.txt"])

    def test_editing_a_breaking_story_reaches_every_page_that_shows_it(self):
        self.warm(["/about/", self.match.get_absolute_url(), "/author/sami/"])
        article = Article.objects.get(pk=self.breaking.pk)
        article.title = "المنتخب في النهائي بعد فوز صعب"
        article.save_revision().publish()
        for url in ("/about/", self.match.get_absolute_url(), "/author/sami/"):
            self.assertIn("المنتخب في النهائي بعد فوز صعب", self.client.get(url).content.decode(), url)

    def test_an_old_breaking_story_is_not_in_the_strip_and_purges_only_its_pages(self):
        self.warm(["/about/", self.lead.get_absolute_url(), "/sport/"])
        article = Article.objects.get(pk=self.old_breaking.pk)
        article.title = "نتيجة مباراة الأمس بعد التصحيح"
        article.save_revision().publish()
        self.assertIn("نتيجة مباراة الأمس بعد التصحيح", self.client.get("/sport/").content.decode())
        self.assert_still_cached(["/about/", self.lead.get_absolute_url()])


class TestCommentChanges(PageCacheTestCase):
    def test_approving_and_withdrawing_a_comment(self):
        comments_feed = f"/comments/feed/{self.lead.pk}/"
        self.warm([self.lead.get_absolute_url(), comments_feed, "/comments/feed/", *self.unrelated_pages()])
        comment = make_comment(self.lead, text="شكراً على هذا التقرير الدقيق", status=Comment.Status.PENDING)
        # Waiting for moderation changes no public page.
        self.assert_still_cached([self.lead.get_absolute_url(), comments_feed])
        comment.status = Comment.Status.APPROVED
        comment.save()
        for url in (self.lead.get_absolute_url(), comments_feed, "/comments/feed/"):
            response = self.client.get(url)
            self.assertEqual(response["X-Cache"], "MISS", url)
            self.assertIn("شكراً على هذا التقرير الدقيق", response.content.decode(), url)
        self.assert_still_cached(self.unrelated_pages())
        comment.status = Comment.Status.SPAM
        comment.save()
        self.assertNotIn("شكراً على هذا التقرير الدقيق", self.client.get(self.lead.get_absolute_url()).content.decode())
        self.assertNotIn("شكراً على هذا التقرير الدقيق", self.client.get(comments_feed).content.decode())
        self.assert_still_cached(self.unrelated_pages())


class TestOtherChanges(PageCacheTestCase):
    def test_renaming_a_child_section(self):
        self.warm([self.lead.get_absolute_url(), "/arab-world/iraq/", *self.unrelated_pages()])
        section = SectionPage.objects.get(pk=self.iraq.pk)
        section.title = "بلاد الرافدين"
        section.save_revision().publish()
        self.assertIn("بلاد الرافدين", self.client.get(self.lead.get_absolute_url()).content.decode())
        self.assertIn("بلاد الرافدين", self.client.get("/arab-world/iraq/").content.decode())
        self.assert_still_cached(self.unrelated_pages())

    def test_a_menu_section_changes_every_html_page_but_not_the_feeds(self):
        # Sami's feed names the section of his article (sport): it is purged; Anas's is not.
        self.warm(["/about/", self.lead.get_absolute_url(), "/author/sami/feed/", "/author/anas/feed/", "/robots.txt"])
        section = SectionPage.objects.get(pk=self.sport.pk)
        section.title = "الملاعب"
        section.save_revision().publish()
        for url in ("/about/", self.lead.get_absolute_url()):
            self.assertIn("الملاعب", self.client.get(url).content.decode(), url)
        self.assertIn("الملاعب", self.client.get("/author/sami/feed/").content.decode())
        self.assert_still_cached(["/author/anas/feed/", "/robots.txt"])

    def test_a_reporter_edit(self):
        self.warm([self.lead.get_absolute_url(), "/author/huda/", *self.unrelated_pages()])
        huda = type(self.huda).objects.get(pk=self.huda.pk)
        huda.name = "هدى كريم الساعدي"
        huda.save()
        for url in (self.lead.get_absolute_url(), "/author/huda/"):
            self.assertIn("هدى كريم الساعدي", self.client.get(url).content.decode(), url)
        self.assert_still_cached(self.unrelated_pages())

    def test_a_tag_rename(self):
        self.warm([self.lead.get_absolute_url(), *self.unrelated_pages()])
        tag = Tag.objects.get(name="النقل")
        tag.name = "المواصلات"
        tag.save()
        self.assertIn("المواصلات", self.client.get(self.lead.get_absolute_url()).content.decode())
        self.assert_still_cached(self.unrelated_pages())

    def test_newsroom_settings_reach_everything(self):
        self.warm(["/about/", "/robots.txt", "/feed/", self.match.get_absolute_url()])
        conf = NewsroomSettings.load()
        conf.outlet_name = "مراسلين اليوم"
        conf.save()
        self.assert_fresh(["/about/", "/robots.txt", "/feed/", self.match.get_absolute_url()])

    def test_purge_pages_command(self):
        self.warm(["/about/", "/sport/"])
        call_command("purge_pages", all=True, stdout=io.StringIO())
        self.assert_fresh(["/about/", "/sport/"])


class TestMostReadBlock(PageCacheTestCase):
    def test_a_new_ranking_purges_the_pages_that_show_the_block_only(self):
        from murasil.readership.models import DailyArticleViews
        from murasil.readership.most_read import refresh_most_read

        today = timezone.localdate()
        DailyArticleViews.objects.create(article=self.match, day=today, views=5)
        refresh_most_read()
        shows_block = ["/", self.lead.get_absolute_url()]
        self.warm([*shows_block, "/sport/", "/feed/"])
        self.assertIn(self.match.title, self.client.get("/").content.decode())

        refresh_most_read()  # the same order: nothing to purge
        self.assert_still_cached([*shows_block, "/sport/", "/feed/"])

        DailyArticleViews.objects.create(article=self.lead, day=today, views=9)
        refresh_most_read()
        self.assertEqual(self.cache_states(shows_block), dict.fromkeys(shows_block, "MISS"))
        self.assert_still_cached(["/sport/", "/feed/"])
