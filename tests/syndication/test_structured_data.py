"""JSON-LD, OpenGraph and Twitter card tags on reader pages, read back from the HTML."""

import json

from django.conf import settings
from django.test import override_settings

from lxml import html

from murasil.core.models import NewsroomSettings
from tests.factories import make_article, make_image

from .base import SyndicationTestCase


def page_head(response) -> tuple[list[dict], dict[str, list[str]], list[str]]:
    """(JSON-LD objects, {meta property or name: [contents]}, canonical links) of a page."""
    tree = html.fromstring(response.content)
    data = [json.loads(script.text) for script in tree.xpath('//head/script[@type="application/ld+json"]')]
    meta: dict[str, list[str]] = {}
    for tag in tree.xpath("//head/meta[@property or @name]"):
        meta.setdefault(tag.get("property") or tag.get("name"), []).append(tag.get("content"))
    return data, meta, tree.xpath('//head/link[@rel="canonical"]/@href')


def of_type(data: list[dict], kind: str) -> dict:
    found = [item for item in data if item["@type"] == kind]
    assert len(found) == 1, f"{kind}: {[item['@type'] for item in data]}"
    return found[0]


ARTICLE_PROPERTIES = {
    "headline", "description", "image", "datePublished", "dateModified", "author", "publisher",
    "mainEntityOfPage", "articleSection", "keywords", "inLanguage", "isAccessibleForFree",
}  # fmt: skip


@override_settings(LANGUAGE_CODE="ar")
class TestArticlePage(SyndicationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        conf = NewsroomSettings.load()
        conf.logo = make_image("الشعار")
        conf.x_account = "@murasileen"
        conf.facebook_url = "https://www.facebook.com/murasileen"
        conf.save()

    def test_news_article_carries_every_property(self):
        data, _meta, canonical = page_head(self.client.get(self.lead.get_absolute_url()))
        article = of_type(data, "NewsArticle")
        self.assertEqual(article["@context"], "https://schema.org")
        self.assertLessEqual(ARTICLE_PROPERTIES, set(article))
        self.assertEqual(canonical, [self.lead.full_url])
        self.assertEqual(article["mainEntityOfPage"], {"@type": "WebPage", "@id": self.lead.full_url})
        self.assertEqual(article["headline"], self.lead.title)
        self.assertEqual(article["description"], self.lead.standfirst)
        self.assertEqual(article["articleSection"], "العراق")
        self.assertEqual(sorted(article["keywords"]), ["النقل", "بغداد"])
        self.assertEqual(article["inLanguage"], "ar")
        self.assertIs(article["isAccessibleForFree"], True)
        self.assertEqual(
            article["author"],
            [
                {
                    "@type": "Person",
                    "name": "أنس الشيخ أحمد",
                    "url": settings.MURASIL_SITE_URL + "/author/anas/",
                    "jobTitle": "مراسل",
                },
                {"@type": "Person", "name": "هدى الساعدي", "url": settings.MURASIL_SITE_URL + "/author/huda/"},
            ],
        )
        publisher = article["publisher"]
        self.assertEqual((publisher["@type"], publisher["name"]), ("NewsMediaOrganization", "مراسلين"))
        self.assertTrue(publisher["logo"]["url"].startswith(settings.MURASIL_SITE_URL + "/media/"))
        self.assertEqual(publisher["sameAs"], ["https://x.com/murasileen", "https://www.facebook.com/murasileen"])
        # Several ratios of the featured photo: 16:9, 4:3 and 1:1.
        ratios = [round(image["width"] / image["height"], 2) for image in article["image"]]
        self.assertEqual(ratios, [1.78, 1.33, 1.0])
        for image in article["image"]:
            self.assertTrue(image["url"].startswith(settings.MURASIL_SITE_URL + "/media/images/"))

    def test_dates_are_the_article_dates(self):
        import datetime

        data, meta, _canonical = page_head(self.client.get(self.lead.get_absolute_url()))
        article = of_type(data, "NewsArticle")
        published = datetime.datetime.fromisoformat(article["datePublished"])
        self.assertEqual(published, self.lead.first_published_at.replace(microsecond=0))
        self.assertEqual(datetime.datetime.fromisoformat(article["dateModified"]), published)
        self.assertEqual(meta["article:published_time"], [article["datePublished"]])

    def test_breadcrumbs_follow_the_section_tree(self):
        data, _meta, _canonical = page_head(self.client.get(self.lead.get_absolute_url()))
        crumbs = of_type(data, "BreadcrumbList")["itemListElement"]
        site = settings.MURASIL_SITE_URL
        self.assertEqual(
            [(c["position"], c["name"], c["item"]) for c in crumbs],
            [
                (1, "مراسلين", f"{site}/"),
                (2, "عربي و دولي", f"{site}/arab-world/"),
                (3, "العراق", f"{site}/arab-world/iraq/"),
                (4, self.lead.title, self.lead.full_url),
            ],
        )

    def test_opengraph_and_twitter_card(self):
        _data, meta, _canonical = page_head(self.client.get(self.lead.get_absolute_url()))
        self.assertEqual(meta["og:type"], ["article"])
        self.assertEqual(meta["og:title"], [self.lead.title])
        self.assertEqual(meta["og:description"], [self.lead.standfirst])
        self.assertEqual(meta["og:url"], [self.lead.full_url])
        self.assertEqual(meta["og:site_name"], ["مراسلين"])
        self.assertEqual(meta["og:locale"], ["ar_AR"])
        self.assertTrue(meta["og:image"][0].startswith(settings.MURASIL_SITE_URL + "/media/images/"))
        self.assertEqual(meta["og:image:alt"], ["الجسر الجديد عند الغروب"])
        self.assertEqual(meta["article:section"], ["العراق"])
        self.assertEqual(len(meta["article:author"]), 2)
        self.assertEqual(sorted(meta["article:tag"]), ["النقل", "بغداد"])
        self.assertEqual(meta["twitter:card"], ["summary_large_image"])
        self.assertEqual(meta["twitter:site"], ["@murasileen"])
        self.assertEqual(meta["twitter:image"], meta["og:image"])
        self.assertEqual(meta["description"], [self.lead.standfirst])

    def test_article_without_photo_still_has_an_image(self):
        data, _meta, _canonical = page_head(self.client.get(self.breaking.get_absolute_url()))
        self.assertEqual(of_type(data, "NewsArticle")["image"], [of_type(data, "NewsArticle")["publisher"]["logo"]])

    def test_unsigned_article_without_photo_falls_back_to_the_outlet(self):
        conf = NewsroomSettings.load()
        conf.share_image = make_image("صورة المشاركة")
        conf.save()
        data, meta, _canonical = page_head(self.client.get(self.breaking.get_absolute_url()))
        article = of_type(data, "NewsArticle")
        self.assertEqual([a["@type"] for a in article["author"]], ["NewsMediaOrganization"])
        self.assertEqual(len(article["image"]), 1)
        self.assertTrue(meta["og:image"])

    def test_json_cannot_break_out_of_its_script_element(self):
        article = make_article(self.sport, "عنوان فيه </script><script>alert(1)</script>", standfirst="<!-- & -->")
        response = self.client.get(article.get_absolute_url())
        self.assertNotIn(b"<script>alert(1)", response.content)
        data, _meta, _canonical = page_head(response)
        news = of_type(data, "NewsArticle")
        self.assertEqual(news["headline"], article.title)
        self.assertEqual(news["description"], "<!-- & -->")

    def test_content_security_policy_still_forbids_inline_scripts(self):
        response = self.client.get(self.lead.get_absolute_url())
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        tree = html.fromstring(response.content)
        inline = [s for s in tree.xpath("//script[not(@src)]") if s.get("type") != "application/ld+json"]
        self.assertEqual(inline, [])


@override_settings(LANGUAGE_CODE="ar")
class TestListAndHomePages(SyndicationTestCase):
    def test_home_page_is_a_website_with_a_search_action(self):
        data, meta, _canonical = page_head(self.client.get("/"))
        website = of_type(data, "WebSite")
        self.assertEqual(website["url"], settings.MURASIL_SITE_URL + "/")
        self.assertEqual(website["name"], "مراسلين")
        action = website["potentialAction"]
        self.assertEqual(action["@type"], "SearchAction")
        self.assertEqual(action["target"]["urlTemplate"], settings.MURASIL_SITE_URL + "/search/?q={search_term_string}")
        self.assertEqual(action["query-input"], "required name=search_term_string")
        self.assertTrue(of_type(data, "NewsMediaOrganization")["logo"]["url"].endswith(".png"))
        self.assertEqual(meta["og:type"], ["website"])
        # The search page the action points at answers.
        self.assertEqual(self.client.get("/search/", {"q": "بغداد"}).status_code, 200)

    def test_section_page_is_a_collection_with_breadcrumbs(self):
        data, meta, canonical = page_head(self.client.get("/arab-world/iraq/"))
        page = of_type(data, "CollectionPage")
        url = settings.MURASIL_SITE_URL + "/arab-world/iraq/"
        self.assertEqual((page["name"], page["url"]), ("العراق", url))
        self.assertEqual(canonical, [url])
        self.assertEqual(meta["og:url"], [url])
        self.assertEqual(len(of_type(data, "BreadcrumbList")["itemListElement"]), 3)

    def test_reporter_page_is_a_profile_of_a_person(self):
        data, meta, canonical = page_head(self.client.get("/author/anas/"))
        profile = of_type(data, "ProfilePage")
        person = profile["mainEntity"]
        url = settings.MURASIL_SITE_URL + "/author/anas/"
        self.assertEqual(canonical, [url])
        self.assertEqual((person["@type"], person["name"], person["url"]), ("Person", "أنس الشيخ أحمد", url))
        self.assertEqual(person["jobTitle"], "مراسل")
        self.assertEqual(person["description"], "يغطي الشأن العراقي منذ عشر سنوات.")
        self.assertEqual(meta["og:type"], ["profile"])
        photo = of_type(page_head(self.client.get("/author/huda/"))[0], "ProfilePage")["mainEntity"]["image"]
        self.assertEqual(photo["@type"], "ImageObject")

    def test_tag_page_is_a_collection(self):
        tag = self.lead.tags.get(name="بغداد")
        response = self.client.get(f"/tag/{tag.slug}/")
        data, meta, canonical = page_head(response)
        self.assertEqual(of_type(data, "CollectionPage")["name"], "بغداد")
        self.assertEqual(canonical, [of_type(data, "CollectionPage")["url"]])
        self.assertEqual(meta["description"], ["مقالات بوسم بغداد"])

    def test_static_page_gets_the_site_wide_tags_only(self):
        data, meta, _canonical = page_head(self.client.get("/about/"))
        self.assertEqual(data, [])
        self.assertEqual(meta["og:site_name"], ["مراسلين"])
