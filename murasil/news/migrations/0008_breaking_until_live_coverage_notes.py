"""`is_breaking` (a flag shown for MURASIL_BREAKING_HOURS after publication) becomes `breaking_until`:
flagged articles get the end of the window they had (publication + the hours), so a story in the strip
stays there exactly as long as before and an old one stays out. Drafts flagged breaking get the window
from their scheduled time, else from now. Revisions are converted too, so publishing an older draft or
reverting keeps the flag."""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import modelcluster.fields
import wagtail.fields


def _until(start):
    return start + datetime.timedelta(hours=settings.MURASIL_BREAKING_HOURS)


def _parse(value):
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def breaking_flag_to_time(apps, schema_editor) -> None:
    Article = apps.get_model("news", "Article")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    now = timezone.now()
    for article in Article.objects.filter(is_breaking=True).only("id", "first_published_at", "go_live_at"):
        start = article.first_published_at or article.go_live_at or now
        Article.objects.filter(pk=article.pk).update(breaking_until=_until(start))
    content_type = ContentType.objects.filter(app_label="news", model="article").first()
    if content_type is None:
        return
    revisions = Revision.objects.filter(base_content_type=content_type).only("id", "content")
    for revision in revisions.iterator(chunk_size=500):
        content = revision.content
        if "is_breaking" not in content:
            continue
        flagged = content.pop("is_breaking")
        if flagged:
            start = _parse(content.get("first_published_at")) or _parse(content.get("go_live_at")) or now
            content["breaking_until"] = _until(start).isoformat()
        Revision.objects.filter(pk=revision.pk).update(content=content)


def breaking_time_to_flag(apps, schema_editor) -> None:
    Article = apps.get_model("news", "Article")
    Article.objects.filter(breaking_until__isnull=False).update(is_breaking=True)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_clean_stored_bodies"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="breaking_until",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="Shown in the breaking-news strip until this time. Leave empty for a normal story.",
                null=True,
                verbose_name="breaking news until",
            ),
        ),
        migrations.RunPython(breaking_flag_to_time, breaking_time_to_flag),
        migrations.RemoveField(
            model_name="article",
            name="is_breaking",
        ),
        migrations.AddField(
            model_name="article",
            name="editorial_notes",
            field=models.TextField(
                blank=True,
                help_text="For the newsroom only: sources, fact checks, what is still missing. Readers never see this.",
                verbose_name="editorial notes",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="live_coverage",
            field=models.BooleanField(
                default=False,
                help_text="A running story: the page is marked live and shows its updates newest first.",
                verbose_name="live coverage",
            ),
        ),
        migrations.CreateModel(
            name="LiveUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("posted_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
                ("text", wagtail.fields.RichTextField(verbose_name="update")),
                (
                    "article",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="live_updates", to="news.article"
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="news.reporter",
                        verbose_name="by",
                    ),
                ),
            ],
            options={
                "verbose_name": "live update",
                "verbose_name_plural": "live updates",
                "ordering": ["-posted_at", "-id"],
            },
        ),
    ]
