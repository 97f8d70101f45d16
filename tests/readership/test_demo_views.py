"""The demo's synthetic view counts: only on days an article was already out, within the last 30 days."""

import datetime
import random

from django.test import TestCase
from django.utils import timezone

from murasil.readership.demo_views import synthetic_daily_views
from murasil.readership.models import DailyArticleViews
from tests.factories import make_article, make_section


class TestSyntheticViews(TestCase):
    def test_rows_follow_publication_and_stay_in_the_window(self):
        section = make_section("منوعات", "misc")
        now = timezone.now()
        old = make_article(section, "خبر من الشهر الماضي", published_at=now - datetime.timedelta(days=45))
        new = make_article(section, "خبر من أول أمس", published_at=now - datetime.timedelta(days=2))
        today = timezone.localdate(now)
        rows = synthetic_daily_views(
            [(a.pk, a.slug, a.first_published_at) for a in (old, new)], today=today, rng=random.Random(1)
        )
        self.assertEqual(len(rows), DailyArticleViews.objects.count())
        self.assertGreater(len(rows), 0)
        days = {(r.article_id, r.day) for r in rows}
        self.assertTrue(all(today - datetime.timedelta(days=29) <= day <= today for _, day in days))
        self.assertTrue(all(day >= timezone.localdate(new.first_published_at) for pk, day in days if pk == new.pk))
        self.assertTrue(all(r.views > 0 for r in rows))
