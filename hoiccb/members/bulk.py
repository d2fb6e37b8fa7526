"""Bulk insert of members: COPY on PostgreSQL, batched inserts on SQLite.

Used by the list import's commit and by the demo and benchmark loaders. A record is
the member's column values plus the codes of their service periods.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from hoiccb.lib.bulk import insert_rows
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
    attnames = [f.attname for f in Member._meta.concrete_fields if f.attname != "id"]
    # A raw insert skips save(): unit_path and every column without a database default are given here.
    event_attnames = [
        "member_id",
        "unit_path",
        "action",
        "at",
        "actor_id",
        "to_unit_id",
        "summary",
        "changes",
        "note",
        "batch_id",
    ]
    through = Member.theatres.through
    total = 0
    pending: list[MemberRecord] = []

    def flush():
        nonlocal total
        if not pending:
            return
        with transaction.atomic(), _fts_index_after_insert() as index:
            ids = insert_rows(Member, attnames, [[r.values.get(name) for name in attnames] for r in pending])
            index(ids)
        if full_records:
            now = timezone.now()
            actor_id = actor.pk if actor else None
            batch_id = import_batch.pk if import_batch else None
            insert_rows(
                MemberEvent,
                event_attnames,
                [
                    [
                        pk,
                        r.values["unit_path"],
                        EventKind.ADMITTED,
                        now,
                        actor_id,
                        r.values["unit_id"],
                        "",
                        {},
                        note,
                        batch_id,
                    ]
                    for pk, r in zip(ids, pending, strict=True)
                ],
            )
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
