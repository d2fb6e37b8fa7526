"""A member registered by an import carries it (Member.imported_in), in place of an admission
entry per member (members/history.py); and the history's own index on member_id goes, being the
front of member_event_recent (member_id, at).

The member column is added with ALTER TABLE ADD COLUMN on both databases. The index is dropped by
name, not by AlterField: on SQLite AlterField rebuilds the whole history table.

Backwards, each member an import registered gets the admission entry older code reads (its undo
finds an import's members by them), and on SQLite, where removing the column rebuilds the member
table, the search triggers (0005) and the name-order index (0010) are made again.
"""

import django.db.models.deletion
from django.db import migrations, models

from hoiccb.members.search_sql import SQLITE_FTS_CREATE


def write_admission_entries(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    MemberEvent = apps.get_model("members", "MemberEvent")
    db = schema_editor.connection.alias
    imported = Member.objects.using(db).exclude(imported_in=None).select_related("imported_in").order_by("pk")
    entries = []
    for member in imported.iterator(chunk_size=2000):
        batch = member.imported_in
        entries.append(
            MemberEvent(
                member_id=member.pk,
                unit_path=member.unit_path,
                action="admitted",
                at=batch.committed_at or batch.created_at,
                actor_id=batch.committed_by_id,
                to_unit_id=member.unit_id,
                note=f"Nhập từ tệp “{batch.file_name}” (lần nhập #{batch.pk}).",
                batch_id=batch.pk,
            )
        )
        if len(entries) == 2000:
            MemberEvent.objects.using(db).bulk_create(entries)
            entries = []
    MemberEvent.objects.using(db).bulk_create(entries)


def restore_sqlite_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS_CREATE:
            schema_editor.execute(statement)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_sort_covering ON members_member "
            "(sort_key, id, unit_path, status, search_text)"
        )


def _member_only_indexes(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "members_memberevent")
    return [
        name
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == ["member_id"]
    ]


def drop_member_index(apps, schema_editor):
    for name in _member_only_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_member_index(apps, schema_editor):
    if not _member_only_indexes(schema_editor):
        schema_editor.execute(
            'CREATE INDEX "members_memberevent_member_id" ON "members_memberevent" ("member_id")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0016_drop_indexes_covered_by_others"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_search),  # backwards: after the column goes
        migrations.AddField(
            model_name="member",
            name="imported_in",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="admitted_members",
                to="members.memberimport",
                verbose_name="lần nhập",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, write_admission_entries),  # backwards: before it goes
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="memberevent",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="members.member",
                    ),
                )
            ],
            database_operations=[migrations.RunPython(drop_member_index, create_member_index)],
        ),
    ]
