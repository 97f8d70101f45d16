"""PostgreSQL: a small vector of each headline's words, for search as you type.

Generated from the weight-A part of the article's vector (the title field), so nothing in Python
writes it; its own GIN index answers a typed prefix without reading the large vectors, which a
weight-restricted query on the main vector would have to recheck one by one.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE murasil_search_searchdocument ADD COLUMN IF NOT EXISTS headline tsvector "
        "GENERATED ALWAYS AS (ts_filter(vector, '{a}')) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_document_headline ON murasil_search_searchdocument USING gin (headline)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE murasil_search_searchdocument DROP COLUMN IF EXISTS headline")


class Migration(migrations.Migration):
    dependencies = [("murasil_search", "0003_vector_storage_external")]

    operations = [migrations.RunPython(forwards, backwards)]
