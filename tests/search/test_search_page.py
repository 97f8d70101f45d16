"""The reader's /search/ page."""

from django.test import override_settings

from tests.newsroom import NewsroomTestCase


@override_settings(LANGUAGE_CODE="ar")
class TestSearchPage(NewsroomTestCase):
    def test_results_with_highlight_as_written(self):
        response = self.client.get("/search/", {"q": "جسرٌ"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="جسرٌ"')
        self.assertContains(response, "<mark>جسر</mark>")  # the article's own word, not the stem
        self.assertContains(response, "نتيجة")
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_a_title_only_match_shows_the_opening_of_the_article(self):
        response = self.client.get("/search/", {"q": "ازدحام"})
        self.assertContains(response, "<mark>ازدحام</mark> مروري في بغداد")
        self.assertContains(response, '<p class="search-snippet">فقرة أولى من نص الخبر للتجربة.</p>', html=False)

    def test_empty_state_is_helpful_arabic(self):
        response = self.client.get("/search/", {"q": "كلمةغيرموجودة"})
        self.assertContains(response, "لم نجد مقالات")
        self.assertContains(response, "جرّب")

    def test_filters_and_sort(self):
        response = self.client.get("/search/", {"q": "بغداد", "section": self.sport.pk})
        self.assertContains(response, "لم نجد مقالات")
        self.assertContains(response, "ابحث مجدداً دون عوامل التصفية")
        response = self.client.get("/search/", {"q": "بغداد", "reporter": "huda", "sort": "newest"})
        self.assertEqual([a.pk for a in response.context["articles"]], [self.lead.pk])

    def test_bad_input_is_harmless(self):
        for params in (
            {"q": '"'},
            {"q": "«»"},
            {"q": "x" * 5000},
            {"q": "بغداد", "page": "zz"},
            {"q": "ب", "from": "2026-99-99"},
        ):
            self.assertEqual(self.client.get("/search/", params).status_code, 200, params)

    def test_no_query_shows_the_hint(self):
        response = self.client.get("/search/")
        self.assertContains(response, "لا تؤثر")

    def test_unpublished_never_shown(self):
        response = self.client.get("/search/", {"q": "مسودة الموازنة"})
        self.assertNotContains(response, self.draft.title)

    @override_settings(MURASIL_PAGE_CACHE=False)  # the view itself; tests/pagecache bound a copy by expiry
    def test_article_past_its_expiry_leaves_results_at_once(self):
        """Expiry happens by time, before Wagtail's publish_scheduled unindexes the article."""
        import datetime

        from django.utils import timezone

        from murasil.news.models import Article

        def found() -> list[int]:
            return [a.pk for a in self.client.get("/search/", {"q": "جسر دجلة"}).context["articles"]]

        self.assertIn(self.lead.pk, found())
        Article.objects.filter(pk=self.lead.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
        self.assertNotIn(self.lead.pk, found())
