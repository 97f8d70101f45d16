"""A CDN or nginx cache in front gets the URLs of every change, through Wagtail's frontend cache."""

from django.test import override_settings

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from murasil.news.models import Article
from murasil.pagecache import purge

from .base import PageCacheTestCase, tag_url


class RecordingBackend(BaseBackend):
    purged: list[str] = []

    def purge(self, url) -> None:
        RecordingBackend.purged.append(url)


FRONTEND = {"test": {"BACKEND": "tests.pagecache.test_frontend.RecordingBackend"}}


@override_settings(WAGTAILFRONTENDCACHE=FRONTEND)
class TestFrontendPurge(PageCacheTestCase):
    def setUp(self):
        RecordingBackend.purged = []

    def test_publishing_an_article_purges_its_urls_after_the_commit(self):
        article = Article.objects.get(pk=self.lead.pk)
        article.title = "عنوان جديد للجسر"
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            article.save_revision().publish()
        self.assertEqual(RecordingBackend.purged, [], "nothing is sent before the commit")
        for callback in callbacks:
            callback()
        purged = {url.split("://", 1)[1].split("/", 1)[1] for url in RecordingBackend.purged}
        expected = {
            self.lead.get_absolute_url(),
            "/",
            "/arab-world/",
            "/arab-world/iraq/",
            "/arab-world/iraq/feed/",
            "/feed/",
            tag_url("بغداد"),
            "/author/anas/",
            "/sitemap.xml",
            "/wp-json/wp/v2/posts",
        }
        self.assertLessEqual({path.lstrip("/") for path in expected}, purged)
        self.assertNotIn("sport/", purged)

    def test_the_urls_of_a_change_can_be_asked_for(self):
        tags, urls = purge.article_change(self.match)
        self.assertIn(f"a:{self.match.pk}", tags)
        self.assertIn(f"section:{self.sport.pk}", tags)
        self.assertIn(self.match.full_url, urls)
        self.assertFalse(any("/arab-world/" in url for url in urls))
