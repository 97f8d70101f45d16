"""The breaking strip's expiry (`breaking_until`) in the page cache and the chrome cache: a stored page
never shows a story past its time, and an editor's change to the time reaches every page at once."""

import datetime

from django.utils import timezone

import time_machine

from murasil.news.models import Article
from tests.factories import make_article

from .base import PageCacheTestCase

PAGES = ["/", "/about/", "/sport/"]


def strip(response) -> str:
    body = response.content.decode()
    return body.split('class="breaking"')[1].split("</section>")[0] if 'class="breaking"' in body else ""


class TestBreakingUntil(PageCacheTestCase):
    def test_a_stored_page_drops_the_story_when_its_time_is_up(self):
        ends = timezone.now() + datetime.timedelta(minutes=10)
        Article.objects.filter(pk=self.breaking.pk).update(breaking_until=ends)
        self.warm([*PAGES, self.match.get_absolute_url()])
        self.assertIn(self.breaking.title, strip(self.client.get("/about/")))
        with time_machine.travel(ends + datetime.timedelta(seconds=1)):
            for url in [*PAGES, self.match.get_absolute_url()]:
                response = self.client.get(url)
                self.assertEqual(response["X-Cache"], "MISS", url)
                # It was the only current one: the strip is gone, not empty.
                self.assertNotIn('class="breaking"', response.content.decode(), url)
            # Its own pages still show it as a story.
            self.assertContains(self.client.get("/sport/"), self.breaking.title)

    def test_an_editor_ending_it_early_reaches_every_page(self):
        self.warm(PAGES)
        article = Article.objects.get(pk=self.breaking.pk)
        article.breaking_until = None
        article.save_revision().publish()
        for url in PAGES:
            self.assertNotIn(self.breaking.title, strip(self.client.get(url)), url)

    def test_flagging_an_older_story_reaches_every_page(self):
        self.warm(["/about/", self.match.get_absolute_url()])
        article = Article.objects.get(pk=self.lead.pk)
        article.breaking_until = timezone.now() + datetime.timedelta(hours=2)
        article.save_revision().publish()
        for url in ("/about/", self.match.get_absolute_url()):
            self.assertIn(self.lead.title, strip(self.client.get(url)), url)

    def test_strip_is_newest_first_and_only_current_ones(self):
        newer = make_article(self.iraq, "عاجل: هطول أمطار غزيرة على بغداد", is_breaking=True)
        expired = make_article(
            self.iraq,
            "عاجل انتهى وقته عن إغلاق طريق المطار",
            breaking_until=timezone.now() - datetime.timedelta(minutes=1),
        )
        shown = strip(self.client.get("/about/"))
        self.assertLess(shown.index(newer.title), shown.index(self.breaking.title))
        self.assertNotIn(expired.title, shown)
        self.assertNotIn(self.old_breaking.title, shown)

    def test_a_draft_time_changes_nothing_until_published(self):
        self.warm(["/about/"])
        article = Article.objects.get(pk=self.lead.pk)
        article.breaking_until = timezone.now() + datetime.timedelta(hours=2)
        article.save_revision()
        self.assertEqual(self.client.get("/about/")["X-Cache"], "HIT")
        self.assertNotIn(self.lead.title, strip(self.client.get("/about/")))


class TestLiveUpdates(PageCacheTestCase):
    def test_publishing_an_update_purges_the_article_page_and_its_lists(self):
        from murasil.news.models import LiveUpdate

        self.warm(self.lead_pages() + self.unrelated_pages())
        article = Article.objects.get(pk=self.lead.pk)
        article.live_coverage = True
        article.live_updates = [LiveUpdate(text="<p>وصول أول الحافلات إلى الجسر الجديد.</p>")]
        article.save_revision()
        self.assert_still_cached([self.lead.get_absolute_url()])  # a draft update changes nothing yet
        article.save_revision().publish()
        response = self.client.get(self.lead.get_absolute_url())
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "وصول أول الحافلات إلى الجسر الجديد")
        self.assertContains(response, "آخر تحديث")
        self.assert_still_cached(self.unrelated_pages())
