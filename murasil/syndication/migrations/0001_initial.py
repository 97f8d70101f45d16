import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q, Window
from django.db.models.functions import Now, RowNumber


def fill(apps, schema_editor) -> None:
    """Each tag's newest published article (what tag_activity.rebuild() does, on historical models)."""
    Article = apps.get_model("news", "Article")
    ArticleTag = apps.get_model("news", "ArticleTag")
    TagActivity = apps.get_model("murasil_syndication", "TagActivity")
    published = Article.objects.filter(live=True).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=Now()))
    newest = (
        ArticleTag.objects.filter(content_object__in=published)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("tag_id"),
                order_by=[F("content_object__first_published_at").desc(), F("content_object_id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("tag_id", "content_object_id", "content_object__first_published_at")
    )
    TagActivity.objects.bulk_create(
        (TagActivity(tag_id=tag, article_id=article, published_at=when) for tag, article, when in newest),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("news", "0004_article_related_ids"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="TagActivity",
            fields=[
                (
                    "tag",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="syndication_activity",
                        serialize=False,
                        to="taggit.tag",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                (
                    "article",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="news.article"
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
