"""Insert many rows fast: COPY on PostgreSQL, one executemany on SQLite.

Used where tens of thousands of rows go in at once (imports, demo and benchmark
data) and building a model instance per row would cost more than the insert.
The caller passes values in the form the columns store (JSON as text, partial
dates as text); only dates and datetimes are adapted here.
"""

import orjson
from django.db import connection, models


def _json(value):
    if value is None:
        return None
    if not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"  # most rows' lists are empty
    # orjson: a tenth of the standard encoder's time on a 100,000-row preview; same text but for spaces.
    return orjson.dumps(value).decode()


def _memoised(adapt):
    """Adapt a value, reusing the last result when the same object comes again (one `now` per batch)."""
    last = [object(), None]

    def adapter(value):
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return adapter


def _adapter(field: models.Field):
    if isinstance(field, models.JSONField):
        return _json
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates and datetimes itself
    if isinstance(field, models.DateTimeField):
        return _memoised(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memoised(connection.ops.adapt_datefield_value)
    return None


def insert_rows(model: type[models.Model], attnames: list[str], rows: list[list]) -> list[int]:
    """Insert `rows` (values in the order of `attnames`) into the model's table; returns the new ids."""
    if not rows:
        return []
    by_attname = {f.attname: f for f in model._meta.concrete_fields}  # "unit_id" as well as "name"
    fields = [by_attname[name] for name in attnames]
    adapters = [(i + 1, a) for i, a in ((i, _adapter(f)) for i, f in enumerate(fields)) if a]  # +1: the id first
    # Table and column names come from the model and are quoted; every value is a parameter.
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            # The raw psycopg cursor: its errors are turned into Django's (IntegrityError…) here.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy,
            ):
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row(_with_id(pk, row, adapters))
            return ids
        # Ids above any ever used (AUTOINCREMENT's sqlite_sequence), so an id freed by a
        # delete is never handed to a new row.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0),"  # noqa: S608 - quoted model table
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [model._meta.db_table],
        )
        start = cursor.fetchone()[0] + 1
        ids = list(range(start, start + len(rows)))
        placeholders = ", ".join(["%s"] * (len(fields) + 1))
        cursor.executemany(
            f"INSERT INTO {table} (id, {columns}) VALUES ({placeholders})",  # noqa: S608 - quoted model names
            [_with_id(pk, row, adapters) for pk, row in zip(ids, rows, strict=True)],
        )
        return ids


def _with_id(pk: int, row: list, adapters: list) -> list:
    """Return the row's parameters: its id, then its values adapted (a new list: the caller's row is kept)."""
    values = [pk, *row]
    for i, adapt in adapters:
        values[i] = adapt(values[i])
    return values
