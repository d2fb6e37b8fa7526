"""On SQLite, an FTS5 trigram index over search_text, kept in step by triggers.

It answers "search text contains this fragment" (3 letters or more) from an index,
as pg_trgm does on PostgreSQL (migration 0004). Nothing happens on PostgreSQL.
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS members_member_fts USING fts5("
    "search_text, content='members_member', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_insert AFTER INSERT ON members_member BEGIN "
    "INSERT INTO members_member_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_delete AFTER DELETE ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_update AFTER UPDATE OF search_text ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO members_member_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO members_member_fts(members_member_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS members_member_fts_insert",
    "DROP TRIGGER IF EXISTS members_member_fts_delete",
    "DROP TRIGGER IF EXISTS members_member_fts_update",
    "DROP TABLE IF EXISTS members_member_fts",
]


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
