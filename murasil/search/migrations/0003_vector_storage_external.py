"""PostgreSQL: keep the search vectors out of line but uncompressed (STORAGE EXTERNAL).

Ranking reads the whole vector of each of the newest matches; decompressing pglz was most of that
time (2,000 vectors: ~45 ms compressed, ~13 ms uncompressed at 100k articles; docs/performance.md).
The vectors take about 40% more disk. Vectors already stored are rewritten once, so they take the
new storage now rather than at their next edit (about two minutes at 100,000 articles).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE murasil_search_searchdocument ALTER COLUMN vector SET STORAGE EXTERNAL")
    # Concatenating an empty vector makes a new, detoasted value, stored again with the new setting.
    schema_editor.execute("UPDATE murasil_search_searchdocument SET vector = vector || ''::tsvector")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE murasil_search_searchdocument ALTER COLUMN vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("murasil_search", "0002_engine_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
