"""Related articles are computed on publish from the text, stored, and only read by the page."""

from murasil.news.models import Article
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase


class TestRelatedArticles(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dates = make_article(
            cls.world, "موسم حصاد التمور يبدأ في واحات البصرة",
            paragraphs=("بدأ المزارعون قطف التمور في بساتين النخيل، ويتوقعون محصولاً وفيراً من البرحي.",),
        )  # fmt: skip
        cls.palms = make_article(
            cls.sport, "مهرجان للنخيل والتمور يجمع مزارعي الجنوب",
            paragraphs=("عرض المزارعون أصناف التمور ومنتجات النخيل في مهرجان سنوي.",),
        )  # fmt: skip
        cls.unrelated = make_article(
            cls.sport, "نتائج الجولة الخامسة من دوري كرة السلة",
            paragraphs=("فاز فريق النهضة على منافسه في مباراة مثيرة بكرة السلة.",),
        )  # fmt: skip

    def test_similar_text_is_related_even_across_sections(self):
        self.dates.refresh_from_db()
        self.assertEqual(self.dates.related_ids[0], self.palms.pk)
        self.assertNotIn(self.unrelated.pk, self.dates.related_ids[:1])

    def test_older_article_gets_the_newer_neighbour(self):
        """dates was published before palms; publishing palms refreshed its closest neighbours."""
        self.dates.refresh_from_db()
        self.assertIn(self.palms.pk, self.dates.related_ids)

    def test_page_shows_stored_list_without_unpublished(self):
        Article.objects.filter(pk=self.dates.pk).update(related_ids=[self.draft.pk, self.palms.pk])
        response = self.client.get(self.dates.get_absolute_url())
        self.assertEqual([a.pk for a in response.context["related_articles"]], [self.palms.pk])
        self.assertNotContains(response, self.draft.title)

    def test_unpublished_article_is_dropped_from_lists(self):
        palms = Article.objects.get(pk=self.palms.pk)
        palms.unpublish()
        response = self.client.get(self.dates.get_absolute_url())
        self.assertNotIn(self.palms.pk, [a.pk for a in response.context["related_articles"]])
