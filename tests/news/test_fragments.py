"""The article page's cached parts never show a reader anything stale, unpublished or unapproved.

Every test first renders the page (filling the parts cache), changes something the way the
newsroom does, and reads the page again without clearing any cache.
"""

import datetime
import re

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from wagtail.rich_text import RichText

from murasil.comments.models import Comment
from murasil.news.fragments import parts_key
from murasil.news.models import Article
from tests.comments.helpers import make_comment
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


# The parts cache on its own: the full-page cache in front would answer before the view (tests/pagecache).
@override_settings(MURASIL_PAGE_CACHE=False)
class TestArticleParts(NewsroomTestCase):
    def setUp(self):
        self.url = self.lead.get_absolute_url()
        Article.objects.filter(pk=self.lead.pk).update(related_ids=[self.related.pk])
        self.first = self.page()

    def page(self, url: str | None = None) -> str:
        response = self.client.get(url or self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def republish(self, article: Article, **changes) -> Article:
        article = Article.objects.get(pk=article.pk)
        for field, value in changes.items():
            setattr(article, field, value)
        article.save_revision().publish()
        return Article.objects.get(pk=article.pk)

    def test_a_warm_page_is_served_from_the_cache(self):
        self.assertTrue(cache.get(parts_key(self.lead.pk)))
        self.page()  # the very first request also created the comment settings (a new version)
        response = self.client.get(self.url)
        self.assertNotIn("related_articles", response.context)  # nothing rendered again
        self.assertEqual(response.content.decode(), self.page())

    def test_unpublished_article_is_gone_at_once(self):
        Article.objects.get(pk=self.lead.pk).unpublish()
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_expired_article_is_gone_at_once(self):
        Article.objects.filter(pk=self.lead.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_withdrawn_related_article_leaves_the_related_cards(self):
        self.assertIn(self.related.title, self.first)
        Article.objects.get(pk=self.related.pk).unpublish()
        self.assertNotIn(self.related.title, self.page())

    def test_expired_related_article_leaves_the_related_cards(self):
        Article.objects.filter(pk=self.related.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertNotIn(self.related.title, self.page())

    def test_related_card_shows_the_new_headline(self):
        self.republish(self.related, title="عنوان جديد للخبر المرتبط")
        page = self.page()
        self.assertIn("عنوان جديد للخبر المرتبط", page)
        self.assertNotIn(self.related.title, page)

    def test_a_new_related_list_is_shown(self):
        other = make_article(self.sport, "خبر رياضي صار مرتبطا")
        Article.objects.filter(pk=self.lead.pk).update(related_ids=[other.pk])  # as refresh_related() does
        page = self.page()
        self.assertIn(other.title, page)
        self.assertNotIn(self.related.title, page)

    def test_republished_body_replaces_the_cached_one(self):
        body = [("paragraph", RichText("<p>نص جديد كليا بعد التحديث.</p>"))]
        self.republish(self.lead, body=body, title="عنوان محدث للجسر")
        page = self.page()
        self.assertIn("نص جديد كليا بعد التحديث.", page)
        self.assertIn("عنوان محدث للجسر", page)
        self.assertNotIn("افتتحت أمانة بغداد صباح اليوم", page)

    def test_a_saved_draft_never_reaches_readers(self):
        article = Article.objects.get(pk=self.lead.pk)
        article.title = "عنوان في مسودة لم تنشر"
        article.body = [("paragraph", RichText("<p>فقرة سرية في المسودة.</p>"))]
        article.save_revision()  # saved, not published
        page = self.page()
        self.assertNotIn("فقرة سرية في المسودة.", page)
        self.assertNotIn("عنوان في مسودة لم تنشر", page)
        self.assertIn("افتتحت أمانة بغداد صباح اليوم", page)

    def test_comments_follow_moderation(self):
        comment = make_comment(self.lead, "تعليق ينتظر المراجعة", status=Comment.Status.PENDING)
        self.assertNotIn("تعليق ينتظر المراجعة", self.page())
        comment.status = Comment.Status.APPROVED
        comment.save()
        self.assertIn("تعليق ينتظر المراجعة", self.page())
        comment.text = "نص عدله المحرر"  # same count, new text
        comment.save()
        page = self.page()
        self.assertIn("نص عدله المحرر", page)
        self.assertNotIn("تعليق ينتظر المراجعة", page)
        comment.status = Comment.Status.TRASH
        comment.save()
        self.assertNotIn("نص عدله المحرر", self.page())

    def test_comment_count_on_related_cards_follows(self):
        self.assertNotIn('class="card-comments"', self.first)
        make_comment(self.related, "تعليق على الخبر المرتبط")
        self.assertIn('class="card-comments"', self.page())

    def test_renamed_section_reporter_and_tag_show_at_once(self):
        self.iraq.title = "بلاد الرافدين"
        self.iraq.save_revision().publish()
        self.anas.name = "أنس أحمد"
        self.anas.save()
        tag = self.lead.tags.get(name="النقل")
        tag.name = "المواصلات"
        tag.save()
        page = self.page()
        self.assertIn(">بلاد الرافدين</a>", page)
        self.assertIn('rel="author" href="/author/anas/">أنس أحمد</a>', page)
        self.assertIn('rel="tag">المواصلات</a>', page)

    def test_settings_change_shows_at_once(self):
        from murasil.core.models import NewsroomSettings

        conf = NewsroomSettings.load()
        conf.default_source = "وكالة الأنباء المحلية"
        conf.save()
        self.assertIn("وكالة الأنباء المحلية", self.page())

    def test_preview_of_a_draft_does_not_touch_the_cached_page(self):
        from django.contrib.auth.models import AnonymousUser
        from django.test import RequestFactory

        article = Article.objects.get(pk=self.lead.pk)
        article.title = "عنوان المعاينة"
        request = RequestFactory().get("/admin/")
        request.user = AnonymousUser()
        response = article.serve_preview(request, "")
        response.render()
        self.assertIn("عنوان المعاينة", response.content.decode())
        self.assertNotIn("عنوان المعاينة", self.page())

    def test_one_lead_image_per_page(self):
        self.assertEqual(len(re.findall(r'fetchpriority="high"', self.first)), 1)
