"""Live coverage (timestamped updates, newest first, each with an anchor; «آخر تحديث»; LiveBlogPosting)
and editorial notes, which only staff ever see."""

import datetime
import json
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from lxml import html

from murasil.core.models import NewsroomSettings
from murasil.news.models import Article, LiveUpdate
from tests.comments.test_privacy import TestPrivacySweep
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase

NOTE = "ملاحظة داخلية سرية: المصدر طلب عدم ذكر اسمه"


def add_update(article: Article, text: str, minutes_ago: int, author=None) -> Article:
    """An editor adds an update in the admin: a new revision with one more row, published."""
    article = Article.objects.get(pk=article.pk)
    updates = list(article.live_updates.all())
    posted = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    updates.append(LiveUpdate(posted_at=posted, text=f"<p>{text}</p>", author=author))
    article.live_updates = updates
    article.save_revision().publish()
    return Article.objects.get(pk=article.pk)


def json_ld(response) -> list[dict]:
    tree = html.fromstring(response.content)
    return [json.loads(s.text) for s in tree.xpath('//head/script[@type="application/ld+json"]')]


class TestLiveCoverage(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.story = make_article(
            cls.iraq,
            "تغطية مباشرة: فيضان نهر دجلة في بغداد",
            live_coverage=True,
            published_at=timezone.now() - datetime.timedelta(hours=3),
        )
        add_update(cls.story, "ارتفاع منسوب المياه عند جسر الجمهورية.", 120, author=cls.anas)
        add_update(cls.story, "الدفاع المدني يخلي منازل قرب الشاطئ.", 60)
        cls.story = add_update(cls.story, "بدء انحسار المياه بعد منتصف النهار.", 5, author=cls.huda)

    def test_updates_newest_first_each_with_its_own_anchor(self):
        response = self.client.get(self.story.get_absolute_url())
        body = response.content.decode()
        texts = ["بدء انحسار المياه", "الدفاع المدني يخلي", "ارتفاع منسوب المياه"]
        positions = [body.index(text) for text in texts]
        self.assertEqual(positions, sorted(positions))
        anchors = re.findall(r'<li class="live-update" id="(update-\d+)">', body)
        self.assertEqual(anchors, [f"update-{u.pk}" for u in self.story.live_updates.order_by("-posted_at")])
        for anchor in anchors:
            self.assertIn(f'href="#{anchor}"', body)
        self.assertContains(response, '<span class="live-author">هدى الساعدي</span>', html=False)
        self.assertContains(response, '<span class="live-badge">مباشر</span>', html=False)

    def test_page_shows_the_latest_update_time(self):
        body = self.client.get(self.story.get_absolute_url()).content.decode()
        latest = self.story.live_updates.order_by("-posted_at").first()
        line = body.split('class="live-latest"')[1].split("</span>")[0]
        self.assertIn("آخر تحديث", line)
        self.assertIn(f'href="#update-{latest.pk}"', line)
        self.assertIn(timezone.localtime(latest.posted_at).strftime("%Y-%m-%dT%H:%M"), line)

    def test_live_blog_posting(self):
        data = json_ld(self.client.get(self.story.get_absolute_url()))
        [blog] = [item for item in data if item["@type"] == "LiveBlogPosting"]
        updates = blog["liveBlogUpdate"]
        self.assertEqual(len(updates), 3)
        self.assertTrue(updates[0]["url"].endswith(f"#update-{self.story.live_updates.order_by('-posted_at')[0].pk}"))
        self.assertEqual(updates[0]["author"]["name"], "هدى الساعدي")
        self.assertIn("coverageStartTime", blog)
        self.assertEqual(blog["headline"], self.story.title)

    def test_an_ordinary_article_has_no_live_parts(self):
        response = self.client.get(self.lead.get_absolute_url())
        self.assertNotContains(response, "live-coverage")
        self.assertNotContains(response, "آخر تحديث")
        self.assertEqual({item["@type"] for item in json_ld(response)}, {"NewsArticle", "BreadcrumbList"})

    def test_a_new_update_replaces_the_cached_article_parts(self):
        url = self.story.get_absolute_url()
        self.client.get(url)  # the parts are cached now
        self.assertNotContains(self.client.get(url), "عودة الحركة إلى الجسر")
        add_update(self.story, "عودة الحركة إلى الجسر بعد إعادة فتحه.", 0)
        response = self.client.get(url)
        self.assertContains(response, "عودة الحركة إلى الجسر")
        body = response.content.decode()
        self.assertLess(body.index("عودة الحركة إلى الجسر"), body.index("بدء انحسار المياه"))

    def test_an_unpublished_update_stays_off_the_page(self):
        article = Article.objects.get(pk=self.story.pk)
        article.live_updates = [
            *article.live_updates.all(),
            LiveUpdate(posted_at=timezone.now(), text="<p>تحديث في المسودة لم يراجع بعد.</p>"),
        ]
        article.save_revision()
        self.assertNotContains(self.client.get(self.story.get_absolute_url()), "تحديث في المسودة")


class TestEditorialNotes(TestPrivacySweep):
    """The comments' privacy sweep, with a note on the lead story: no public surface may show it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        conf = NewsroomSettings.load()
        conf.full_text_in_feeds = True
        conf.save()
        article = Article.objects.get(pk=cls.lead.pk)
        article.editorial_notes = NOTE
        article.save_revision().publish()
        cls.lead = Article.objects.get(pk=cls.lead.pk)

    def extra_surfaces(self) -> list[str]:
        return [
            *super().extra_surfaces(),
            f"/wp-json/wp/v2/posts/{self.lead.pk}",
            f"/wp-json/wp/v2/posts/{self.lead.pk}?context=view&_embed",
            "/wp-json/wp/v2/posts?per_page=100",
            "/search/?q=المصدر",
            "/search/?q=سرية",
            "/feed/atom/",
            "/sitemap.xml",
            "/news-sitemap.xml",
        ]

    def test_notes_appear_on_no_public_surface(self):
        self.assertEqual(Article.objects.get(pk=self.lead.pk).editorial_notes, NOTE)
        pages = self.crawl()
        for url in self.extra_surfaces():
            pages[url] = self.client.get(url)
        self.assertIn(self.lead.get_absolute_url(), pages)
        for url, response in pages.items():
            body = response.content.decode(errors="replace")
            self.assertNotIn("المصدر طلب عدم ذكر اسمه", body, url)
            self.assertNotIn("ملاحظة داخلية سرية", body, url)
        search = pages["/search/?q=سرية"].content.decode()
        self.assertNotIn(self.lead.title, search)

    def test_search_index_does_not_hold_notes(self):
        from murasil.search.index import search

        self.assertNotIn(self.lead.pk, search("سرية").ids)
        self.assertIn(self.lead.pk, search("جسر").ids)

    def test_staff_see_and_edit_notes_in_the_admin(self):
        editor = get_user_model().objects.create_superuser("desk", "desk@example.com", "s3cret-pass")
        self.client.force_login(editor)
        response = self.client.get(reverse("wagtailsnippets_news_article:edit", args=[self.lead.pk]))
        self.assertContains(response, NOTE)
        self.assertContains(response, "ملاحظات التحرير")


class TestLivePreview(NewsroomTestCase):
    def test_an_editor_previews_a_new_update_before_publishing(self):
        from wagtail.test.utils.form_data import inline_formset, rich_text

        from tests.roles.test_roles import article_form

        editor = get_user_model().objects.create_superuser("desk", "desk@example.com", "s3cret-pass")
        self.client.force_login(editor)
        update = {"posted_at": "2026-12-01 10:30", "text": rich_text("<p>تحديث تجريبي في المعاينة.</p>"), "author": ""}
        data = article_form(self.lead, live_coverage="on", live_updates=inline_formset([update]))
        url = reverse("wagtailsnippets_news_article:preview_on_edit", args=[self.lead.pk])
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        preview = self.client.get(url)
        self.assertContains(preview, "تحديث تجريبي في المعاينة")
        self.assertContains(preview, 'id="update-20261201')  # not saved yet: anchored by its time
        self.client.logout()
        self.assertNotContains(self.client.get(self.lead.get_absolute_url()), "تحديث تجريبي في المعاينة")
