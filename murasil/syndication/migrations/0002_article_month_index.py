from django.db import migrations

INDEX = "syndication_article_month"


def create(apps, schema_editor) -> None:
    # PostgreSQL only: the sitemap index counts each month with an index-only scan of this range
    # (sitemaps.article_months). SQLite groups in one pass and needs no extra index.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_article (live, first_published_at) "
            "INCLUDE (expire_at, last_published_at)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("murasil_syndication", "0001_initial"), ("news", "0004_article_related_ids")]

    operations = [migrations.RunPython(create, drop)]
