"""The beacon: counts once per reader and window, ignores bots, refuses what readers may not see."""

import datetime
import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import time_machine

from murasil.readership import counters, visitors
from murasil.readership.models import DailyArticleViews
from tests.factories import make_article, make_section

from .helpers import READER_UA, beacon, clear_counters


def ttl(key: str) -> float:
    """Seconds left before a cache entry expires, on Redis or the local-memory cache."""
    if counters.uses_redis():
        return cache._cache.get_client(write=False).ttl(cache.make_key(key))
    return cache._expire_info[cache.make_key(key)] - time.time()


def pending_for(article_id: int) -> int:
    return sum(n for (_, pk), n in counters.store().pending().items() if pk == article_id)


class BeaconTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("محليات", "local")
        cls.article = make_article(cls.section, "افتتاح مكتبة عامة في الحي القديم")
        cls.other = make_article(cls.section, "مهرجان للكتاب في الساحة")

    def setUp(self):
        clear_counters()
        self.addCleanup(clear_counters)
        # The beacon path flushes once a minute; these tests look at the pending counts, so the minute's
        # flush is taken.
        cache.set(counters.FLUSH_DUE_KEY, 1, None)
        self.client = Client()


class TestCounting(BeaconTestCase):
    def test_a_view_is_counted_fast_with_no_database_write(self):
        self.assertEqual(Client().get(self.article.get_absolute_url()).status_code, 200)
        with CaptureQueriesContext(connection) as queries:
            response = beacon(self.client, self.article.pk)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertNotIn("Set-Cookie", response.headers)
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        self.assertEqual(writes, [])
        self.assertEqual(pending_for(self.article.pk), 1)
        self.assertFalse(DailyArticleViews.objects.exists())
        # The published state is cached: a second reader costs no query at all.
        with CaptureQueriesContext(connection) as queries:
            beacon(self.client, self.article.pk, ip="203.0.113.8")
        self.assertEqual(len(queries), 0)
        self.assertEqual(pending_for(self.article.pk), 2)

    def test_needs_no_csrf_token_but_only_post(self):
        strict = Client(enforce_csrf_checks=True)
        self.assertEqual(beacon(strict, self.article.pk).status_code, 204)
        self.assertEqual(strict.get(f"/readership/view/{self.article.pk}/").status_code, 405)
        self.assertEqual(pending_for(self.article.pk), 1)

    def test_the_same_reader_within_the_window_counts_once(self):
        with mock.patch.object(visitors, "DEDUPE_SECONDS", 2):
            beacon(self.client, self.article.pk)
            beacon(self.client, self.article.pk)  # reload
            beacon(self.client, self.other.pk)  # another article: counted
            beacon(self.client, self.article.pk, ua=READER_UA + " Edg/131")  # another browser
            beacon(self.client, self.article.pk, ip="198.51.100.20")  # another reader
            self.assertEqual(pending_for(self.article.pk), 3)
            self.assertEqual(pending_for(self.other.pk), 1)
            time.sleep(1)
            beacon(self.client, self.article.pk)  # still within the window
            self.assertEqual(pending_for(self.article.pk), 3)
            time.sleep(1.2)  # the window has passed (real time: Redis keeps its own clock)
            beacon(self.client, self.article.pk)
            self.assertEqual(pending_for(self.article.pk), 4)

    def test_the_window_is_thirty_minutes(self):
        beacon(self.client, self.article.pk, ip="203.0.113.50")
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT=READER_UA)
        seen_key, rate_key = visitors.reader_keys(request, self.article.pk, visitors.daily_salt())
        self.assertAlmostEqual(ttl(seen_key), 30 * 60, delta=5)
        self.assertAlmostEqual(ttl(rate_key), 10 * 60, delta=5)

    def test_salt_rotates_daily_and_ends_with_the_day(self):
        late = timezone.localtime().replace(hour=23, minute=50, second=0, microsecond=0)
        with time_machine.travel(late, tick=False):
            salt = visitors.daily_salt()
            self.assertEqual(visitors.daily_salt(), salt)
            beacon(self.client, self.article.pk)
        # After local midnight: a new salt, so the same reader is a new reader on the new day, and
        # yesterday's hashes can no longer be recomputed from anything the site keeps.
        with time_machine.travel(late + datetime.timedelta(minutes=15), tick=False):
            new_salt = visitors.daily_salt()
            self.assertNotEqual(new_salt, salt)
            beacon(self.client, self.article.pk)
        days = {day for (day, pk) in counters.store().pending() if pk == self.article.pk}
        self.assertEqual(days, {late.date(), late.date() + datetime.timedelta(days=1)})
        # Each salt's cache entry is set to end at the next local midnight: it is not kept beyond its day.
        day_after = late + datetime.timedelta(days=2, minutes=-20)  # 23:30 on a day without a salt yet
        with time_machine.travel(day_after, tick=False), mock.patch.object(cache, "add", wraps=cache.add) as add:
            visitors.daily_salt()
        salt_calls = [c for c in add.call_args_list if "salt" in c.args[0]]
        self.assertEqual(len(salt_calls), 1)
        self.assertEqual(salt_calls[0].args[2], 30 * 60)

    def test_bots_are_ignored(self):
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "python-requests/2.32",
            "",
        ]:
            self.assertEqual(beacon(self.client, self.article.pk, ua=ua).status_code, 204)
        self.assertEqual(pending_for(self.article.pk), 0)

    def test_unpublished_expired_and_unknown_articles_are_refused(self):
        draft = make_article(self.section, "مسودة عن الميزانية", publish=False)
        expired = make_article(self.section, "خبر انتهت صلاحيته")
        type(expired).objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
        for pk in (draft.pk, expired.pk, 999_999):
            self.assertEqual(beacon(self.client, pk).status_code, 404)
            self.assertEqual(pending_for(pk), 0)
        self.assertEqual(self.client.post("/readership/view/abc/").status_code, 404)

    def test_withdrawing_an_article_stops_counting_at_once(self):
        beacon(self.client, self.article.pk)  # caches "published"
        self.article.unpublish()
        self.assertEqual(beacon(self.client, self.article.pk, ip="198.51.100.9").status_code, 404)
        self.assertEqual(pending_for(self.article.pk), 1)

    def test_rate_limit_per_browser(self):
        with mock.patch.object(visitors, "RATE_LIMIT", 3):
            codes = [beacon(self.client, pk).status_code for pk in (self.article.pk, self.other.pk) * 3]
            self.assertEqual(codes, [204, 204, 204, 429, 429, 429])
            # Another browser behind the same address has its own allowance.
            self.assertEqual(beacon(self.client, self.other.pk, ua=READER_UA + " Firefox").status_code, 204)
        self.assertEqual(pending_for(self.article.pk), 1)
        self.assertEqual(pending_for(self.other.pk), 2)
