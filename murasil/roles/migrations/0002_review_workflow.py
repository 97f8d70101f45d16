"""The review workflow on articles: «مراجعة التحرير», one task «موافقة التحرير» for the editor and
editor-in-chief groups. A reporter submits an article for review; an editor approves (which publishes it)
or requests changes with a comment. Wagtail notifies the editors of a submission and the reporter of the
decision by email, and records every step in the article's history.

Safe to run again (found by name, not doubled); reversing removes the workflow and its task.
"""

from django.db import migrations

EDITOR = "محرر"
EDITOR_IN_CHIEF = "رئيس التحرير"
WORKFLOW_NAME = "مراجعة التحرير"
TASK_NAME = "موافقة التحرير"


def create_workflow(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    article_type, _ = ContentType.objects.get_or_create(app_label="news", model="article")

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        # Task is multi-table polymorphic: Wagtail finds the specific class through content_type.
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(*Group.objects.filter(name__in=[EDITOR, EDITOR_IN_CHIEF]))

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    # One workflow per content type: a workflow an administrator already assigned is left in place.
    WorkflowContentType.objects.get_or_create(content_type=article_type, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor) -> None:
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    GroupApprovalTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0001_newsroom_groups"),
        ("news", "0008_breaking_until_live_coverage_notes"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
