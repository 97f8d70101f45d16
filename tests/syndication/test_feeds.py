"""RSS and Atom feeds open cleanly in a feed reader library, in Arabic, with correct GMT dates."""

import calendar
import datetime

from django.conf import settings
from django.test import override_settings
from django.utils.encoding import iri_to_uri

import feedparser
from lxml import etree

from murasil.core.models import NewsroomSettings
from tests.factories import make_article

from .base import SyndicationTestCase

ATOM = "{http://www.w3.org/2005/Atom}"


class FeedTestCase(SyndicationTestCase):
    def fetch(self, url: str, **headers):
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, url)
        return response

    def parse(self, url: str):
        feed = feedparser.parse(self.fetch(url).content)
        self.assertFalse(feed.bozo, f"{url}: {feed.get('bozo_exception')}")
        return feed


@override_settings(LANGUAGE_CODE="ar")
class TestSiteFeeds(FeedTestCase):
    def test_rss_feed_lists_the_newest_articles_in_arabic(self):
        feed = self.parse("/feed/")
        self.assertEqual(feed.version, "rss20")
        self.assertEqual(feed.feed.title, "مراسلين")
        self.assertEqual(feed.feed.language, "ar")
        self.assertEqual(feed.feed.link, settings.MURASIL_SITE_URL + "/")
        # Newest first: the breaking story (30 minutes ago), then the lead (2 hours), ...
        titles = [entry.title for entry in feed.entries]
        self.assertEqual(titles, [a.title for a in (self.breaking, self.lead, self.related, self.old_breaking)])
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        self.assertEqual(self_links, [settings.MURASIL_SITE_URL + "/feed/"])

    def test_rss_item_carries_link_dates_reporters_categories_photo_and_text(self):
        entry = self.parse("/feed/").entries[1]
        self.assertEqual(entry.link, self.lead.full_url)
        # RFC 822 in GMT, to the second.
        published = self.fetch("/feed/").content.decode().split("<pubDate>")[2].split("</pubDate>")[0]
        self.assertTrue(published.endswith("+0000"), published)
        expected = self.lead.first_published_at.replace(microsecond=0)
        self.assertEqual(calendar.timegm(entry.published_parsed), int(expected.timestamp()))
        self.assertEqual([a.name for a in entry.authors], ["أنس الشيخ أحمد", "هدى الساعدي"])
        self.assertEqual({tag.term for tag in entry.tags}, {"العراق", "بغداد", "النقل"})
        self.assertEqual(entry.summary, self.lead.standfirst)
        content = entry.content[0].value
        self.assertIn("افتتحت أمانة بغداد صباح اليوم جسراً جديداً.", content)
        self.assertIn("وقال مسؤول إن العمل استمر عامين.", content)
        photo = entry.media_content[0]
        self.assertTrue(photo["url"].startswith(settings.MURASIL_SITE_URL + "/media/"), photo["url"])
        self.assertEqual(photo["medium"], "image")
        self.assertEqual(photo["type"], "image/jpeg")
        self.assertEqual(entry.media_credit[0]["content"], "مراسلين")
        self.assertFalse(entry.guidislink)
        self.assertEqual(entry.id.rsplit(":", 1)[1], str(self.lead.pk))

    def test_atom_feed_is_well_formed_with_every_required_element(self):
        response = self.fetch("/feed/atom/")
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        root = etree.fromstring(response.content)
        self.assertEqual(root.tag, f"{ATOM}feed")
        self.assertEqual(root.get("{http://www.w3.org/XML/1998/namespace}lang"), "ar")
        for name in ("id", "title", "updated"):
            self.assertEqual(len(root.findall(f"{ATOM}{name}")), 1, name)
        self.assertIsNotNone(root.find(f"{ATOM}author/{ATOM}name"), "a feed author covers unsigned entries")
        self.assertEqual(root.find(f"{ATOM}link[@rel='self']").get("href"), settings.MURASIL_SITE_URL + "/feed/atom/")
        entries = root.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 4)
        for entry in entries:
            for name in ("id", "title", "updated", "published", "summary"):
                self.assertEqual(len(entry.findall(f"{ATOM}{name}")), 1, name)
            self.assertIsNotNone(entry.find(f"{ATOM}link[@rel='alternate']"))
            datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))  # RFC 3339
        feed = self.parse("/feed/atom/")
        self.assertEqual(feed.version, "atom10")
        lead = feed.entries[1]
        self.assertEqual(lead.title, self.lead.title)
        self.assertEqual(
            [(a.name, a.href) for a in lead.authors],
            [
                ("أنس الشيخ أحمد", settings.MURASIL_SITE_URL + "/author/anas/"),
                ("هدى الساعدي", settings.MURASIL_SITE_URL + "/author/huda/"),
            ],
        )
        self.assertIn("افتتحت أمانة بغداد", lead.content[0].value)
        self.assertTrue(lead.media_content)

    def test_summary_only_and_feed_length_follow_the_settings(self):
        conf = NewsroomSettings.load()
        conf.feed_full_text = False
        conf.feed_length = 20
        conf.save()
        for number in range(22):
            make_article(self.sport, f"خبر رياضي قصير رقم {number}")
        feed = self.parse("/feed/")
        self.assertEqual(len(feed.entries), 20)
        self.assertTrue(all("content" not in entry for entry in feed.entries))
        self.assertTrue(all(entry.summary for entry in feed.entries))
        atom = self.parse("/feed/atom/")
        self.assertEqual(len(atom.entries), 20)
        self.assertTrue(all("content" not in entry for entry in atom.entries))

    def test_conditional_get_answers_304(self):
        response = self.fetch("/feed/")
        self.assertTrue(response["ETag"])
        self.assertTrue(response["Last-Modified"])
        again = self.client.get("/feed/", headers={"If-None-Match": response["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        since = self.client.get("/feed/atom/", headers={"If-Modified-Since": response["Last-Modified"]})
        self.assertEqual(since.status_code, 304)
        # A new article changes the feed: the old validators no longer match.
        make_article(self.sport, "خبر جديد بعد آخر زيارة لقارئ الخلاصات")
        changed = self.client.get("/feed/", headers={"If-None-Match": response["ETag"]})
        self.assertEqual(changed.status_code, 200)
        self.assertContains(changed, "خبر جديد بعد آخر زيارة")

    def test_titles_with_markup_characters_stay_text(self):
        make_article(self.sport, "فوز 3 <مقابل> 1 & تأهل", standfirst="«الأهلي» & <الزمالك>")
        entry = self.parse("/feed/").entries[0]
        self.assertEqual(entry.title, "فوز 3 <مقابل> 1 & تأهل")
        self.assertEqual(entry.summary, "«الأهلي» &amp; &lt;الزمالك&gt;")


@override_settings(LANGUAGE_CODE="ar")
class TestListFeeds(FeedTestCase):
    def test_parent_section_feed_includes_its_subsections(self):
        for url in ("/arab-world/feed/", "/arab-world/feed/atom/"):
            feed = self.parse(url)
            self.assertEqual(feed.feed.title, "عربي و دولي | مراسلين")
            self.assertEqual([e.title for e in feed.entries], [self.lead.title, self.related.title])

    def test_child_section_feed(self):
        feed = self.parse("/arab-world/iraq/feed/")
        self.assertEqual([e.title for e in feed.entries], [self.lead.title])
        self.assertEqual(feed.feed.link, settings.MURASIL_SITE_URL + "/arab-world/iraq/")

    def test_reporter_and_tag_feeds(self):
        for url in ("/author/anas/feed/", "/author/anas/feed/atom/"):
            feed = self.parse(url)
            self.assertIn("أنس الشيخ أحمد", feed.feed.title)
            self.assertEqual([e.title for e in feed.entries], [self.lead.title, self.related.title])
        tag = self.lead.tags.get(name="بغداد")
        for suffix in ("feed/", "feed/atom/"):
            feed = self.parse(f"/tag/{tag.slug}/{suffix}")
            self.assertEqual(feed.feed.title, "بغداد | مراسلين")
            self.assertEqual([e.title for e in feed.entries], [self.lead.title, self.related.title])

    def test_unknown_or_empty_lists_and_other_pages_have_no_feed(self):
        make_article(self.sport, "خبر لم ينشر بوسم وحيد", publish=False, tags=("وسم بلا منشورات",))
        for url in ("/author/nobody/feed/", "/tag/nothing/feed/", "/nowhere/feed/", "/about/feed/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        from taggit.models import Tag

        lonely = Tag.objects.get(name="وسم بلا منشورات")
        self.assertEqual(self.client.get(f"/tag/{lonely.slug}/feed/").status_code, 404)

    def test_feed_path_under_a_page_falls_through_to_wagtail(self):
        from tests.factories import make_section

        make_section("ملف", "feed", parent=self.sport)  # a section whose own slug is "feed"
        response = self.client.get("/sport/feed/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(feedparser.parse(response.content).feed.title, "رياضة | مراسلين")
        self.assertEqual(self.client.get("/sport/feed/feed/").status_code, 200)

    def test_pages_advertise_their_feeds(self):
        tag = self.lead.tags.get(name="بغداد")
        for page, feed in (
            ("/", "/feed/"),
            ("/arab-world/iraq/", "/arab-world/iraq/feed/"),
            ("/author/anas/", "/author/anas/feed/"),
            (f"/tag/{tag.slug}/", f"/tag/{tag.slug}/feed/"),
        ):
            response = self.client.get(page)
            self.assertContains(
                response, f'type="application/rss+xml" title="مراسلين" href="{settings.MURASIL_SITE_URL}/feed/"'
            )
            self.assertContains(response, 'type="application/rss+xml" title="', count=1 if page == "/" else 2)
            self.assertContains(response, f'href="{settings.MURASIL_SITE_URL}{iri_to_uri(feed)}"')

    def test_feed_query_count_does_not_grow_with_items(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import make_image

        def count() -> int:
            self.client.get("/feed/")
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get("/feed/").status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        for number in range(6):
            make_article(self.sport, f"خبر بصورة رقم {number}", reporters=(self.huda,), featured_image=make_image())
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 10)
