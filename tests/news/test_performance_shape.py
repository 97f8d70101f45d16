"""Every reader surface costs a fixed number of queries, however many items it shows.

Each test counts a page's queries with its caches empty (the first reader after a publish) and warm
(everyone after), then adds more of everything the page lists (articles, photos, bylines, tags,
comments, related articles) and counts again: the counts must not change, and stay under a budget
so that a new per-row query shows up here first.
"""

import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taggit.models import Tag
from wagtail.rich_text import RichText

from murasil.news.models import Article, ArticleReporter
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_image, make_reporter
from tests.newsroom import NewsroomTestCase

# Page type → (cold budget, warm budget). Cold: caches empty; warm: the chrome, settings, rendered
# article parts and rendition look-ups cached, as on a running server.
BUDGETS = {
    "home": (27, 18),  # one short index range per top-level section (two here), by design; most read: 2
    "section": (20, 12),
    "child section": (24, 16),
    "section page 2": (20, 12),
    # cold: includes the live updates (one query); warm: the article row with its related articles' versions
    "article": (24, 1),
    "reporter": (12, 5),
    "tag": (12, 5),
    "static page": (14, 7),
    "search": (16, 8),
    "feed": (8, 8),
    "atom feed": (8, 8),
    "section feed": (12, 11),
    "reporter feed": (9, 9),
    "tag feed": (10, 10),
    "comment feed": (2, 2),
    "sitemap index": (10, 0),  # PostgreSQL probes the index once per month that has articles
    "month sitemap": (1, 1),
    "pages sitemap": (13, 12),  # one index probe per section for its lastmod, by design
    "reporters sitemap": (2, 2),
    "tags sitemap": (2, 2),
    "news sitemap": (2, 2),
    "api posts": (8, 6),
    "api posts embed": (33, 31),
    "api media": (7, 7),
    "api comments": (3, 3),
}


# Transaction bookkeeping is not a read: PostgreSQL wraps some views in a savepoint to turn off JIT.
BOOKKEEPING = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|SET LOCAL) ")


def reads(captured: CaptureQueriesContext) -> int:
    return sum(1 for query in captured.captured_queries if not BOOKKEEPING.match(query["sql"]))


# The cost of rendering a page: with the page cache on, the second request would be a hit.
@override_settings(MURASIL_PAGE_CACHE=False)
class TestQueryCounts(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.baghdad = Tag.objects.get(name="بغداد")
        cls.more = 0
        cls.grow_once(cls, 14)

    def grow(self, count: int) -> None:
        self.grow_once(self, count)

    @staticmethod
    def grow_once(owner, count: int) -> None:
        """`count` more articles in both sections, some with photos (featured and in the body), two
        reporters, tags and comments; the lead article gains a tag, a reporter, a comment, a body
        photo and a related article each time."""
        start = timezone.now() - datetime.timedelta(days=1, minutes=owner.more)
        made = []
        for i in range(count):
            n = owner.more + i
            article = make_article(
                owner.world if n % 2 else owner.iraq,
                f"خبر إضافي عن بغداد رقم {n}",
                tags=("بغداد", f"وسم {n}"),
                published_at=start - datetime.timedelta(minutes=i),
                reporters=(owner.anas, owner.huda),
                featured_image=make_image() if n % 3 == 0 else None,
            )
            make_comment(article, f"تعليق على الخبر {n}")
            made.append(article)
        owner.more += count
        lead = Article.objects.get(pk=owner.lead.pk)
        body = list(lead.body.raw_data)
        body.append(
            {"type": "image", "value": {"image": make_image(roles=("body",)).pk, "caption": "صورة", "credit": ""}}
        )
        body.append({"type": "paragraph", "value": str(RichText("<p>فقرة أخرى.</p>"))})
        lead.body = body
        lead.tags.add(f"وسم الخبر {owner.more}")
        reporter = make_reporter(f"مراسل إضافي {owner.more}", f"extra-{owner.more}")
        ArticleReporter.objects.create(article=lead, reporter=reporter, sort_order=10 + owner.more)
        lead.save_revision().publish()
        make_comment(lead, f"تعليق إضافي {owner.more}")
        Article.objects.filter(pk=lead.pk).update(related_ids=[a.pk for a in made[:4]] + [owner.related.pk])

    def urls(self) -> dict[str, str]:
        month = timezone.now().strftime("%Y-%m")
        first = self.client.get("/arab-world/").context["page_obj"]
        return {
            "home": "/",
            "section": "/arab-world/",
            "child section": "/arab-world/iraq/",
            "section page 2": f"/arab-world/?before={first.older_cursor}",
            "article": self.lead.get_absolute_url(),
            "reporter": "/author/anas/",
            "tag": f"/tag/{self.baghdad.slug}/",
            "static page": "/about/",
            "search": "/search/?q=بغداد",
            "feed": "/feed/",
            "atom feed": "/feed/atom/",
            "section feed": "/arab-world/feed/",
            "reporter feed": "/author/anas/feed/",
            "tag feed": f"/tag/{self.baghdad.slug}/feed/",
            "comment feed": f"/comments/feed/{self.lead.pk}/",
            "sitemap index": "/sitemap.xml",
            "month sitemap": f"/sitemap-articles-{month}.xml",
            "pages sitemap": "/sitemap-pages.xml",
            "reporters sitemap": "/sitemap-reporters.xml",
            "tags sitemap": "/sitemap-tags.xml",
            "news sitemap": "/news-sitemap.xml",
            "api posts": "/wp-json/wp/v2/posts?per_page=100",
            "api posts embed": "/wp-json/wp/v2/posts?per_page=100&_embed",
            "api media": "/wp-json/wp/v2/media?per_page=100",
            "api comments": "/wp-json/wp/v2/comments?per_page=100",
        }

    def count(self, url: str) -> tuple[int, int, int]:
        """(queries with empty caches, queries warm, items on the page)."""
        self.client.get(url)  # per-process look-ups (content types, URL resolvers), as a running server has
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        with CaptureQueriesContext(connection) as warm:
            response = self.client.get(url)
        body = response.content.decode()
        items = len(re.findall(r"<(?:item|entry|url|sitemap)>|class=\"card[ \"]|\"id\":|class=\"comment[ \"]", body))
        return reads(cold), reads(warm), items

    def test_no_page_makes_a_query_per_item(self):
        urls = self.urls()
        self.assertTrue(self.client.get(urls["section"]).context["page_obj"].older_cursor, "needs a second page")
        before = {name: self.count(url) for name, url in urls.items()}
        self.grow(16)
        urls = self.urls()
        after = {name: self.count(url) for name, url in urls.items()}
        for name in urls:
            with self.subTest(page=name):
                cold, warm, items = after[name]
                self.assertEqual((cold, warm), before[name][:2], f"{name}: queries grow with the number of items")
                budget_cold, budget_warm = BUDGETS[name]
                self.assertLessEqual(cold, budget_cold, f"{name}: {cold} queries with empty caches")
                self.assertLessEqual(warm, budget_warm, f"{name}: {warm} queries warm")
        # The lists really grew (so the equal counts above mean something).
        grown = ["child section", "section page 2", "feed", "month sitemap", "tags sitemap", "api posts"]
        for name in grown:
            self.assertGreater(after[name][2], before[name][2], f"{name} shows no more items than before")

    def test_article_parts_follow_what_is_shown(self):
        """The lead's page grew by a body photo, tag, reporter, comment and related card per round."""
        self.grow(5)
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        lead = Article.objects.get(pk=self.lead.pk)
        self.assertEqual(page.count('class="body-image"'), 2)
        self.assertEqual(page.count('rel="tag"'), lead.tags.count())
        self.assertEqual(page.count('rel="author"'), lead.article_reporters.count())
        self.assertEqual(page.count('class="comment"') + page.count('class="comment '), lead.comment_count)
        self.assertEqual(len(re.findall(r'<article class="card[ "]', page)), 4)
