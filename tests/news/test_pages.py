"""Every reader page type renders with its real content, right to left, in Arabic."""

from django.test import override_settings
from django.urls import reverse

from tests.newsroom import NewsroomTestCase


@override_settings(LANGUAGE_CODE="ar")
class TestReaderPages(NewsroomTestCase):
    def assert_rtl_page(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="ar" dir="rtl">')
        self.assertContains(response, 'href="#top"')
        self.assertContains(response, "الذهاب إلى الأعلى")

    def test_home_page(self):
        response = self.client.get("/")
        self.assert_rtl_page(response)
        lead = response.context["lead"]
        self.assertEqual(lead, self.lead)
        self.assertContains(response, "آخر الأخبار")
        self.assertContains(response, self.related.title)
        # Breaking strip: the fresh breaking story only.
        self.assertContains(response, '<strong class="breaking-label">عاجل</strong>', html=False)
        self.assertContains(response, f'<a href="{self.breaking.get_absolute_url()}">{self.breaking.title}</a>')
        strip = response.content.decode().split('class="breaking"')[1].split("</section>")[0]
        self.assertNotIn(self.old_breaking.title, strip)
        # A block per top-level section; Iraq's article appears in its parent's block.
        blocks = {block["section"].slug: block["articles"] for block in response.context["section_blocks"]}
        self.assertEqual(set(blocks), {"arab-world", "sport"})
        self.assertIn(self.related, blocks["arab-world"])
        self.assertContains(response, "عربي و دولي")

    def test_article_page(self):
        response = self.client.get(self.lead.get_absolute_url())
        self.assert_rtl_page(response)
        self.assertContains(response, '<h1 class="headline">افتتاح جسر جديد يربط ضفتي دجلة في بغداد</h1>')
        self.assertContains(response, '<p class="kicker">خدمات</p>')
        self.assertContains(response, "الجسر يختصر زمن التنقل")
        # Byline: both reporters linked in order, then the outlet line.
        self.assertContains(response, f'<a rel="author" href="/author/anas/">{self.anas.name}</a>')
        self.assertContains(response, f'<a rel="author" href="/author/huda/">{self.huda.name}</a>')
        self.assertContains(response, " – مراسلين")
        body = response.content.decode()
        self.assertLess(body.index(self.anas.name), body.index(self.huda.name))
        # Dates: machine-readable and Arabic with the Hijri date.
        self.assertRegex(body, r'<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+\d{2}:\d{2}">')
        self.assertContains(response, " هـ")
        self.assertContains(response, "الموافق")
        # Photo with caption and credit, body, tags, reading time, share links, section label.
        self.assertContains(response, "<picture>")
        self.assertContains(response, "الجسر الجديد عند الغروب")
        self.assertContains(response, "افتتحت أمانة بغداد صباح اليوم جسراً جديداً.")
        self.assertContains(response, 'rel="tag">بغداد</a>')
        self.assertContains(response, "دقيقة")
        self.assertContains(response, "https://wa.me/?text=")
        self.assertContains(response, '<a href="/arab-world/iraq/">العراق</a>')
        # Related articles: shares the tag "بغداد"; the draft sharing it never shows.
        self.assertContains(response, "مقالات ذات صلة")
        self.assertIn(self.related, response.context["related_articles"])
        self.assertNotContains(response, self.draft.title)

    def test_section_page_includes_child_sections(self):
        response = self.client.get("/arab-world/")
        self.assert_rtl_page(response)
        self.assertContains(response, "<h1>عربي و دولي</h1>")
        titles = [a.title for a in response.context["page_obj"].items]
        self.assertEqual(titles, [self.lead.title, self.related.title])
        self.assertContains(response, '<a href="/arab-world/iraq/">العراق</a>')

    def test_child_section_page(self):
        response = self.client.get("/arab-world/iraq/")
        self.assert_rtl_page(response)
        self.assertEqual([a.pk for a in response.context["page_obj"].items], [self.lead.pk])

    def test_reporter_page(self):
        response = self.client.get(reverse("news:reporter", args=["huda"]))
        self.assert_rtl_page(response)
        self.assertContains(response, "<h1>هدى الساعدي</h1>")
        self.assertContains(response, 'class="reporter-photo"')
        self.assertEqual(list(response.context["page_obj"].items), [self.lead])
        anas = self.client.get("/author/anas/")
        self.assertContains(anas, "يغطي الشأن العراقي")
        self.assertEqual([a.pk for a in anas.context["page_obj"].items], [self.lead.pk, self.related.pk])

    def test_tag_page(self):
        tag = self.lead.tags.get(name="بغداد")
        response = self.client.get(reverse("news:tag", args=[tag.slug]))
        self.assert_rtl_page(response)
        self.assertContains(response, "<h1>بغداد</h1>")
        self.assertEqual([a.pk for a in response.context["page_obj"].items], [self.lead.pk, self.related.pk])

    def test_static_page_and_footer_link(self):
        response = self.client.get("/about/")
        self.assert_rtl_page(response)
        self.assertContains(response, "مراسلين موقع إخباري مستقل.")
        home = self.client.get("/")
        self.assertContains(home, '<a href="/about/">من نحن</a>')

    def test_friendly_arabic_404(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "الصفحة غير موجودة", status_code=404)
        self.assertContains(response, 'dir="rtl"', status_code=404)
        self.assertEqual(self.client.get("/author/nobody/").status_code, 404)
        self.assertEqual(self.client.get("/sport/999999/x/").status_code, 404)

    def test_trimmed_article_address_leads_to_its_section(self):
        """/iraq/123/slug/ trimmed to /iraq/ finds the section at its full path."""
        self.assertRedirects(self.client.get("/iraq/"), "/arab-world/iraq/", status_code=301)

    def test_child_section_links_back_to_its_parent(self):
        response = self.client.get("/arab-world/iraq/")
        self.assertContains(response, '<a href="/arab-world/">عربي و دولي</a>')
        article = self.client.get(self.lead.get_absolute_url())
        self.assertContains(article, '<a class="parent-section" href="/arab-world/">عربي و دولي</a>')

    def test_bad_page_cursor_is_a_clear_arabic_400(self):
        response = self.client.get("/sport/?before=not-a-cursor")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "رابط الصفحة هذا غير صالح", status_code=400)

    def test_friendly_arabic_500(self):
        from murasil.core.views import server_error

        response = server_error(self.client.request().wsgi_request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("حدث خطأ", response.content.decode())

    def test_english_is_available(self):
        with self.settings(LANGUAGE_CODE="en"):
            response = self.client.get(self.lead.get_absolute_url())
        self.assertContains(response, '<html lang="en" dir="ltr">')
        self.assertContains(response, "Related articles")
