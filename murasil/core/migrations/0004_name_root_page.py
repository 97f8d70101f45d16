"""Give Wagtail's invisible root page an Arabic name: editors see it in the section chooser."""

from django.db import migrations


def rename_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Page.objects.filter(depth=1, title="Root").update(title="جذر الموقع", draft_title="جذر الموقع")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_create_homepage")]

    operations = [migrations.RunPython(rename_root, migrations.RunPython.noop)]
