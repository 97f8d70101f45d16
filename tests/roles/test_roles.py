"""Each newsroom role in the admin: what a reporter, an editor and the editor-in-chief can see and do."""

import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse

from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from murasil.comments.models import Comment
from murasil.core.models import NewsroomSettings
from murasil.news.models import Article
from murasil.roles import groups
from tests.comments.helpers import make_comment
from tests.factories import make_article
from tests.newsroom import NewsroomTestCase

groups_migration = importlib.import_module("murasil.roles.migrations.0001_newsroom_groups")
owner_migration = importlib.import_module("murasil.news.migrations.0005_article_owner")


def make_user(username: str, group_name: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "s3cret-pass")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def article_form(article: Article, action: str | None = None, **changes) -> dict:
    data = {
        "section": article.section_id,
        "kicker": article.kicker,
        "title": article.title,
        "standfirst": article.standfirst,
        "article_reporters": inline_formset([]),
        "live_updates": inline_formset([]),
        "breaking_until": "",
        "editorial_notes": "",
        "source": article.source,
        "featured_image": "",
        "featured_image_caption": "",
        "featured_image_credit": "",
        "body": streamfield([("paragraph", rich_text("<p>نص الخبر.</p>"))]),
        "tags": "",
        "slug": article.slug,
        "comments_open": "on",
        "go_live_at": "",
        "expire_at": "",
        **changes,
    }
    if action:
        data[f"action-{action}"] = action
    return nested_form_data(data)


def snippet_url(view: str, article: Article | None = None) -> str:
    args = [article.pk] if article else []
    return reverse(f"wagtailsnippets_news_article:{view}", args=args)


def bulk_url(action: str, *articles: Article) -> str:
    ids = "&".join(f"id={a.pk}" for a in articles)
    return reverse("wagtail_bulk_action", args=["news", "article", action]) + f"?{ids}&next=/admin/"


class RolesTestCase(NewsroomTestCase):
    def assertRefused(self, response) -> None:
        """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reporter = make_user("samir", groups.REPORTER)
        cls.colleague = make_user("layla", groups.REPORTER)
        cls.editor = make_user("karim", groups.EDITOR)
        cls.chief = make_user("nadia", groups.EDITOR_IN_CHIEF)
        cls.own_draft = make_article(cls.sport, "مسودة سمير عن الدوري", publish=False, owner=cls.reporter)
        cls.own_live = make_article(cls.sport, "خبر سمير المنشور عن الملعب", owner=cls.reporter)
        cls.colleagues_draft = make_article(cls.iraq, "مسودة ليلى عن الموازنة", publish=False, owner=cls.colleague)


class TestGroupsMigration(TestCase):
    def test_groups_exist_with_arabic_names(self):
        self.assertEqual(set(Group.objects.filter(name__in=groups.ALL).values_list("name", flat=True)), set(groups.ALL))

    def test_reporter_has_no_publish_or_delete_permission(self):
        codenames = set(Group.objects.get(name=groups.REPORTER).permissions.values_list("codename", flat=True))
        self.assertEqual(codenames, {"access_admin", "add_article", "view_reporter"})

    def test_publish_permission_is_the_one_wagtail_checks(self):
        self.assertEqual(Permission.objects.filter(codename="publish_article").count(), 1)
        self.assertTrue(Group.objects.get(name=groups.EDITOR).permissions.filter(codename="publish_article").exists())

    def test_chief_has_page_permissions_on_the_home_page(self):
        grants = GroupPagePermission.objects.filter(group__name=groups.EDITOR_IN_CHIEF)
        self.assertEqual({g.page.depth for g in grants}, {2})
        self.assertIn("publish_page", {g.permission.codename for g in grants})

    def test_running_again_changes_nothing_and_reverse_removes_the_groups(self):
        def counts():
            return (
                Group.objects.count(),
                Permission.objects.count(),
                GroupPagePermission.objects.count(),
                GroupCollectionPermission.objects.count(),
                sum(g.permissions.count() for g in Group.objects.all()),
            )

        before = counts()
        groups_migration.create_groups(apps, None)
        self.assertEqual(counts(), before)
        groups_migration.remove_groups(apps, None)
        self.assertFalse(Group.objects.filter(name__in=groups.ALL).exists())
        self.assertFalse(GroupPagePermission.objects.filter(group__name__in=groups.ALL).exists())
        groups_migration.create_groups(apps, None)
        self.assertEqual(counts()[:4], before[:4])


class TestOwnerMigration(NewsroomTestCase):
    def test_existing_articles_take_the_author_of_their_first_revision(self):
        author = get_user_model().objects.create_user("first", "first@example.com", "x")
        later = get_user_model().objects.create_user("later", "later@example.com", "x")
        article = make_article(self.sport, "خبر قديم بلا مالك", publish=False)
        article.save_revision(user=author)
        article.save_revision(user=later)
        owner_migration.owners_from_first_revision(apps, None)
        article.refresh_from_db()
        self.assertEqual(article.owner, author)


class TestReporter(RolesTestCase):
    def setUp(self):
        self.client.force_login(self.reporter)

    def test_dashboard_and_listing_show_own_articles_only(self):
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        response = self.client.get(snippet_url("list"))
        self.assertEqual({a.pk for a in response.context["object_list"]}, {self.own_draft.pk, self.own_live.pk})

    def test_the_article_chooser_hides_other_reporters_drafts(self):
        results = reverse("wagtailsnippetchoosers_news_article:choose_results")
        listed = {row.pk for row in self.client.get(results).context["results"]}
        self.assertIn(self.own_draft.pk, listed)
        self.assertIn(self.lead.pk, listed)  # published articles can be chosen
        self.assertNotIn(self.colleagues_draft.pk, listed)
        searched = self.client.get(results, {"q": "الموازنة"}).content.decode()
        self.assertNotIn(self.colleagues_draft.title, searched)
        self.assertNotIn(self.draft.title, searched)  # the newsroom's unowned draft: not theirs either

    def test_creates_an_article_they_then_own(self):
        draft = Article(section=self.sport, title="تقرير جديد من سمير")
        response = self.client.post(snippet_url("add"), article_form(draft))
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(title="تقرير جديد من سمير")
        self.assertEqual(article.owner, self.reporter)
        self.assertFalse(article.live)
        self.assertEqual(self.client.get(snippet_url("edit", article)).status_code, 200)

    def test_publishing_on_create_only_saves_a_draft(self):
        draft = Article(section=self.sport, title="محاولة نشر مباشر")
        self.client.post(snippet_url("add"), article_form(draft, "publish"))
        article = Article.objects.get(title="محاولة نشر مباشر")
        self.assertFalse(article.live)
        self.assertIsNone(article.first_published_at)

    def test_edits_own_article_with_no_publish_button(self):
        response = self.client.get(snippet_url("edit", self.own_draft))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="action-publish"')
        response = self.client.post(
            snippet_url("edit", self.own_draft), article_form(self.own_draft, title="عنوان معدل")
        )
        self.assertEqual(response.status_code, 302)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.title, "عنوان معدل")

    def test_posting_the_publish_action_directly_does_not_publish(self):
        self.client.post(snippet_url("edit", self.own_draft), article_form(self.own_draft, "publish"))
        self.own_draft.refresh_from_db()
        self.assertFalse(self.own_draft.live)
        self.client.logout()
        self.assertNotContains(self.client.get("/sport/"), self.own_draft.title)

    def test_cannot_unpublish_own_live_article(self):
        self.assertRefused(self.client.post(snippet_url("unpublish", self.own_live)))
        self.own_live.refresh_from_db()
        self.assertTrue(self.own_live.live)

    def test_bulk_publish_and_unpublish_are_refused(self):
        self.client.post(bulk_url("publish", self.own_draft))
        self.client.post(bulk_url("unpublish", self.own_live))
        self.own_draft.refresh_from_db()
        self.own_live.refresh_from_db()
        self.assertFalse(self.own_draft.live)
        self.assertTrue(self.own_live.live)

    def test_cannot_delete_even_own_articles(self):
        self.assertRefused(self.client.get(snippet_url("delete", self.own_draft)))
        self.assertRefused(self.client.post(snippet_url("delete", self.own_draft)))
        self.client.post(
            reverse("wagtail_bulk_action", args=["news", "article", "delete"]) + f"?id={self.own_draft.pk}"
        )
        self.assertTrue(Article.objects.filter(pk=self.own_draft.pk).exists())

    def test_others_articles_are_refused_at_every_url(self):
        other = self.colleagues_draft
        for view in ("edit", "history", "usage", "unpublish", "lock", "delete", "workflow_history"):
            with self.subTest(view=view):
                self.assertRefused(self.client.get(snippet_url(view, other)))
        response = self.client.post(snippet_url("edit", other), article_form(other, title="تعديل غير مسموح"))
        self.assertRefused(response)
        other.refresh_from_db()
        self.assertEqual(other.title, "مسودة ليلى عن الموازنة")
        self.assertRefused(self.client.get(snippet_url("edit", self.lead)))  # no owner: editors only

    def test_no_sections_settings_comments_or_tags(self):
        self.assertRefused(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.sport.pk])))
        self.assertRefused(
            self.client.get(
                reverse("wagtailsettings:edit", args=["core", "newsroomsettings", NewsroomSettings.load().pk])
            )
        )
        self.assertRefused(self.client.get(reverse("wagtailsnippets_comments_comment:list")))
        self.assertRefused(self.client.get(reverse("wagtailsnippets_taggit_tag:list")))

    def test_can_choose_reporters_and_upload_photos(self):
        self.assertEqual(self.client.get(reverse("wagtailsnippetchoosers_news_reporter:choose")).status_code, 200)
        self.assertEqual(self.client.get(reverse("wagtailimages:add")).status_code, 200)


class TestEditor(RolesTestCase):
    def setUp(self):
        self.client.force_login(self.editor)

    def test_sees_every_article(self):
        response = self.client.get(snippet_url("list"))
        self.assertEqual(response.context["paginator"].count, Article.objects.count())
        results = reverse("wagtailsnippetchoosers_news_article:choose_results")
        self.assertEqual(self.client.get(results).context["results"].paginator.count, Article.objects.count())

    def test_edits_and_publishes_a_reporters_article(self):
        response = self.client.get(snippet_url("edit", self.colleagues_draft))
        self.assertContains(response, 'name="action-publish"')
        self.client.post(snippet_url("edit", self.colleagues_draft), article_form(self.colleagues_draft, "publish"))
        self.colleagues_draft.refresh_from_db()
        self.assertTrue(self.colleagues_draft.live)
        self.assertEqual(self.colleagues_draft.owner, self.colleague)  # ownership stays with the reporter

    def test_unpublishes(self):
        self.assertEqual(self.client.post(snippet_url("unpublish", self.own_live)).status_code, 302)
        self.own_live.refresh_from_db()
        self.assertFalse(self.own_live.live)

    def test_moderates_comments_and_manages_tags(self):
        pending = make_comment(self.lead, "تعليق ينتظر المراجعة", status=Comment.Status.PENDING)
        self.assertEqual(self.client.get(reverse("wagtailsnippets_comments_comment:list")).status_code, 200)
        self.client.post(reverse("wagtail_bulk_action", args=["comments", "comment", "approve"]) + f"?id={pending.pk}")
        pending.refresh_from_db()
        self.assertEqual(pending.status, Comment.Status.APPROVED)
        self.assertEqual(self.client.get(reverse("wagtailsnippets_taggit_tag:add")).status_code, 200)

    def test_cannot_delete_articles_or_change_sections_and_settings(self):
        self.assertRefused(self.client.get(snippet_url("delete", self.own_draft)))
        self.assertRefused(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.sport.pk])))
        self.assertRefused(
            self.client.get(
                reverse("wagtailsettings:edit", args=["core", "newsroomsettings", NewsroomSettings.load().pk])
            )
        )


class TestEditorInChief(RolesTestCase):
    def setUp(self):
        self.client.force_login(self.chief)

    def test_edits_a_section(self):
        url = reverse("wagtailadmin_pages:edit", args=[self.sport.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.get(reverse("wagtailadmin_pages:add_subpage", args=[self.world.pk]), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("/add/", response.redirect_chain[-1][0])
        data = {"title": "رياضة عربية", "slug": "arab-sport", "action-publish": "action-publish"}
        response = self.client.post(url, nested_form_data({**data, "show_in_menus": "on"}))
        self.sport.refresh_from_db()
        self.assertEqual(self.sport.title, "رياضة عربية", response.content[:500])

    def test_edits_site_settings(self):
        for app, model in (("core", "newsroomsettings"), ("comments", "commentsettings")):
            with self.subTest(model=model):
                url = reverse("wagtailsettings:edit", args=[app, model])
                self.assertContains(self.client.get(url, follow=True), 'type="submit"')

    def test_manages_reporters_synonyms_and_deletes_articles(self):
        self.assertEqual(self.client.get(reverse("wagtailsnippets_news_reporter:add")).status_code, 200)
        self.assertEqual(self.client.get(reverse("wagtailsnippets_murasil_search_synonym:list")).status_code, 200)
        self.assertEqual(self.client.post(snippet_url("delete", self.colleagues_draft)).status_code, 302)
        self.assertFalse(Article.objects.filter(pk=self.colleagues_draft.pk).exists())


class TestNoRole(RolesTestCase):
    def test_admin_access_alone_gives_no_articles(self):
        user = get_user_model().objects.create_user("guest", "guest@example.com", "s3cret-pass")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(user)
        self.assertNotContains(self.client.get("/admin/"), '"name": "newsroom"')
        self.assertRefused(self.client.get(snippet_url("list")))
        self.assertRefused(self.client.get(snippet_url("edit", self.own_draft)))
