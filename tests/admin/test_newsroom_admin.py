"""An editor works in the Arabic admin: uploads a photo, writes and publishes an article, finds it listed."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from murasil.demo.images import news_photo
from murasil.news.models import Article
from tests.newsroom import NewsroomTestCase


class TestEditorPublishesAnArticle(NewsroomTestCase):
    def setUp(self):
        self.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "s3cret-pass")
        self.client.force_login(self.editor)

    def test_admin_is_arabic_rtl_by_default(self):
        response = self.client.get("/admin/")
        self.assertContains(response, 'lang="ar"')
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, "<title>لوحة التحكم - Wagtail</title>", html=False)
        self.assertContains(response, '"name": "newsroom"')

    def test_admin_in_english_for_a_user_who_prefers_it(self):
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(self.editor)
        profile.preferred_language = "en"
        profile.save()
        response = self.client.get("/admin/")
        self.assertContains(response, 'dir="ltr"')
        self.assertContains(response, '"label": "Newsroom"')

    def upload_photo(self):
        upload = SimpleUploadedFile("bridge.jpg", news_photo(7, size=(800, 450)), content_type="image/jpeg")
        response = self.client.post(
            reverse("wagtailimages:add"), {"title": "جسر الجمهورية", "file": upload, "collection": 1}
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        return get_image_model().objects.get(title="جسر الجمهورية")

    def test_write_and_publish_with_photo(self):
        photo = self.upload_photo()
        data = nested_form_data(
            {
                "section": self.iraq.pk,
                "kicker": "تحقيق",
                "title": "أسواق الشورجة تستعد لموسم الشتاء",
                "standfirst": "التجار يتوقعون حركة أنشط مع انخفاض درجات الحرارة.",
                "article_reporters": inline_formset([{"reporter": self.anas.pk}]),
                "source": "مراسلين – بغداد",
                "featured_image": photo.pk,
                "featured_image_caption": "زحام في سوق الشورجة",
                "featured_image_credit": "مراسلين",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>بدأ تجار سوق الشورجة بعرض الملابس الشتوية.</p>")),
                        ("heading", "الأسعار"),
                        ("quote", {"text": "الإقبال أفضل من العام الماضي", "attribution": "تاجر في السوق"}),
                    ]
                ),
                "tags": "بغداد, أسواق",
                "slug": "",
                "breaking_until": "",
                "live_updates": inline_formset([]),
                "is_featured": "",
                "go_live_at": "",
                "expire_at": "",
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(reverse("wagtailsnippets_news_article:add"), data)
        if response.status_code != 302:
            self.fail(f"{response.context['form'].errors} {response.context['form'].formsets}")
        article = Article.objects.get(title="أسواق الشورجة تستعد لموسم الشتاء")
        self.assertTrue(article.live)
        self.assertEqual(article.reporters, [self.anas])
        self.assertEqual(article.root_section_id, self.world.pk)
        self.assertEqual(article.revisions.count(), 1)

        self.client.logout()
        home = self.client.get("/")
        self.assertContains(home, article.title)
        self.assertContains(self.client.get("/arab-world/iraq/"), article.title)
        page = self.client.get(article.get_absolute_url())
        self.assertContains(page, "زحام في سوق الشورجة")
        self.assertContains(page, "<picture>")
        self.assertContains(page, "الإقبال أفضل من العام الماضي")

    def test_saving_a_draft_keeps_it_off_the_site(self):
        data = nested_form_data(
            {
                "section": self.sport.pk,
                "title": "مسودة تقرير عن الملاعب",
                "article_reporters": inline_formset([]),
                "live_updates": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>نص أولي.</p>"))]),
                "tags": "",
            }
        )
        response = self.client.post(reverse("wagtailsnippets_news_article:add"), data)
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(title="مسودة تقرير عن الملاعب")
        self.assertFalse(article.live)
        self.client.logout()
        self.assertNotContains(self.client.get("/sport/"), article.title)

    def test_listing_filters_and_search(self):
        url = reverse("wagtailsnippets_news_article:list")
        response = self.client.get(url, {"section": self.world.pk})
        titles = [a.title for a in response.context["object_list"]]
        self.assertIn(self.lead.title, titles)  # child section included
        self.assertNotIn(self.breaking.title, titles)
        response = self.client.get(url, {"status": "draft"})
        self.assertEqual([a.pk for a in response.context["object_list"]], [self.draft.pk])
        response = self.client.get(url, {"is_breaking": "1"})
        self.assertEqual({a.pk for a in response.context["object_list"]}, {self.breaking.pk, self.old_breaking.pk})
        response = self.client.get(url, {"reporter": self.huda.pk})
        self.assertEqual([a.pk for a in response.context["object_list"]], [self.lead.pk])

    def test_preview_of_an_unsaved_article(self):
        """The preview panel renders a new article before it has an id or a slug."""
        article = Article(section=self.iraq, title="خبر لم يحفظ بعد", standfirst="موجز التجربة")
        response = article.make_preview_request()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "خبر لم يحفظ بعد")
        self.assertNotContains(response, 'rel="canonical"')

    def test_add_form_has_no_autosave_but_edit_form_has(self):
        add = self.client.get(reverse("wagtailsnippets_news_article:add"))
        self.assertNotContains(add, "data-w-autosave-interval-value")
        edit = self.client.get(reverse("wagtailsnippets_news_article:edit", args=[self.lead.pk]))
        self.assertContains(edit, "data-w-autosave-interval-value")

    def test_untitled_article_has_a_readable_name(self):
        self.assertEqual(str(Article(section=self.iraq)), "مقال بلا عنوان")

    def test_preview_renders_the_reader_template(self):
        response = self.lead.make_preview_request()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.lead.title)


class TestBulkPublishing(NewsroomTestCase):
    def setUp(self):
        self.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "s3cret-pass")
        self.client.force_login(self.editor)

    def url(self, action: str, *articles) -> str:
        ids = "&".join(f"id={a.pk}" for a in articles)
        return reverse("wagtail_bulk_action", args=["news", "article", action]) + f"?{ids}&next=/admin/"

    def test_publish_many_drafts(self):
        from tests.factories import make_article

        second = make_article(self.sport, "مسودة ثانية عن الملعب الجديد", publish=False)
        confirm = self.client.get(self.url("publish", self.draft, second))
        self.assertContains(confirm, self.draft.title)
        response = self.client.post(self.url("publish", self.draft, second))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Article.objects.filter(pk__in=[self.draft.pk, second.pk], live=True).count(), 2)
        self.client.logout()
        self.assertContains(self.client.get("/sport/"), second.title)

    def test_unpublish_many(self):
        response = self.client.post(self.url("unpublish", self.related, self.breaking))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Article.objects.filter(pk__in=[self.related.pk, self.breaking.pk], live=True).exists())
        self.client.logout()
        self.assertEqual(self.client.get(self.related.get_absolute_url()).status_code, 404)

    def test_listing_offers_the_actions(self):
        response = self.client.get(reverse("wagtailsnippets_news_article:list"))
        self.assertContains(response, "/admin/bulk/news/article/publish/")
        self.assertContains(response, "/admin/bulk/news/article/unpublish/")

    def test_reporter_without_publish_permission_cannot(self):
        from django.contrib.auth.models import Group, Permission

        reporter_user = get_user_model().objects.create_user("writer", "w@example.com", "pass-w-123456")
        group = Group.objects.create(name="كتّاب")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="add_article"),
            Permission.objects.get(codename="change_article"),
        )
        reporter_user.groups.add(group)
        self.client.force_login(reporter_user)
        self.client.post(self.url("publish", self.draft))
        self.draft.refresh_from_db()
        self.assertFalse(self.draft.live)
