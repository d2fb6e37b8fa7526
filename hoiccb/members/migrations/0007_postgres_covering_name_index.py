"""On PostgreSQL, the name-order index also carries what the list filters on.

Walking (sort_key, id) in order while checking unit_path, status and search_text
then needs no visit to the table (an index-only scan), which is what makes a
common search fragment cheap. SQLite has no INCLUDE; there the FTS index serves.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_sort_covering ON members_member "
            "(sort_key, id) INCLUDE (unit_path, status, search_text)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_sort_covering")


class Migration(migrations.Migration):
    dependencies = [("members", "0006_member_path_status_index")]
    operations = [migrations.RunPython(create, drop)]
