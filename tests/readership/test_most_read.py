"""«الأكثر قراءة» on the home and article pages: ranked from the daily counters, published articles only."""

import datetime
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import time_machine
from bs4 import BeautifulSoup

from murasil.readership import most_read
from murasil.readership.models import DailyArticleViews
from tests.factories import make_article, make_section


def views(article, day, n):
    DailyArticleViews.objects.create(article=article, day=day, views=n)


def block(html: bytes) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one("section.most-read")
    if section is None:
        return {}
    return {
        period.select_one(".most-read-when").get_text(strip=True): [a.get_text(strip=True) for a in period("a")]
        for period in section.select(".most-read-period")
    }


class TestMostRead(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = make_section("محليات", "local")
        cls.fresh = make_article(section, "أمطار غزيرة تغلق طرقاً في المدينة")
        cls.steady = make_article(section, "دليل المدارس الجديدة للعام الدراسي")
        cls.old = make_article(section, "حكاية السوق القديم")
        cls.draft = make_article(section, "مسودة تحقيق لم ينشر", publish=False)
        # Noon, local time: half of yesterday is still inside the last 24 hours.
        cls.now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
        today = cls.now.date()
        yesterday = today - datetime.timedelta(days=1)
        views(cls.fresh, today, 50)  # 24h: 50
        views(cls.steady, today, 20)
        views(cls.steady, yesterday, 80)  # 24h: 20 + 80/2 = 60; week: 100
        views(cls.old, today - datetime.timedelta(days=3), 500)  # week only
        views(cls.old, today - datetime.timedelta(days=7), 9000)  # outside both
        views(cls.draft, today, 10_000)  # never shown

    def test_lists_rank_by_the_day_and_the_week(self):
        with time_machine.travel(self.now, tick=False):
            self.assertEqual(most_read.top_articles("day"), [(self.steady.pk, 60), (self.fresh.pk, 50)])
            self.assertEqual(
                most_read.top_articles("week"), [(self.old.pk, 500), (self.steady.pk, 100), (self.fresh.pk, 50)]
            )
        # Late in the evening, yesterday's views count for little.
        with time_machine.travel(self.now.replace(hour=21), tick=False):
            self.assertEqual(most_read.top_articles("day"), [(self.fresh.pk, 50), (self.steady.pk, 30)])

    def test_home_and_article_pages_show_the_block(self):
        with time_machine.travel(self.now, tick=False):
            home = block(self.client.get("/").content)
            page = block(self.client.get(self.fresh.get_absolute_url()).content)
        expected = {
            "آخر 24 ساعة": [self.steady.title, self.fresh.title],
            "آخر 7 أيام": [self.old.title, self.steady.title, self.fresh.title],
        }
        self.assertEqual(home, expected)
        self.assertEqual(page, expected)
        self.assertNotIn(self.draft.title, self.client.get("/").content.decode())

    def test_a_warm_render_costs_one_cache_read_and_no_query(self):
        most_read.refresh_most_read()
        with (
            CaptureQueriesContext(connection) as queries,
            mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
            mock.patch.object(cache, "set", wraps=cache.set) as cache_set,
        ):
            lists = most_read.most_read()
        self.assertEqual(len(queries), 0)
        self.assertEqual(get_many.call_count, 1)  # one MGET on Redis: the lists and the chrome version
        self.assertEqual(cache_set.call_count, 0)
        self.assertEqual(len(lists["week"]), 3)

    def test_a_withdrawn_article_never_appears_even_from_a_stale_list(self):
        most_read.refresh_most_read()
        self.old.unpublish()
        self.assertNotIn(self.old.pk, [item["id"] for item in most_read.most_read()["week"]])
        self.assertNotIn(self.old.title, self.client.get("/").content.decode())

    def test_an_expired_article_leaves_the_list_on_time(self):
        most_read.refresh_most_read()
        type(self.old).objects.filter(pk=self.old.pk).update(expire_at=timezone.now() + datetime.timedelta(minutes=5))
        most_read.refresh_most_read()
        self.assertIn(self.old.pk, [item["id"] for item in most_read.most_read()["week"]])
        later = timezone.now() + datetime.timedelta(minutes=6)
        self.assertNotIn(self.old.pk, [item["id"] for item in most_read.most_read(now=later)["week"]])

    def test_a_deleted_article_leaves_the_list(self):
        most_read.refresh_most_read()
        self.old.delete()
        self.assertNotIn(self.old.title, self.client.get("/").content.decode())

    def test_no_views_no_block(self):
        DailyArticleViews.objects.all().delete()
        self.assertEqual(block(self.client.get("/").content), {})
