"""Every link of the old WordPress site lands on the right new page with one 301."""

from django.test import TestCase
from django.urls import reverse

from murasil.news.models import Article, SectionPage

from ..factories import ensure_site
from .helpers import media_folder, run_import


class LegacyURLTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site()
        run_import(media=media_folder())
        cls.dam = Article.objects.get(pk=101).get_absolute_url()

    def assertMoved(self, old: str, new: str) -> None:
        response = self.client.get(old)
        self.assertEqual(response.status_code, 301, old)
        self.assertEqual(response["Location"], new, old)

    def test_post_permalinks_in_every_form(self):
        for old in (
            "/2025/03/02/%d8%b3%d8%af-%d8%a7%d9%84%d9%88%d8%a7%d8%af%d9%8a/",  # as WordPress printed it
            "/2025/03/02/سد-الوادي/",
            "/2025/03/02/سد-الوادي",
            "/2025/03/09/سد-الوادي/",  # the structure finds it by slug whatever the date
            "/2025/03/02/dam-opening/",  # its earlier slug
            "/archives/101",
            "/?p=101",
            "/2025/03/02/سد-الوادي/amp/",
            "/2025/03/02/سد-الوادي/comment-page-1/",
        ):
            self.assertMoved(old, self.dam)
        self.assertMoved("/2025/03/02/سد-الوادي/feed/", reverse("comments:article_feed", args=[101]))

    def test_archives_pages_and_uploads(self):
        iraq = SectionPage.objects.get(title="العراق").url
        economy = SectionPage.objects.get(title="اقتصاد").url
        self.assertMoved("/category/%d8%b9%d8%b1%d8%a8%d9%8a/%d8%a7%d9%84%d8%b9%d8%b1%d8%a7%d9%82/", iraq)
        self.assertMoved("/category/العراق/", iraq)
        self.assertMoved("/category/economy/feed/", economy + "feed/")
        self.assertMoved("/?cat=13", economy)
        self.assertMoved("/?tag=dates", "/tag/dates/")
        self.assertMoved("/?author=7", "/author/omar/")
        self.assertMoved("/?page_id=202", "/about/team/")
        self.assertMoved("/?s=السد", "/search/?q=%D8%A7%D9%84%D8%B3%D8%AF")
        self.assertMoved("/feed/rss2/", "/feed/")
        image = self.client.get("/wp-content/uploads/2025/03/dam-1024x683.jpg")
        self.assertEqual(image.status_code, 301)
        self.assertTrue(image["Location"].endswith(".jpg"))
        # Addresses that are the same on Murasil are served as they are.
        self.assertEqual(self.client.get("/about/team/").status_code, 200)
        self.assertEqual(self.client.get("/author/omar/").status_code, 200)

    def test_nothing_unpublished_is_revealed_through_an_old_link(self):
        for old in ("/2099/01/01/harvest/", "/2025/03/05/private-note/", "/2025/03/05/protected/", "/archives/103/"):
            self.assertEqual(self.client.get(old).status_code, 404, old)
        self.assertEqual(self.client.get("/?p=104").status_code, 200)  # the home page, not the draft
        self.assertEqual(self.client.get("/no/such/thing/").status_code, 404)
        self.assertEqual(self.client.get("/amp/").status_code, 404)
