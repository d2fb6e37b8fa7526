"""On PostgreSQL, three member indexes that every insert paid for and no query needs:

- member_path_status (unit_path, status) is the front of member_path_search (unit_path, status)
  INCLUDE (search_text) (migration 0015): every lookup it served, that index serves;
- the pattern indexes Django makes beside a unique text column (cccd, card_number
  varchar_pattern_ops) serve LIKE 'x%', and nothing looks a CCCD or card number up by prefix
  (search goes through search_text); the unique indexes stay.

Together a sixth of the time of writing 100,000 imported members (bench/imports.py). SQLite
keeps member_path_status: it has no member_path_search.
"""

from django.db import migrations

_PATTERN_COLUMNS = ("cccd", "card_number")


def _pattern_indexes(schema_editor) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'members_member' "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        return [name for (name,) in cursor.fetchall()]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS member_path_status")
    for name in _pattern_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS member_path_status ON members_member (unit_path, status)")
    for column in _PATTERN_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS members_member_{column}_like ON members_member ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0017_member_imported_in")]
    operations = [migrations.RunPython(drop, create)]
