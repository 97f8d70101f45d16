"""Clean rich text stored before the allow-list (core/sanitize.py) ran on every save: article bodies and
static pages, with their latest revisions left as they are (publishing one saves through the model)."""

from django.db import migrations

from murasil.core.sanitize import clean_body_data, clean_rich_text


def clean_bodies(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    for article in Article.objects.only("id", "body").iterator(chunk_size=500):
        raw = list(article.body.raw_data) if article.body else []
        cleaned = clean_body_data(raw)
        if cleaned != raw:
            article.body = cleaned
            article.save(update_fields=["body"])
    StandardPage = apps.get_model("core", "StandardPage")
    for page in StandardPage.objects.only("id", "body").iterator(chunk_size=500):
        cleaned = clean_rich_text(page.body)
        if cleaned != page.body:
            StandardPage.objects.filter(pk=page.pk).update(body=cleaned)


class Migration(migrations.Migration):
    dependencies = [("news", "0006_safe_rich_text"), ("core", "0005_newsroom_sharing_and_feeds")]

    operations = [migrations.RunPython(clean_bodies, migrations.RunPython.noop)]
