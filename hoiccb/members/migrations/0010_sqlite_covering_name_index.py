"""On SQLite, the name-order index also carries what a search checks, as 0007 does on PostgreSQL.

A common search reads the first rows of the name order and keeps those whose search_text
holds every word (selectors._name_order_window_reader); with unit_path, status and
search_text in the index that walk never visits the table. SQLite has no INCLUDE, so they
are trailing key columns. Nothing happens on PostgreSQL.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_sort_covering ON members_member "
            "(sort_key, id, unit_path, status, search_text)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS member_sort_covering")


class Migration(migrations.Migration):
    dependencies = [("members", "0009_postgres_name_word_index")]
    operations = [migrations.RunPython(create, drop)]
