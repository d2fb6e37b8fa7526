"""On SQLite, an FTS5 trigram index over search_text, kept in step by triggers.

It answers "search text contains this fragment" (3 letters or more) from an index,
as pg_trgm does on PostgreSQL (migration 0004). Nothing happens on PostgreSQL.
"""

from django.db import migrations

from hoiccb.members.search_sql import SQLITE_FTS_CREATE as CREATE
from hoiccb.members.search_sql import SQLITE_FTS_DROP as DROP


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_search_trigram_index")]
    operations = [migrations.RunPython(create, drop)]
