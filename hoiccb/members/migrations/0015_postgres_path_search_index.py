"""On PostgreSQL, the subtree index also carries the search text: a chair's search counts inside it.

A search inside a large subtree ("hung" among a grassroots association's 118,000 members)
was counted by ANDing the unit-path bitmap with the trigram bitmap of the fragment (125,000
rows for "hung", 850,000 for "van") and rechecking every row of the result in the table:
160–320 ms. With search_text in the index, the capped count walks the subtree's entries in
the index alone, testing the fragment as it goes, and stops at the cap (25,000 entries for
"hung": ≈ 5 ms). The planner keeps the trigram index for rare fragments and for the whole
tree, where its estimate says fewer rows. SQLite searches through FTS5 (migration 0005).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_path_search ON members_member (unit_path, status) INCLUDE (search_text)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_path_search")


class Migration(migrations.Migration):
    dependencies = [("members", "0014_import_row_batch_index")]
    operations = [migrations.RunPython(create, drop)]
