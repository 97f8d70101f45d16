"""The review workflow: a reporter submits, an editor approves (publishes) or requests changes with a
comment, the reporter is told by email, and the article's history says who did what and when."""

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from wagtail.models import GroupApprovalTask, ModelLogEntry, Workflow, WorkflowContentType, WorkflowState

from murasil.news.models import Article
from murasil.roles import groups

from .test_roles import RolesTestCase, article_form, bulk_url, snippet_url

workflow_migration = importlib.import_module("murasil.roles.migrations.0002_review_workflow")


def action_url(article: Article, action: str) -> str:
    task_state = article.current_workflow_task_state
    return reverse("wagtailsnippets_news_article:workflow_action", args=[article.pk, action, task_state.pk])


class WorkflowTestCase(RolesTestCase):
    def submit(self, article: Article, **changes) -> Article:
        self.client.force_login(self.reporter)
        response = self.client.post(snippet_url("edit", article), article_form(article, "submit", **changes))
        self.assertEqual(response.status_code, 302, response.content[:500])
        return Article.objects.get(pk=article.pk)


class TestWorkflowMigration(RolesTestCase):
    def test_articles_go_through_the_editors_review(self):
        workflow = Workflow.objects.get(name="مراجعة التحرير")
        self.assertTrue(workflow.active)
        article_type = ContentType.objects.get_for_model(Article)
        self.assertEqual(WorkflowContentType.objects.get(content_type=article_type).workflow, workflow)
        self.assertEqual(self.own_draft.get_workflow(), workflow)
        [task] = [t.specific for t in workflow.tasks]
        self.assertIsInstance(task, GroupApprovalTask)
        self.assertEqual(task.name, "موافقة التحرير")
        self.assertEqual(set(task.groups.values_list("name", flat=True)), {groups.EDITOR, groups.EDITOR_IN_CHIEF})

    def test_running_again_changes_nothing_and_reverse_removes_it(self):
        def counts():
            return (
                Workflow.objects.count(),
                GroupApprovalTask.objects.count(),
                WorkflowContentType.objects.count(),
            )

        before = counts()
        workflow_migration.create_workflow(apps, None)
        self.assertEqual(counts(), before)
        workflow_migration.remove_workflow(apps, None)
        self.assertFalse(Workflow.objects.filter(name="مراجعة التحرير").exists())
        self.assertFalse(WorkflowContentType.objects.exists())
        workflow_migration.create_workflow(apps, None)
        self.assertEqual(counts(), before)


class TestSubmitAndApprove(WorkflowTestCase):
    def test_reporter_submits_and_editors_are_told(self):
        article = self.submit(self.own_draft, title="تقرير سمير جاهز للمراجعة")
        self.assertFalse(article.live)
        state = article.current_workflow_state
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(state.requested_by, self.reporter)
        recipients = {address for message in mail.outbox for address in message.to}
        self.assertIn(self.editor.email, recipients)
        self.assertIn(self.chief.email, recipients)
        self.assertNotIn(self.colleague.email, recipients)
        # The editor's dashboard lists it as awaiting review; the edit form offers the review's actions.
        self.client.force_login(self.editor)
        self.assertContains(self.client.get("/admin/"), "تقرير سمير جاهز للمراجعة")
        response = self.client.get(snippet_url("edit", article))
        self.assertContains(response, "موافقة التحرير")
        self.assertContains(response, 'data-workflow-action-name="approve"')
        self.assertContains(response, 'data-workflow-action-name="reject"')

    def test_submitted_article_is_locked_for_the_reporter(self):
        article = self.submit(self.own_draft)
        self.assertTrue(article.current_workflow_task.locked_for_user(article, self.reporter))
        self.client.post(snippet_url("edit", article), article_form(article, title="تعديل أثناء المراجعة"))
        article.refresh_from_db()
        self.assertNotEqual(article.latest_revision.as_object().title, "تعديل أثناء المراجعة")

    def test_reporter_cannot_approve_their_own_article(self):
        article = self.submit(self.own_draft)
        self.assertRefused(self.client.post(action_url(article, "approve")))
        article.refresh_from_db()
        self.assertFalse(article.live)
        self.assertEqual(article.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_editor_approves_which_publishes_and_the_reporter_is_told(self):
        article = self.submit(self.own_draft, title="خبر سمير بعد المراجعة")
        mail.outbox.clear()
        self.client.force_login(self.editor)
        response = self.client.post(action_url(article, "approve"))
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertTrue(article.live)
        self.assertEqual(article.title, "خبر سمير بعد المراجعة")
        self.assertEqual(article.owner, self.reporter)
        self.assertEqual(WorkflowState.objects.get(pk=article.workflow_states.get().pk).status, "approved")
        [message] = [m for m in mail.outbox if self.reporter.email in m.to]
        self.assertIn("خبر سمير بعد المراجعة", message.body)
        self.client.logout()
        self.assertContains(self.client.get(article.get_absolute_url()), "خبر سمير بعد المراجعة")

    def test_editor_requests_changes_with_a_comment(self):
        article = self.submit(self.own_draft)
        mail.outbox.clear()
        self.client.force_login(self.editor)
        comment = "ينقص الخبر رأي اتحاد الكرة، أضفه قبل النشر."
        response = self.client.post(action_url(article, "reject"), {"comment": comment})
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertFalse(article.live)
        self.assertEqual(article.workflow_states.get().status, WorkflowState.STATUS_NEEDS_CHANGES)
        [message] = [m for m in mail.outbox if self.reporter.email in m.to]
        self.assertIn(comment, message.body)
        # The reporter edits again and resubmits: the same review continues.
        article = self.submit(article, title="الخبر مع رأي الاتحاد")
        self.assertEqual(article.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(article.current_workflow_state.requested_by, self.reporter)

    def test_history_says_who_did_what_and_when(self):
        article = self.submit(self.own_draft)
        self.client.force_login(self.editor)
        self.client.post(action_url(article, "reject"), {"comment": "أعد صياغة العنوان"})
        article = self.submit(article, title="عنوان أوضح لخبر الدوري")
        self.client.force_login(self.editor)
        self.client.post(action_url(article, "approve"))
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk)
        ).order_by("timestamp", "pk")
        steps = [
            (entry.action, entry.user_id)
            for entry in entries
            if entry.action.startswith(("wagtail.workflow", "wagtail.publish"))
        ]
        self.assertEqual(
            steps,
            [
                ("wagtail.workflow.start", self.reporter.pk),
                ("wagtail.workflow.reject", self.editor.pk),
                ("wagtail.workflow.resume", self.reporter.pk),
                ("wagtail.workflow.approve", self.editor.pk),
                ("wagtail.publish", self.editor.pk),
            ],
        )
        self.assertTrue(all(entry.timestamp for entry in entries))
        history = self.client.get(snippet_url("history", article))
        self.assertContains(history, self.reporter.get_username())
        self.assertContains(history, self.editor.get_username())
        workflow_history = self.client.get(snippet_url("workflow_history", article))
        self.assertContains(workflow_history, "موافقة التحرير")


class TestReporterStaysOffOthersWork(WorkflowTestCase):
    def test_cannot_bulk_delete_or_submit_a_colleagues_article(self):
        self.client.force_login(self.reporter)
        delete = reverse("wagtail_bulk_action", args=["news", "article", "delete"])
        self.client.post(f"{delete}?id={self.colleagues_draft.pk}")
        self.assertTrue(Article.objects.filter(pk=self.colleagues_draft.pk).exists())
        response = self.client.post(
            snippet_url("edit", self.colleagues_draft), article_form(self.colleagues_draft, "submit")
        )
        self.assertRefused(response)
        self.assertIsNone(Article.objects.get(pk=self.colleagues_draft.pk).current_workflow_state)

    def test_cannot_publish_a_submitted_article_through_bulk_publish(self):
        article = self.submit(self.own_draft)
        self.client.post(bulk_url("publish", article))
        article.refresh_from_db()
        self.assertFalse(article.live)


class TestLocking(WorkflowTestCase):
    def test_an_editor_locks_and_nobody_else_can_save(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.post(snippet_url("lock", self.own_draft)).status_code, 302)
        article = Article.objects.get(pk=self.own_draft.pk)
        self.assertTrue(article.locked)
        self.assertEqual(article.locked_by, self.editor)
        # The owner sees it locked and cannot save over the editor's work.
        self.client.force_login(self.reporter)
        response = self.client.get(snippet_url("edit", article))
        self.assertContains(response, "karim")
        revisions = article.revisions.count()
        self.client.post(snippet_url("edit", article), article_form(article, title="تعديل فوق القفل"))
        article.refresh_from_db()
        self.assertEqual(article.revisions.count(), revisions)
        self.assertNotEqual(article.title, "تعديل فوق القفل")
        # Reporters may not lift it.
        self.assertRefused(self.client.post(snippet_url("unlock", article)))
        self.assertTrue(Article.objects.get(pk=article.pk).locked)
        # The editor can still save, then unlock.
        self.client.force_login(self.editor)
        self.client.post(snippet_url("edit", article), article_form(article, title="نسخة المحرر"))
        self.client.post(snippet_url("unlock", article))
        article.refresh_from_db()
        self.assertFalse(article.locked)
        self.assertEqual(article.latest_revision.as_object().title, "نسخة المحرر")
