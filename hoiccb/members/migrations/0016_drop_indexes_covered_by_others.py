"""Two indexes every member write paid for, each the leading part of another index:
member_sort (sort_key, id) is the front of member_sort_covering (0007, 0010), and the unit
foreign key's own index (unit_id) the front of member_unit_status (unit_id, status).

The foreign key's index is dropped by name, not by AlterField: on SQLite AlterField rebuilds
the whole table, which would lose the search triggers and the covering index made in SQL.
"""

import django.db.models.deletion
from django.db import migrations, models


def _unit_only_indexes(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "members_member")
    return [
        name
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == ["unit_id"]
    ]


def drop_unit_index(apps, schema_editor):
    for name in _unit_only_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_unit_index(apps, schema_editor):
    if not _unit_only_indexes(schema_editor):
        schema_editor.execute('CREATE INDEX "members_member_unit_id" ON "members_member" ("unit_id")')


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0015_postgres_path_search_index"),
        ("org", "0004_unit_place"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="member_sort"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="org.unit",
                        verbose_name="đơn vị",
                    ),
                )
            ],
            database_operations=[migrations.RunPython(drop_unit_index, create_unit_index)],
        ),
    ]
