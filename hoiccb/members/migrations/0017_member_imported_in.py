"""A member registered by an import carries it (Member.imported_in), in place of an admission
entry per member (members/history.py); and the history's own index on member_id goes, being the
front of member_event_recent (member_id, at).

The member column is added with ALTER TABLE ADD COLUMN on both databases. The index is dropped by
name, not by AlterField: on SQLite AlterField rebuilds the whole history table.
"""

import django.db.models.deletion
from django.db import migrations, models


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
