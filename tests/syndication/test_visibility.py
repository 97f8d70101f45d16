"""Nothing unpublished, scheduled or expired ever reaches a feed, a sitemap or structured data."""

from django.conf import settings
from django.utils.encoding import iri_to_uri

from .base import SyndicationTestCase


class TestOnlyPublishedArticlesAreSyndicated(SyndicationTestCase):
    def machine_readable_urls(self) -> list[str]:
        tag = self.lead.tags.get(name="بغداد")
        feeds = ["/feed/", "/arab-world/feed/", "/arab-world/iraq/feed/", "/sport/feed/", "/author/anas/feed/"]
        feeds.append(f"/tag/{tag.slug}/feed/")
        urls = feeds + [url + "atom/" for url in feeds] + ["/sitemap.xml", "/news-sitemap.xml"]
        index = self.client.get("/sitemap.xml").content.decode()
        urls += [loc.split("</loc>")[0].removeprefix(settings.MURASIL_SITE_URL) for loc in index.split("<loc>")[1:]]
        return urls

    def assert_nothing_hidden(self, url: str, response) -> None:
        self.assertEqual(response.status_code, 200, url)
        for article in self.hidden:
            self.assertNotContains(response, article.title, msg_prefix=url)
            self.assertNotContains(response, f"/{article.pk}/", msg_prefix=url)
            self.assertNotContains(response, f":article:{article.pk}<", msg_prefix=url)

    def test_feeds_and_sitemaps(self):
        urls = self.machine_readable_urls()
        self.assertGreater(len(urls), 15)
        for url in urls:
            self.assert_nothing_hidden(url, self.client.get(url))
        # and the published ones are there
        self.assertContains(self.client.get("/feed/"), self.lead.title)
        self.assertContains(self.client.get("/news-sitemap.xml"), iri_to_uri(self.lead.full_url))

    def test_structured_data_of_pages(self):
        tag = self.lead.tags.get(name="بغداد")
        for url in ["/", "/arab-world/", "/arab-world/iraq/", "/sport/", "/author/anas/", f"/tag/{tag.slug}/"]:
            self.assert_nothing_hidden(url, self.client.get(url))

    def test_a_withdrawn_article_leaves_at_once(self):
        self.assertContains(self.client.get("/feed/"), self.related.title)
        self.assertContains(self.client.get("/sitemap.xml"), "sitemap-reporters.xml")
        self.related.unpublish()
        for url in self.machine_readable_urls():
            self.assertNotContains(self.client.get(url), self.related.title, msg_prefix=url)

    def test_hidden_article_feeds_and_reporters_without_published_work(self):
        from tests.factories import make_reporter

        ghost = make_reporter("مراسل بلا أخبار منشورة", "ghost")
        self.withdrawn.article_reporters.create(reporter=ghost)
        self.assertNotContains(self.client.get("/sitemap-reporters.xml"), "/author/ghost/")
        self.assertEqual(self.client.get(f"/comments/feed/{self.draft.pk}/").status_code, 404)
