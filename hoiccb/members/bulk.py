"""Bulk insert of members: COPY on PostgreSQL, batched inserts on SQLite.

Used by the list import's commit and by the demo and benchmark loaders. A record is
the member's column values plus the codes of their service periods.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain

from django.db import connection, transaction
from django.utils import timezone

from hoiccb.lib.bulk import copy_rows, insert_rows
from hoiccb.members.models import EventKind, Member, MemberEvent, Theatre
from hoiccb.members.search_sql import SQLITE_FTS_INSERT_TRIGGER


@dataclass
class MemberRecord:
    values: dict
    theatres: list[str]


@contextmanager
def _fts_index_after_insert():
    """On SQLite, index a batch in the trigram search table in one statement after inserting it.

    The row-by-row insert trigger (migration 0005) costs three times the insert itself on a
    bulk load; inside this transaction it is dropped, the new ids are indexed in one
    INSERT … SELECT, and the trigger is put back, so no other writer ever sees it missing.
    """
    if connection.vendor != "sqlite":
        yield lambda ids: None
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS members_member_fts_insert")

        def index(ids):
            if ids:
                cursor.execute(
                    "INSERT INTO members_member_fts(rowid, search_text) "
                    "SELECT id, search_text FROM members_member WHERE id BETWEEN %s AND %s",
                    [ids[0], ids[-1]],
                )

        yield index
        cursor.execute(SQLITE_FTS_INSERT_TRIGGER)


def _admission_events(ids: list[int], actor, import_batch, note: str) -> None:
    """Write each new member's admission entry in one INSERT … SELECT over their rows.

    The entries copy the member's unit and path from the rows just inserted, so no
    Python row is built per member (the ids of a batch are consecutive on SQLite).
    """
    if not ids:
        return
    event = MemberEvent._meta
    fields = ("member", "unit_path", "action", "at", "actor", "to_unit", "summary", "changes", "note", "batch")
    names = ", ".join(connection.ops.quote_name(str(event.get_field(name).column)) for name in fields)  # type: ignore[union-attr]
    now = timezone.now()
    at = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    empty_json = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    id_params: list
    if connection.vendor == "postgresql":
        where, id_params = "id = ANY(%s)", [ids]
    else:
        where, id_params = "id BETWEEN %s AND %s", [ids[0], ids[-1]]
    with connection.cursor() as cursor:
        # Table and column names come from the models and are quoted; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(event.db_table)} ({names}) "  # noqa: S608
            f"SELECT id, unit_path, %s, %s, %s, unit_id, '', {empty_json}, %s, %s "
            f"FROM {connection.ops.quote_name(Member._meta.db_table)} WHERE {where}",
            [
                EventKind.ADMITTED,
                at,
                actor.pk if actor else None,
                note,
                import_batch.pk if import_batch else None,
                *id_params,
            ],
        )


# Every member column but the id, in the order insert_member_rows takes a row's values.
MEMBER_COLUMNS = [f.attname for f in Member._meta.concrete_fields if f.attname != "id"]


def insert_member_rows(
    rows: list[list], *, admit: bool = True, actor=None, import_batch=None, note: str = ""
) -> list[int]:
    """Insert members given as rows of MEMBER_COLUMNS values in one batch; returns their ids.

    With admit, each also gets an admission entry in their history (see bulk_insert_members).
    """
    with transaction.atomic(), _fts_index_after_insert() as index:
        ids = insert_rows(Member, MEMBER_COLUMNS, rows)
        index(ids)
    if admit:
        _admission_events(ids, actor, import_batch, note)
    return ids


def insert_made_rows(rows: Iterator[list], *, chunk: int = 5000) -> tuple[int, list[int]]:
    """Insert member rows (MEMBER_COLUMNS values) as they are made, with no admission entry.

    Returns how many went in and [low, high], an id range holding every new member's id.
    PostgreSQL: one COPY reads the rows while they are made (lib.bulk.copy_rows). SQLite:
    batches of `chunk` rows, indexed for search after each.
    """
    if connection.vendor == "postgresql":
        return copy_rows(Member, MEMBER_COLUMNS, rows)
    count = 0
    first_last: list[int] = []
    batch: list[list] = []
    for row in chain(rows, [None]):
        if row is not None:
            batch.append(row)
            if len(batch) < chunk:
                continue
        if batch:
            ids = insert_member_rows(batch, admit=False)  # consecutive ids, rising from chunk to chunk
            count += len(ids)
            first_last = [first_last[0] if first_last else ids[0], ids[-1]]
            batch = []
    return count, first_last


def bulk_insert_members(
    records: Iterable[MemberRecord],
    *,
    full_records: bool = True,
    batch: int = 20_000,
    actor=None,
    import_batch=None,
    note: str = "Dữ liệu ban đầu.",
    on_progress=None,
) -> int:
    """Insert member records in batches (COPY on PostgreSQL); returns how many went in.

    With full_records, each member also gets their service periods and an admission
    entry in their history (by `actor`, tied to `import_batch` when an import wrote
    it), as if a clerk had registered them; benchmarks skip both. `on_progress(n)`
    is called after each batch with the running total.
    """
    theatre_ids = dict(Theatre.objects.values_list("code", "pk"))
    through = Member.theatres.through
    total = 0
    pending: list[MemberRecord] = []

    def flush():
        nonlocal total
        if not pending:
            return
        rows = [list(map(r.values.get, MEMBER_COLUMNS)) for r in pending]
        ids = insert_member_rows(rows, admit=full_records, actor=actor, import_batch=import_batch, note=note)
        if full_records:
            through.objects.bulk_create(
                [
                    through(member_id=pk, theatre_id=theatre_ids[code])
                    for pk, r in zip(ids, pending, strict=True)
                    for code in r.theatres
                ],
                batch_size=5000,
            )
        total += len(pending)
        pending.clear()
        if on_progress:
            on_progress(total)

    for record in records:
        pending.append(record)
        if len(pending) >= batch:
            flush()
    flush()
    return total
