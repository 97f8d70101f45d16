"""The headline vectors move out of the search table into their own (PostgreSQL; on SQLite the
table is created and stays empty, as the search documents' table does).

A search finds its matches through the GIN index and then visits each match's heap row for its id.
With the headline vector stored in those rows (0004) the table had about 15 rows a page, and a common
word's 19,000 matches touched nearly every page of it (30 ms at 100k); without it the rows are an id
and a TOAST pointer, about 135 a page. The rewrite (CLUSTER, in primary-key order) is what frees the
dropped column's space; at 100k articles it takes about a minute and a half, during which searches
wait for the table (CLUSTER locks it): run it outside the busiest hour.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS search_headline_vector ON murasil_search_headline USING gin (vector)")
    schema_editor.execute(
        "INSERT INTO murasil_search_headline (article_id, vector) "
        "SELECT article_id, ts_filter(vector, '{a}') FROM murasil_search_searchdocument WHERE vector IS NOT NULL"
    )
    schema_editor.execute("ALTER TABLE murasil_search_searchdocument DROP COLUMN IF EXISTS headline")
    schema_editor.execute("CLUSTER murasil_search_searchdocument USING murasil_search_searchdocument_pkey")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE murasil_search_searchdocument ADD COLUMN IF NOT EXISTS headline tsvector "
        "GENERATED ALWAYS AS (ts_filter(vector, '{a}')) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_document_headline ON murasil_search_searchdocument USING gin (headline)"
    )


class Migration(migrations.Migration):
    dependencies = [("murasil_search", "0004_headline_vector")]

    operations = [
        migrations.CreateModel(
            name="SearchHeadline",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        db_column="article_id",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="murasil_search.searchdocument",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "murasil_search_headline"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
