"""On PostgreSQL, a trigram GIN index lets `search_text LIKE '%fragment%'` use an index.

SQLite has no such index; there the search scans the (small, local) table.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_search_trgm ON members_member USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_seed_theatres")]
    operations = [migrations.RunPython(create, drop)]
