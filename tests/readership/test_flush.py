"""Flushing: counts reach the database exactly once, survive a failed write, and cost few queries."""

import datetime
import threading
import time
from io import StringIO
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client, TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from murasil.news.models import Article
from murasil.readership import counters
from murasil.readership.models import DailyArticleViews, FlushedBatch
from tests.factories import ensure_site, make_article, make_section

from .helpers import beacon, clear_counters


def failing_write(message: str):
    return mock.patch.object(counters, "_upsert", side_effect=DatabaseError(message))


def stored(article: Article) -> int:
    return sum(DailyArticleViews.objects.filter(article=article).values_list("views", flat=True))


class FlushTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = make_section("اقتصاد", "economy")
        cls.article = make_article(section, "ارتفاع أسعار الخضار في الأسواق")
        cls.other = make_article(section, "افتتاح معرض للصناعات المحلية")

    def setUp(self):
        clear_counters()
        self.addCleanup(clear_counters)
        self.client = Client()


class TestFlush(FlushTestCase):
    def test_flush_writes_counts_and_resets_them(self):
        cache.set(counters.FLUSH_DUE_KEY, 1, 3600)  # no flush from the beacon path here
        for n in range(5):
            beacon(self.client, self.article.pk, ip=f"203.0.113.{n}")
        beacon(self.client, self.other.pk)
        out = StringIO()
        call_command("flush_views", stdout=out)
        self.assertIn("Wrote 6 views of 2 article-days", out.getvalue())
        self.assertEqual(stored(self.article), 5)
        self.assertEqual(stored(self.other), 1)
        self.assertEqual(counters.store().pending(), {})
        # A second flush has nothing left: no double counting.
        counters.flush_views()
        self.assertEqual(stored(self.article), 5)
        # New views add to the day's row.
        beacon(self.client, self.article.pk, ip="198.51.100.1")
        counters.flush_views()
        self.assertEqual(stored(self.article), 6)
        self.assertEqual(DailyArticleViews.objects.filter(article=self.article).count(), 1)

    def test_a_failed_write_loses_nothing(self):
        today = timezone.localdate()
        counters.count_view(self.article.pk)
        counters.count_view(self.article.pk)
        with failing_write("disk full"), self.assertRaises(DatabaseError):
            counters.flush_views()
        self.assertEqual(stored(self.article), 0)
        self.assertEqual(counters.store().pending(), {(today, self.article.pk): 2})
        self.assertFalse(FlushedBatch.objects.exists())
        counters.count_view(self.article.pk)
        counters.flush_views()
        self.assertEqual(stored(self.article), 3)

    def test_a_failure_in_the_beacon_path_is_logged_not_raised(self):
        with failing_write("locked"), self.assertLogs("murasil.readership.counters", "WARNING"):
            response = beacon(self.client, self.article.pk)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(sum(counters.store().pending().values()), 1)

    def test_the_beacon_path_flushes_at_most_once_a_minute(self):
        beacon(self.client, self.article.pk, ip="203.0.113.1")
        self.assertEqual(stored(self.article), 1)  # the first beacon of the minute flushed after responding
        beacon(self.client, self.article.pk, ip="203.0.113.2")
        self.assertEqual(stored(self.article), 1)
        self.assertEqual(sum(counters.store().pending().values()), 1)
        cache.delete(counters.FLUSH_DUE_KEY)  # a minute later
        beacon(self.client, self.article.pk, ip="203.0.113.3")
        self.assertEqual(stored(self.article), 3)

    def test_the_scheduler_flush_holds_back_beacon_flushes(self):
        counters.scheduled_flush()
        beacon(self.client, self.article.pk)
        self.assertEqual(stored(self.article), 0)
        counters.scheduled_flush()
        self.assertEqual(stored(self.article), 1)

    def test_views_of_a_deleted_article_are_dropped(self):
        doomed = make_article(Article.objects.first().section, "خبر سيحذف")
        counters.count_view(doomed.pk)
        counters.count_view(self.article.pk)
        doomed.delete()
        counters.flush_views()
        self.assertEqual(stored(self.article), 1)
        self.assertEqual(DailyArticleViews.objects.count(), 1)

    def test_ten_thousand_counters_in_a_few_queries(self):
        # 10,000 distinct (article, day) counters: 400 articles × 25 days, written in one flush.
        ids = list(Article.objects.values_list("pk", flat=True))
        section = Article.objects.first().section
        extra = [
            Article(section=section, title=f"خبر رقم {n}", slug=f"n-{n}", live=True, first_published_at=timezone.now())
            for n in range(400 - len(ids))
        ]
        Article.objects.bulk_create(extra)
        ids = list(Article.objects.values_list("pk", flat=True))
        today = timezone.localdate()
        counts = {(today - datetime.timedelta(days=d), pk): d + 1 for pk in ids for d in range(25)}
        self.assertEqual(len(counts), 10_000)
        with CaptureQueriesContext(connection) as queries:
            written = counters.write_counts(counts)
        self.assertEqual(written, sum(counts.values()))
        statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        self.assertLessEqual(len(statements), 3, statements)  # one SELECT of ids, two INSERTs of 5,000 rows
        self.assertEqual(DailyArticleViews.objects.count(), 10_000)
        counters.write_counts(counts)  # again: every row doubles, still no extra rows
        self.assertEqual(DailyArticleViews.objects.get(article_id=ids[0], day=today).views, 2)
        self.assertEqual(DailyArticleViews.objects.count(), 10_000)


@pytest.mark.skipif(not counters.uses_redis(), reason="needs REDIS_URL")
class TestRedisFlush(FlushTestCase):
    """Several app servers share Redis: every count is written once, whoever flushes."""

    def test_a_batch_left_by_a_crash_after_commit_is_not_written_twice(self):
        store = counters.RedisStore()
        counters.count_view(self.article.pk)
        counters.count_view(self.article.pk)
        # Simulate a flusher that committed and died before deleting its batch from Redis.
        dying = _pipeline_dying_on_cleanup(store)
        with mock.patch.object(store.client.__class__, "pipeline", autospec=True) as pipeline:
            pipeline.side_effect = dying
            with self.assertRaises(ConnectionError):
                store.flush()
        self.assertEqual(stored(self.article), 2)
        self.assertEqual(len(store.client.smembers(store.batches_key)), 1)
        cache.delete(counters.FLUSH_LOCK_KEY)
        counters.count_view(self.article.pk)
        result = counters.flush_views()
        self.assertEqual(stored(self.article), 3)
        self.assertEqual(result.views, 1)
        self.assertEqual(store.client.smembers(store.batches_key), set())

    def test_a_failed_write_puts_counts_back(self):
        store = counters.RedisStore()
        counters.count_view(self.article.pk)
        with failing_write("gone"), self.assertRaises(DatabaseError):
            counters.flush_views()
        self.assertEqual(sum(store.pending().values()), 1)
        self.assertEqual(store.client.smembers(store.batches_key), set())
        counters.flush_views()
        self.assertEqual(stored(self.article), 1)

    def test_a_second_flusher_waits_its_turn(self):
        counters.count_view(self.article.pk)
        cache.add(counters.FLUSH_LOCK_KEY, "someone else", 60)
        self.assertTrue(counters.flush_views().skipped)
        self.assertEqual(stored(self.article), 0)
        cache.delete(counters.FLUSH_LOCK_KEY)
        counters.flush_views()
        self.assertEqual(stored(self.article), 1)


def _pipeline_dying_on_cleanup(store):
    real = type(store.client).pipeline
    calls = {"n": 0}

    def pipeline(client, *args, **kwargs):
        calls["n"] += 1
        pipe = real(client, *args, **kwargs)
        if calls["n"] == 2:  # 1: rename + sadd; 2: the clean-up after the commit

            def die():
                raise ConnectionError("server went away")

            pipe.execute = die
        return pipe

    return pipeline


class TestConcurrentFlushes(TransactionTestCase):
    """Beacons and flushes from many threads at once: every counted view is stored exactly once."""

    def setUp(self):
        ensure_site()
        clear_counters()
        self.addCleanup(clear_counters)
        self.article = make_article(make_section("رياضة", "sport"), "فوز الفريق المحلي بالكأس")

    def test_no_view_lost_or_doubled(self):
        if (
            connection.vendor == "sqlite"
            and connection.settings_dict["NAME"] in ("", ":memory:")
            or ("mode=memory" in str(connection.settings_dict.get("NAME")))
        ):
            pytest.skip("an in-memory SQLite database is private to one connection")
        errors = []

        def reader(n):
            try:
                for i in range(25):
                    counters.count_view(self.article.pk)
                    if i % 10 == 0:
                        counters.flush_views()
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counters.flush_views()
        self.assertEqual(errors, [])
        self.assertEqual(stored(self.article), 100)


class TestIdleProcessFlushesItself(TransactionTestCase):
    """With the local cache, a worker that counted and then sees no more beacons still writes its counts."""

    def setUp(self):
        ensure_site()
        clear_counters()
        self.addCleanup(clear_counters)
        self.article = make_article(make_section("ثقافة", "culture"), "معرض للفن التشكيلي في المتحف")

    @pytest.mark.skipif(counters.uses_redis(), reason="the timer is the local store's")
    def test_timer_flush(self):
        with mock.patch.object(counters, "FLUSH_TIMER", True), mock.patch.object(counters, "FLUSH_EVERY", 0.3):
            counters.count_view(self.article.pk)
            counters.count_view(self.article.pk)
            self.assertEqual(stored(self.article), 0)
            deadline = time.monotonic() + 5
            while stored(self.article) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        self.assertEqual(stored(self.article), 2)
        self.assertEqual(counters.store().pending(), {})
