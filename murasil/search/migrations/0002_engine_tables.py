"""The database-specific half of the index: an FTS5 table on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

FIELDS = ("title", "standfirst", "tags", "body")
COLUMNS = ", ".join(f"{field}_{kind}" for field in FIELDS for kind in ("w", "a"))


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        # Tokens are analyzed in Python already: unicode61 only splits them on spaces.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS search_articlefts USING fts5({COLUMNS}, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_vector ON murasil_search_searchdocument USING gin (vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_articlefts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")


class Migration(migrations.Migration):
    dependencies = [("murasil_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
