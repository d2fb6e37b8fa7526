"""Insert many rows fast: COPY on PostgreSQL, one executemany on SQLite.

Used where tens of thousands of rows go in at once (imports, demo and benchmark
data) and building a model instance per row would cost more than the insert.
The caller passes values in the form the columns store (JSON as text, partial
dates as text); only dates and datetimes are adapted here.
"""

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import orjson
from django.db import connection, models


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector over one bulk step (also a decorator).

    A 100,000-row import makes millions of small lists, dicts and strings, none in a cycle;
    each automatic collection walks every one still alive, which was a third of the
    preview's time. Reference counting frees them as before; collection resumes after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def insert_alike(model: type[models.Model], same: dict[str, object], column: str, values: list[int]) -> None:
    """Insert one row per integer of `values` (into `column`), every other column as in `same`.

    One statement whatever the count, the integers passed as a single parameter (SQLite's
    json_each, PostgreSQL's unnest): for many rows that differ only in a number, such as the
    new rows of an import's preview, it costs a fraction of an executemany or a COPY.
    """
    if not values:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in same]
    postgres = connection.vendor == "postgresql"
    placeholders = []
    params: list = []
    for field, value in zip(fields, same.values(), strict=True):
        adapt = _adapter(field)
        params.append(adapt(value) if adapt else value)
        # PostgreSQL types the SELECT's parameters on their own: a JSON column's needs saying.
        placeholders.append("CAST(%s AS jsonb)" if postgres and isinstance(field, models.JSONField) else "%s")
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    target = connection.ops.quote_name(str(by_attname[column].column))
    source = "unnest(%s::integer[]) AS v(value)" if postgres else "json_each(%s)"
    with connection.cursor() as cursor:
        # Table and column names come from the model and are quoted; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {table} ({names}, {target}) SELECT {', '.join(placeholders)}, value FROM {source}",  # noqa: S608
            [*params, list(values) if postgres else orjson.dumps(values).decode()],
        )


def copy_rows(model: type[models.Model], attnames: list[str], rows: Iterable[list]) -> tuple[int, list[int]]:
    """PostgreSQL: insert `rows` (values in the order of `attnames`) in one COPY, reading them as
    the caller's generator makes them, so the server writes while Python builds the next rows.

    The ids come from the table's sequence. Returns how many rows went in, and [low, high]: every
    id given during the COPY lies strictly between them (others' too, if another session inserted
    meanwhile; the caller tells its rows apart).
    """
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    adapters = [(i, a) for i, a in ((i, _adapter(f)) for i, f in enumerate(fields)) if a]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        low = cursor.fetchone()[0]
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                for i, adapt in adapters:
                    row[i] = adapt(row[i])
                copy.write_row(row)
                count += 1
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        high = cursor.fetchone()[0]
    return count, [low, high]
