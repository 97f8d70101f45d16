"""A newsroom with two unrelated corners, and helpers that read the page cache's X-Cache header."""

import datetime

from django.urls import reverse
from django.utils import timezone

from taggit.models import Tag

from murasil.news.models import Article
from tests.factories import make_article, make_reporter
from tests.newsroom import NewsroomTestCase


def tag_url(name: str) -> str:
    return reverse("news:tag", kwargs={"slug": Tag.objects.get(name=name).slug})


class PageCacheTestCase(NewsroomTestCase):
    """`lead` (العراق › عربي و دولي; بغداد, النقل; anas, huda) against `match` (رياضة; كرة القدم; sami)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sami = make_reporter("سامي العبيدي", "sami")
        cls.match = make_article(
            cls.sport,
            "فوز الفريق الأولمبي في مباراة ودية",
            tags=("كرة القدم",),
            reporters=(cls.sami,),
            published_at=timezone.now() - datetime.timedelta(hours=3),
        )
        # Related lists are computed by text similarity; these two must not show each other.
        Article.objects.filter(pk__in=[cls.lead.pk, cls.match.pk]).update(related_ids=[])

    def lead_pages(self) -> list[str]:
        """Every page that shows `lead` or lists it."""
        return [
            self.lead.get_absolute_url(),
            "/",
            "/arab-world/",
            "/arab-world/iraq/",
            tag_url("بغداد"),
            tag_url("النقل"),
            "/author/anas/",
            "/author/huda/",
            "/feed/",
            "/feed/atom/",
            "/arab-world/feed/",
            "/arab-world/iraq/feed/",
            "/author/anas/feed/",
            reverse("tag_feed", kwargs={"slug": Tag.objects.get(name="بغداد").slug}),
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/wp-json/wp/v2/posts",
        ]

    def unrelated_pages(self) -> list[str]:
        """Pages that neither show nor list `lead`."""
        return [
            self.match.get_absolute_url(),
            "/sport/",
            tag_url("كرة القدم"),
            "/author/sami/",
            "/author/sami/feed/",
            "/sport/feed/",
            "/robots.txt",
        ]

    def warm(self, urls: list[str]) -> None:
        for url in urls:
            first = self.client.get(url)
            self.assertEqual(first.status_code, 200, url)
            self.assertEqual(self.client.get(url)["X-Cache"], "HIT", url)

    def cache_states(self, urls: list[str]) -> dict[str, str]:
        return {url: self.client.get(url).get("X-Cache") for url in urls}

    def assert_fresh(self, urls: list[str]) -> None:
        states = self.cache_states(urls)
        self.assertEqual(dict.fromkeys(urls, "MISS"), states, "these pages should have been purged")

    def assert_still_cached(self, urls: list[str]) -> None:
        states = self.cache_states(urls)
        self.assertEqual(dict.fromkeys(urls, "HIT"), states, "these pages should still be cached")
