"""Search as you type: /search/suggest/ offers headlines that fit a partly typed query."""

from django.test import override_settings

from murasil.news.models import Article
from murasil.search.index import rebuild, suggest_headlines
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


@override_settings(LANGUAGE_CODE="ar")
class TestHeadlineSuggestions(NewsroomTestCase):
    def titles(self, query: str) -> list[str]:
        response = self.client.get("/search/suggest/", {"q": query})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return [item["title"] for item in response.json()["results"]]

    def test_last_word_is_a_prefix_with_proclitics_and_spelling_folded(self):
        for typed in ("جس", "الجسـ", "افتتاح الجس", "إفتتاح جس"):
            self.assertEqual(self.titles(typed), [self.lead.title], typed)

    def test_every_finished_word_must_be_in_the_headline(self):
        self.assertEqual(self.titles("ازدحام بغ"), [self.related.title])
        self.assertEqual(self.titles("المنتخب بغ"), [])

    def test_newest_first_and_a_trailing_stop_word_is_ignored(self):
        self.assertEqual(self.titles("بغداد في"), [self.lead.title, self.related.title])

    def test_headline_only_and_published_only(self):
        self.assertEqual(self.titles("الكرخ"), [])  # in the standfirst, not the headline
        self.assertEqual(self.titles("مسود"), [])  # the draft's headline
        self.assertNotIn(self.draft.pk, suggest_headlines("مسودة لم"))

    def test_results_carry_link_and_section_and_may_be_cached(self):
        response = self.client.get("/search/suggest/", {"q": "جسر"})
        self.assertEqual(
            response.json()["results"],
            [{"title": self.lead.title, "url": self.lead.get_absolute_url(), "section": "العراق"}],
        )
        self.assertIn("public", response["Cache-Control"])
        self.assertNotIn("Set-Cookie", response)

    def test_short_or_odd_input_gives_nothing(self):
        for typed in ("", "ج", "   ", '"', "*", "'); drop table", "ب" * 500):
            self.assertEqual(self.titles(typed), [], typed)

    def test_follows_publish_edit_unpublish_delete_and_rebuild(self):
        # On PostgreSQL the headlines have a table of their own (migration 0005), written beside the
        # search document: it must follow each step as the search does.
        article = make_article(self.sport, "انطلاق دوري الشطرنج للشباب")
        self.assertEqual(self.titles("الشطر"), [article.title])
        article.title = "انطلاق دوري الكاراتيه للشباب"
        article.save_revision().publish()
        self.assertEqual(self.titles("الشطر"), [])
        self.assertEqual(self.titles("الكارا"), [article.title])
        article = Article.objects.get(pk=article.pk)
        article.unpublish()
        self.assertEqual(self.titles("الكارا"), [])
        article.save_revision().publish()
        rebuild(related=False)
        self.assertEqual(self.titles("الكارا"), [article.title])
        article.delete()
        self.assertEqual(self.titles("الكارا"), [])
