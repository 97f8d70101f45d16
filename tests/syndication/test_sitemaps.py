"""/sitemap.xml (an index of child sitemaps), /news-sitemap.xml and robots.txt, checked as XML."""

import datetime
import time
from unittest import mock

from django.conf import settings
from django.utils import timezone
from django.utils.http import parse_http_date

from lxml import etree

from murasil.news.models import Article, SectionPage
from murasil.pagecache import purge
from murasil.syndication import sitemaps
from tests.factories import make_article

from .base import SyndicationTestCase

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}


class SitemapTestCase(SyndicationTestCase):
    def xml(self, url: str):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], "application/xml")
        return etree.fromstring(response.content)

    def children(self) -> list[str]:
        index = self.xml("/sitemap.xml")
        self.assertEqual(index.tag, f"{{{NS['s']}}}sitemapindex")
        for entry in index.xpath("s:sitemap", namespaces=NS):
            self.assertEqual(len(entry.xpath("s:loc", namespaces=NS)), 1)
            datetime.datetime.fromisoformat(entry.xpath("s:lastmod/text()", namespaces=NS)[0])
        return [
            loc.removeprefix(settings.MURASIL_SITE_URL) for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)
        ]

    def urls(self, url: str) -> dict[str, str]:
        """{location: lastmod} of a child sitemap, checking the 0.9 structure on the way."""
        root = self.xml(url)
        self.assertEqual(root.tag, f"{{{NS['s']}}}urlset")
        found = {}
        for entry in root.xpath("s:url", namespaces=NS):
            self.assertEqual([child.tag.split("}")[1] for child in entry], ["loc", "lastmod"])
            location, lastmod = (
                entry.xpath("s:loc/text()", namespaces=NS)[0],
                entry.xpath("s:lastmod/text()", namespaces=NS)[0],
            )
            self.assertTrue(location.startswith(settings.MURASIL_SITE_URL + "/"), location)
            self.assertIsNotNone(datetime.datetime.fromisoformat(lastmod).tzinfo)
            found[location] = lastmod
        return found


class TestSitemapIndex(SitemapTestCase):
    def test_index_lists_pages_article_months_reporters_and_tags(self):
        months = sorted({f"{a.first_published_at.astimezone(datetime.UTC):%Y-%m}" for a in self.visible})
        self.assertEqual(
            self.children(),
            [
                "/sitemap-pages.xml",
                *(f"/sitemap-articles-{m}.xml" for m in months),
                "/sitemap-reporters.xml",
                "/sitemap-tags.xml",
            ],
        )

    def test_pages_sitemap_has_home_sections_and_static_pages(self):
        urls = self.urls("/sitemap-pages.xml")
        site = settings.MURASIL_SITE_URL
        self.assertEqual(
            set(urls),
            {f"{site}/", f"{site}/arab-world/", f"{site}/arab-world/iraq/", f"{site}/sport/", f"{site}/about/"},
        )
        # A section changes when an article appears in it: its lastmod is its newest article's when
        # that is later than the section's own publication.
        self.assertEqual(datetime.datetime.fromisoformat(urls[f"{site}/arab-world/iraq/"]), self.iraq.last_published_at)
        SectionPage.objects.filter(pk=self.iraq.pk).update(
            last_published_at=timezone.now() - datetime.timedelta(days=9)
        )
        purge.changed({"sitemaps"})  # the update went behind Wagtail's back: no signal purged the cached copy
        urls = self.urls("/sitemap-pages.xml")
        iraq = datetime.datetime.fromisoformat(urls[f"{site}/arab-world/iraq/"])
        self.assertEqual(iraq, self.lead.first_published_at)
        self.assertEqual(
            datetime.datetime.fromisoformat(urls[f"{site}/"]).replace(microsecond=0),
            self.breaking.first_published_at.replace(microsecond=0),
        )

    def test_article_month_sitemap_lists_each_published_article_once(self):
        urls = {}
        for child in self.children():
            if child.startswith("/sitemap-articles-"):
                urls.update(self.urls(child))
        self.assertEqual(set(urls), {a.full_url for a in self.visible})
        lastmod = datetime.datetime.fromisoformat(urls[self.lead.full_url])
        self.assertEqual(lastmod.replace(microsecond=0), self.lead.last_published_at.replace(microsecond=0))

    def test_months_are_utc_ranges(self):
        old = make_article(
            self.sport,
            "خبر من أرشيف العام الماضي",
            published_at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC),
        )
        self.assertIn("/sitemap-articles-2025-03.xml", self.children())
        self.assertEqual(list(self.urls("/sitemap-articles-2025-03.xml")), [old.full_url])
        for empty in (
            "/sitemap-articles-2025-04.xml",
            "/sitemap-articles-1999-01.xml",
            "/sitemap-articles-2025-13.xml",
            "/sitemap-nothing.xml",
        ):
            self.assertEqual(self.client.get(empty).status_code, 404, empty)

    def test_article_months_agree_with_the_published_articles(self):
        # PostgreSQL counts month by month over its covering index, SQLite groups in one pass.
        for when in ("2025-12-31T23:59:59+00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T02:00:00+03:00"):
            make_article(self.sport, f"خبر عند حد الشهر {when}", published_at=datetime.datetime.fromisoformat(when))
        expected = {}
        for published, modified in Article.objects.published().values_list("first_published_at", "last_published_at"):
            row = expected.setdefault(f"{published.astimezone(datetime.UTC):%Y-%m}", {"count": 0, "lastmod": modified})
            row["count"] += 1
            row["lastmod"] = max(row["lastmod"], modified)
        months = sitemaps.article_months()
        self.assertEqual([row["month"] for row in months], sorted(expected))
        self.assertEqual({row.pop("month"): row for row in months}, expected)
        self.assertGreaterEqual(expected["2025-12"]["count"], 2)  # 02:00 at +03:00 is still December in UTC
        self.assertIn("2026-01", expected)

    def test_a_month_larger_than_the_limit_gets_more_pages(self):
        start = datetime.datetime(2024, 2, 10, tzinfo=datetime.UTC)
        made = [
            make_article(self.sport, f"خبر شباط رقم {i}", published_at=start + datetime.timedelta(hours=i))
            for i in range(5)
        ]
        with mock.patch.object(sitemaps, "LIMIT", 2):
            children = self.children()
            pages = [c for c in children if c.startswith("/sitemap-articles-2024-02.xml")]
            self.assertEqual(
                pages,
                [
                    "/sitemap-articles-2024-02.xml",
                    "/sitemap-articles-2024-02.xml?p=2",
                    "/sitemap-articles-2024-02.xml?p=3",
                ],
            )
            seen = []
            for page in pages:
                seen += list(self.urls(page))
            for beyond in ("?p=4", "?p=0", "?p=x"):
                self.assertEqual(self.client.get("/sitemap-articles-2024-02.xml" + beyond).status_code, 404, beyond)
        self.assertEqual(seen, [a.full_url for a in made])

    def test_reporters_and_tags_with_published_articles(self):
        site = settings.MURASIL_SITE_URL
        reporters = self.urls("/sitemap-reporters.xml")
        self.assertEqual(set(reporters), {f"{site}/author/anas/", f"{site}/author/huda/"})
        tags = self.urls("/sitemap-tags.xml")
        expected = {tag.slug for a in self.visible for tag in a.tags.all()}
        self.assertEqual({url.split("/tag/")[1].rstrip("/") for url in tags}, {self._quote(s) for s in expected})
        # lastmod: the newest published article with the tag (not the newer hidden ones).
        baghdad = self.lead.tags.get(name="بغداد")
        lastmod = datetime.datetime.fromisoformat(tags[f"{site}/tag/{self._quote(baghdad.slug)}/"])
        self.assertEqual(lastmod.replace(microsecond=0), self.lead.first_published_at.replace(microsecond=0))

    @staticmethod
    def _quote(slug: str) -> str:
        from django.utils.encoding import iri_to_uri

        return iri_to_uri(slug)

    def test_index_is_cached_until_the_next_publish(self):
        self.children()
        fresh = make_article(
            self.sport, "خبر من شهر قديم", published_at=datetime.datetime(2023, 5, 5, tzinfo=datetime.UTC)
        )
        self.assertIn("/sitemap-articles-2023-05.xml", self.children(), "publishing bumps the content version")
        Article.objects.filter(pk=fresh.pk).update(live=False)  # behind Wagtail's back: the cached index stays
        self.assertIn("/sitemap-articles-2023-05.xml", self.children())
        self.assertEqual(self.client.get("/sitemap-articles-2023-05.xml").status_code, 404, "children are never stale")

    def test_conditional_get(self):
        response = self.client.get("/sitemap-pages.xml")
        self.assertEqual(
            self.client.get("/sitemap-pages.xml", headers={"If-None-Match": response["ETag"]}).status_code, 304
        )
        index = self.client.get("/sitemap.xml")
        self.assertTrue(index["Last-Modified"])
        self.assertEqual(
            self.client.get("/sitemap.xml", headers={"If-Modified-Since": index["Last-Modified"]}).status_code, 304
        )


class TestNewsSitemap(SitemapTestCase):
    def test_articles_of_the_last_48_hours_with_publication_and_title(self):
        root = self.xml("/news-sitemap.xml")
        entries = root.xpath("s:url", namespaces=NS)
        # old_breaking is two days old: just outside the window.
        self.assertEqual(
            [e.xpath("s:loc/text()", namespaces=NS)[0] for e in entries],
            [a.full_url for a in (self.breaking, self.lead, self.related)],
        )
        lead = entries[1]
        self.assertEqual(lead.xpath("n:news/n:publication/n:name/text()", namespaces=NS), ["مراسلين"])
        self.assertEqual(lead.xpath("n:news/n:publication/n:language/text()", namespaces=NS), ["ar"])
        self.assertEqual(lead.xpath("n:news/n:title/text()", namespaces=NS), [self.lead.title])
        published = datetime.datetime.fromisoformat(lead.xpath("n:news/n:publication_date/text()", namespaces=NS)[0])
        self.assertEqual(published.replace(microsecond=0), self.lead.first_published_at.replace(microsecond=0))

    def test_at_most_the_limit_newest_first(self):
        from murasil.syndication import views

        now = timezone.now()
        for minutes in range(4):
            make_article(
                self.sport, f"خبر عاجل متتابع {minutes}", published_at=now - datetime.timedelta(minutes=minutes)
            )
        with mock.patch.object(views, "NEWS_LIMIT", 3):
            titles = self.xml("/news-sitemap.xml").xpath("s:url/n:news/n:title/text()", namespaces=NS)
        self.assertEqual(titles, [f"خبر عاجل متتابع {m}" for m in range(3)])


class TestRobots(SitemapTestCase):
    def test_robots_names_the_sitemaps_and_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        lines = response.content.decode().splitlines()
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn(f"Sitemap: {settings.MURASIL_SITE_URL}/sitemap.xml", lines)
        self.assertIn(f"Sitemap: {settings.MURASIL_SITE_URL}/news-sitemap.xml", lines)
        for line in lines:
            if line.startswith("Sitemap: "):
                self.assertEqual(self.client.get(line.split(settings.MURASIL_SITE_URL)[1]).status_code, 200)


class TestEmptyNewsSitemap(SitemapTestCase):
    def test_nothing_in_48_hours_is_an_empty_urlset(self):
        # Google's news sitemap guidance: an empty file is fine (Search Console shows an "empty sitemap"
        # notice, not an error); a 404 would be reported as a fetch error instead.
        Article.objects.update(first_published_at=timezone.now() - datetime.timedelta(days=3))
        response = self.client.get("/news-sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/xml")
        # No article date to give: Last-Modified is when the page cache rendered it, not an article's.
        self.assertGreaterEqual(parse_http_date(response["Last-Modified"]), int(time.time()) - 60)
        root = etree.fromstring(response.content)
        self.assertEqual(root.tag, f"{{{NS['s']}}}urlset")
        self.assertEqual(root.nsmap.get("news"), NS["n"])
        self.assertEqual(len(root), 0)
        self.assertEqual((root.text or "").strip(), "")
        self.assertEqual(
            self.client.get("/news-sitemap.xml", headers={"If-None-Match": response["ETag"]}).status_code, 304
        )
