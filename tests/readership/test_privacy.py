"""Nothing that identifies a reader reaches the database, the logs or, in plain form, the cache."""

import logging

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from murasil.readership import counters
from murasil.readership.models import DailyArticleViews
from tests.factories import make_article, make_section

from .helpers import beacon, clear_counters

IP = "198.51.100.234"
UA = "Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/7.7 Chrome/131"


class TestNothingAboutReadersIsKept(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(make_section("صحة", "health"), "حملة تطعيم في المدارس")

    def setUp(self):
        clear_counters()
        self.addCleanup(clear_counters)

    def test_database_logs_and_cache_hold_no_address_or_user_agent(self):
        root = logging.getLogger()
        old_level = root.level
        root.setLevel(logging.DEBUG)
        self.addCleanup(root.setLevel, old_level)
        with self.assertLogs(level="DEBUG") as logs, CaptureQueriesContext(connection) as queries:
            logging.getLogger("probe").debug("start")
            client = Client(HTTP_X_FORWARDED_FOR=IP)
            for _ in range(3):
                beacon(client, self.article.pk, ip=IP, ua=UA)
            beacon(client, 999_999, ip=IP, ua=UA)  # refused
            beacon(client, self.article.pk, ip=IP, ua="Googlebot/2.1 " + UA)  # bot
            counters.flush_views()
        self.assertEqual(DailyArticleViews.objects.get().views, 1)
        for line in logs.output:
            self.assertNotIn(IP, line)
            self.assertNotIn("PrivacyProbe", line)
        for query in queries:
            self.assertNotIn(IP, query["sql"])
            self.assertNotIn("PrivacyProbe", query["sql"])
        # Every row of every table, as text.
        for model in apps.get_models():
            for row in model.objects.values_list():
                text = repr(row)
                self.assertNotIn(IP, text, model)
                self.assertNotIn("PrivacyProbe", text, model)
        # The readership table has nothing but article, day and a number.
        fields = {f.name for f in DailyArticleViews._meta.get_fields()}
        self.assertEqual(fields, {"id", "article", "day", "views"})
        # The cache keeps keyed hashes only (checked where the local cache can be read in full).
        if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
            dump = repr(dict(cache._cache)) + repr(list(cache._cache))
            self.assertNotIn(IP, dump)
            self.assertNotIn("PrivacyProbe", dump)
            self.assertTrue(any(":readership:seen:" in key for key in cache._cache))

    def test_the_beacon_sets_no_cookie_and_reads_none(self):
        # The script sends it with credentials "omit"; the view never touches the session either.
        response = beacon(Client(), self.article.pk)
        self.assertEqual(response.cookies, {})
        self.assertNotIn("Cookie", response.headers.get("Vary", ""))
        script = apps.get_app_config("core").path + "/../static/murasil/js/site.js"
        with open(script, encoding="utf-8") as source:
            self.assertIn('credentials: "omit"', source.read())
