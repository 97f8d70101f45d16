"""The newsroom in Chromium, in the Arabic admin: a reporter files an article and submits it for review,
an editor approves it (it appears on the site), then flags it breaking (it appears in the home strip)."""

import datetime
import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from murasil.news.models import Article
from murasil.roles import groups
from tests.factories import ensure_site, make_section

from .base import SHOTS, BrowserTestCase

pytestmark = pytest.mark.browser

groups_migration = importlib.import_module("murasil.roles.migrations.0001_newsroom_groups")
workflow_migration = importlib.import_module("murasil.roles.migrations.0002_review_workflow")
PASSWORD = "s3cret-pass-for-tests"
TITLE = "افتتاح مكتبة عامة جديدة في حي الزهور"


def account(username: str, group: str):
    user = get_user_model().objects.create_user(username, f"{username}@newsroom.localhost", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


class TestReviewInChromium(BrowserTestCase):
    def setUp(self):
        ensure_site()
        # A live server test empties the database between tests: the data migrations' groups and
        # workflow are made again (both are idempotent).
        groups_migration.create_groups(apps, None)
        workflow_migration.create_workflow(apps, None)
        self.section = make_section("محليات", "local")
        self.reporter = account("samir", groups.REPORTER)
        self.editor = account("karim", groups.EDITOR)

    def login(self, username: str):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
        page = context.new_page()
        page.goto(self.live_server_url + "/admin/login/")
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(self.live_server_url + "/admin/")
        return context, page

    def footer_action(self, page, selector: str) -> None:
        """Open the action menu's dropdown in the footer and click one of its buttons."""
        page.click("footer .w-dropdown__toggle")
        page.click(f"footer {selector}")

    def test_file_submit_approve_publish_and_flag_breaking(self):
        # The reporter files an article and submits it for review.
        context, page = self.login("samir")
        page.goto(self.live_server_url + "/admin/snippets/news/article/add/")
        page.click("#id_section-chooser .unchosen [data-chooser-action-choose]")
        page.locator(".modal a", has_text="محليات").first.click()
        page.wait_for_function("document.querySelector('input[name=section]').value !== ''")
        page.fill("#id_title", TITLE)
        page.fill("#id_standfirst", "المكتبة تضم عشرين ألف كتاب وقاعة للأطفال.")
        page.screenshot(path=str(SHOTS / "workflow-reporter-files.png"), full_page=False)
        self.footer_action(page, "button[name=action-submit]")
        page.wait_for_selector(".messages .success")
        article = Article.objects.get(title=TITLE)
        self.assertEqual(article.owner, self.reporter)
        self.assertFalse(article.live)
        self.assertEqual(article.current_workflow_state.requested_by, self.reporter)
        page.screenshot(path=str(SHOTS / "workflow-reporter-submitted.png"), full_page=False)
        context.close()

        # The editor approves: that publishes it.
        context, page = self.login("karim")
        page.goto(self.live_server_url + f"/admin/snippets/news/article/edit/{article.pk}/")
        page.screenshot(path=str(SHOTS / "workflow-editor-reviews.png"), full_page=False)
        self.footer_action(page, 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
        page.wait_for_load_state()
        page.wait_for_selector(".messages .success")
        article.refresh_from_db()
        self.assertTrue(article.live)

        reader = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar").new_page()
        reader.goto(self.live_server_url + article.get_absolute_url())
        self.assertEqual(reader.locator("h1.headline").inner_text(), TITLE)
        reader.goto(self.live_server_url + "/")
        self.assertEqual(reader.locator("section.breaking").count(), 0)

        # The editor flags it breaking for three hours and publishes.
        page.goto(self.live_server_url + f"/admin/snippets/news/article/edit/{article.pk}/")
        page.get_by_role("tab", name="النشر").click()
        until = timezone.localtime() + datetime.timedelta(hours=3)
        page.fill("#id_breaking_until", until.strftime("%Y-%m-%d %H:%M"))
        page.keyboard.press("Escape")
        self.footer_action(page, "button[name=action-publish]")
        page.wait_for_selector(".messages .success")
        article.refresh_from_db()
        self.assertTrue(article.is_breaking)
        context.close()

        # A new reader: the first one's browser may keep its copy of the home page for max-age (30 s).
        reader.context.close()
        reader = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar").new_page()
        reader.goto(self.live_server_url + "/")
        self.assertIn(TITLE, reader.locator("section.breaking").inner_text())
        reader.screenshot(path=str(SHOTS / "workflow-home-breaking-phone.png"), full_page=False)
        reader.context.close()
