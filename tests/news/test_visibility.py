"""Unpublished, scheduled and expired articles never reach a reader, on any public page."""

import datetime

from django.utils import timezone

from murasil.news.models import Article
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


class TestNothingUnpublishedIsShown(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.scheduled = make_article(cls.sport, "خبر مجدول للنشر بعد يومين", publish=False, tags=("بغداد",))
        cls.scheduled.go_live_at = now + datetime.timedelta(days=2)
        cls.scheduled.save_revision().publish()
        cls.expired = make_article(cls.sport, "خبر انتهت صلاحيته أمس", tags=("بغداد",), is_breaking=True)
        Article.objects.filter(pk=cls.expired.pk).update(expire_at=now - datetime.timedelta(minutes=1))
        cls.unpublished = make_article(cls.iraq, "خبر سحب من النشر", tags=("بغداد",), reporters=(cls.anas,))
        cls.unpublished.unpublish()
        cls.hidden = [cls.draft, cls.scheduled, cls.expired, cls.unpublished]

    def public_urls(self):
        tag = self.lead.tags.get(name="بغداد")
        return [
            "/",
            "/arab-world/",
            "/arab-world/iraq/",
            "/sport/",
            "/author/anas/",
            f"/tag/{tag.slug}/",
            self.lead.get_absolute_url(),
            self.related.get_absolute_url(),
            "/about/",
        ]

    def test_scheduled_article_is_not_live(self):
        self.scheduled.refresh_from_db()
        self.assertFalse(self.scheduled.live)

    def test_hidden_articles_appear_on_no_public_page(self):
        for url in self.public_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            for article in self.hidden:
                self.assertNotContains(response, article.title, msg_prefix=url)
                self.assertNotContains(response, f"/{article.pk}/", msg_prefix=url)

    def test_hidden_articles_own_urls_are_404(self):
        for article in self.hidden:
            response = self.client.get(article.get_absolute_url())
            self.assertEqual(response.status_code, 404, article.title)
            response = self.client.get(f"/{article.section.slug}/{article.pk}/")
            self.assertEqual(response.status_code, 404, article.title)
