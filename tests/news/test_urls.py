"""An article's link survives edits: any superseded URL answers 301 to the current one."""

from murasil.news.models import Article
from tests.newsroom import NewsroomTestCase


class TestStableArticleUrls(NewsroomTestCase):
    def test_current_url_answers_200(self):
        self.assertEqual(self.client.get(self.lead.get_absolute_url()).status_code, 200)

    def test_url_survives_headline_slug_and_section_edit(self):
        old_url = self.lead.get_absolute_url()
        article = Article.objects.get(pk=self.lead.pk)
        article.title = "افتتاح الجسر الجديد رسمياً بحضور المحافظ"
        article.slug = ""  # rebuilt from the new headline
        article.section = self.sport
        article.save_revision().publish()
        article.refresh_from_db()
        new_url = article.get_absolute_url()
        self.assertNotEqual(old_url, new_url)
        self.assertTrue(new_url.startswith(f"/sport/{article.pk}/"))
        response = self.client.get(old_url)
        self.assertRedirects(response, new_url, status_code=301)
        self.assertEqual(self.client.get(new_url).status_code, 200)

    def test_short_and_mangled_urls_redirect(self):
        url = self.lead.get_absolute_url()
        for stale in (f"/iraq/{self.lead.pk}/", f"/sport/{self.lead.pk}/wrong-slug/", f"/iraq/{self.lead.pk}/x/"):
            self.assertRedirects(self.client.get(stale), url, status_code=301, msg_prefix=stale)

    def test_parent_section_moves_keep_root_section(self):
        """Moving a child section under another top-level section moves its articles' home-page block."""
        from murasil.news.models import SectionPage

        iraq = SectionPage.objects.get(pk=self.iraq.pk)
        iraq.move(SectionPage.objects.get(pk=self.sport.pk), pos="last-child")
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.root_section_id, self.sport.pk)
        sport_page = self.client.get("/sport/")
        self.assertIn(self.lead.pk, [a.pk for a in sport_page.context["page_obj"].items])
