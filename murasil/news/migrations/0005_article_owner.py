"""Articles get an owner: the account that created them. Existing articles take the author of their first revision."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast


def owners_from_first_revision(apps, schema_editor) -> None:
    Article = apps.get_model("news", "Article")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="news", model="article").first()
    if content_type is None:
        return
    first_author = (
        Revision.objects.filter(
            base_content_type=content_type, object_id=Cast(OuterRef("pk"), CharField()), user__isnull=False
        )
        .order_by("created_at", "id")
        .values("user_id")[:1]
    )
    Article.objects.filter(owner__isnull=True).update(owner=Subquery(first_author))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_article_related_ids"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="owned_articles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.RunPython(owners_from_first_revision, migrations.RunPython.noop),
    ]
