"""Writing a previewed import into the registry, and taking it back.

Commit is one transaction: every row the user confirmed goes in, or none does. Every
created member carries the import (Member.imported_in, their admission: members/history.py)
and every update's history entry names it, which is how undo finds them.
"""

from collections.abc import Iterator

import orjson
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.audit import diff, snapshot
from hoiccb.lib.bulk import collector_paused
from hoiccb.lib.dates import PartialDate
from hoiccb.members.bulk import insert_made_rows
from hoiccb.members.history import admitted_member_ids
from hoiccb.members.imports import progress
from hoiccb.members.imports.analysis import existing_by
from hoiccb.members.imports.records import DATE_FIELDS, IMPORTED_FIELDS, member_row, stored_value
from hoiccb.members.imports.storage import RowValues
from hoiccb.members.models import (
    EventKind,
    ImportRow,
    ImportState,
    Member,
    MemberEvent,
    MemberImport,
    RowDecision,
    RowStatus,
    member_field,
)
from hoiccb.members.services import validate_record
from hoiccb.org.audit import record_many


class CommitRefused(Exception):
    """The import cannot go in as it stands; the message names the rows."""


@collector_paused()
def commit(batch: MemberImport, actor: User) -> MemberImport:
    """Write every confirmed row in one transaction; on any failure nothing is written.

    The new members are made row by row as they are written (a new row's values read from
    the side file one chunk at a time), so memory holds little more than the list of row numbers.
    """
    confirmed = batch.rows.exclude(status=RowStatus.ERROR)
    total = confirmed.filter(decision__in=[RowDecision.CREATE, RowDecision.UPDATE]).count()
    progress.report(batch, 0, total, "Đang ghi vào sổ hội viên…")
    units = {u.pk: u for u in scoping.units(actor).filter(kind__holds_members=True, status="active")}
    updates = list(confirmed.filter(decision=RowDecision.UPDATE).exclude(member=None))
    creates = (
        confirmed.filter(decision=RowDecision.CREATE)
        .order_by("number")
        .values_list("number", Cast("values", TextField()))
    )
    with transaction.atomic():
        # Read before writing: on PostgreSQL the new members stream in over this connection.
        wanted = list(creates)
        made = _new_member_rows(batch, units, wanted, timezone.now(), total)
        created, first_last = insert_made_rows(made, chunk=COMMIT_BATCH)
        _apply_updates(batch, updates, actor, units, done=created, total=total)
        _test_pause(batch)
        batch.state = ImportState.COMMITTED
        batch.committed_at = timezone.now()
        batch.committed_by = actor
        batch.counts = {**batch.counts, "created": created, "updated": len(updates)}
        if first_last:
            batch.counts["created_ids"] = first_last  # history.admitted_member_ids
        batch.save(update_fields=["state", "committed_at", "committed_by", "counts"])
    return batch


COMMIT_BATCH = 5000


def _test_pause(batch: MemberImport) -> None:
    """Test hook (settings.IMPORT_COMMIT_TEST_PAUSE_SECONDS, never set in production).

    Pause with every row written but the transaction open, so a test can kill the worker
    mid-commit; the cache tells it the pause has begun.
    """
    from django.conf import settings

    pause = getattr(settings, "IMPORT_COMMIT_TEST_PAUSE_SECONDS", 0)
    if pause:
        import time

        from django.core.cache import cache

        cache.set(f"import-commit-paused:{batch.pk}", True, 600)
        time.sleep(pause)


def _new_member_rows(batch, units: dict, wanted: list[tuple[int, str]], now, total: int) -> Iterator[list]:
    """Check each confirmed new row (its values still readable, its unit in scope) and make its
    member row; (row number, values as stored) in row order, a new row's values kept beside."""
    kept = RowValues(batch)
    for done, (number, stored) in enumerate(wanted, 1):
        # The values as stored text, decoded by orjson: Django's JSONField decoder is ten times slower.
        values = kept.get(number, orjson.loads(stored) if stored != "{}" else {})
        if not values:
            raise CommitRefused(
                f"Dòng {number}: không còn đọc được dữ liệu đã xem trước (tệp lưu kèm lần nhập không còn). "
                "Hãy tải tệp lên lại."
            )
        unit = units.get(values.get("unit_id"))
        if unit is None:
            raise CommitRefused(f"Dòng {number}: đơn vị nhận không còn trong phạm vi của bạn hoặc đã ngừng.")
        yield member_row(values, unit, now, imported_in=batch.pk)
        if done % COMMIT_BATCH == 0:
            progress.report(batch, done, total, "Đang ghi vào sổ hội viên…")


def explain_conflict(batch: MemberImport) -> str:
    """After a unique-constraint failure: name the first row whose CCCD or card number is taken."""
    creates = batch.rows.filter(decision=RowDecision.CREATE).exclude(status=RowStatus.ERROR)
    kept = RowValues(batch)
    rows = [
        (number, kept.get(number, values))
        for number, values in creates.order_by("number").values_list("number", "values")
    ]
    for field, label in (("cccd", "Số CCCD"), ("card_number", "Số thẻ hội viên")):
        wanted = {values[field]: number for number, values in rows if values.get(field)}
        taken = existing_by(field, set(wanted))
        if taken:
            value = min(taken, key=lambda v: wanted[v])
            return (
                f"Dòng {wanted[value]}: {label} {value} vừa được ghi cho một hội viên khác; "
                "không có gì được ghi. Hãy đọc lại tệp để đối chiếu."
            )
    return "Dữ liệu trùng với hồ sơ vừa được ghi bởi người khác; không có gì được ghi. Hãy đọc lại tệp."


def _apply_updates(batch, rows: list[ImportRow], actor: User, units, *, done: int, total: int) -> None:
    """Apply the file's non-empty values to matched members, keeping what they replaced for undo."""
    members = Member.objects.select_for_update().in_bulk([r.member_id for r in rows])
    events = []
    for i, row in enumerate(rows):
        member = members.get(row.member_id)
        if member is None or not scoping.unit_in_scope(actor, member.unit):
            raise CommitRefused(f"Dòng {row.number}: hội viên cần cập nhật không còn trong phạm vi của bạn.")
        changed = [
            key
            for key in IMPORTED_FIELDS
            if row.values.get(key) not in (None, "") and stored_value(member, key) != row.values[key]
        ]
        if not changed:
            continue
        before_shown = snapshot(member, changed)
        row.before = {key: stored_value(member, key) for key in changed}
        for key in changed:
            value = row.values[key]
            setattr(member, key, PartialDate.from_storage(value) if key in DATE_FIELDS else value)
        member.version += 1
        member.refresh_derived()
        try:
            validate_record(member)
        except ValidationError as exc:
            raise CommitRefused(f"Dòng {row.number}: {'; '.join(exc.messages)}") from None
        member.save()
        events.append(
            MemberEvent(
                member=member,
                unit_path=member.unit_path,
                action=EventKind.UPDATED,
                actor=actor,
                batch=batch,
                changes=diff(before_shown, snapshot(member, changed), Member),
                note=f"Cập nhật từ tệp “{batch.file_name}” (lần nhập #{batch.pk}).",
            )
        )
        if i % 500 == 0:
            progress.report(batch, done + i, total, "Đang cập nhật hội viên đã có…")
    record_many(MemberEvent, events)
    ImportRow.objects.bulk_update([r for r in rows if r.before], ["before"], batch_size=1000)


@collector_paused()
def undo(batch: MemberImport, actor: User) -> MemberImport:
    """Take a committed import back: remove the members it created, restore those it updated."""
    created_ids = admitted_member_ids(batch)
    updated_rows = list(batch.rows.filter(before__isnull=False).exclude(member=None))
    touched = set(created_ids) | {r.member_id for r in updated_rows if r.member_id is not None}
    later = (
        MemberEvent.objects.filter(member_id__in=touched, at__gt=batch.committed_at)
        .exclude(batch=batch)
        .select_related("member")
        .first()
        if len(touched) < 30_000
        else _later_event_in_chunks(batch, touched)
    )
    if later is not None:
        raise CommitRefused(
            f"Hội viên “{later.member}” đã có thay đổi sau lần nhập này ({later.get_action_display().lower()}), "
            "nên không hoàn tác cả lần nhập được. Hãy sửa từng hồ sơ."
        )
    total = len(touched)
    progress.report(batch, 0, total, "Đang hoàn tác…")
    with transaction.atomic():
        try:
            for start in range(0, len(created_ids), 2000):
                Member.objects.filter(pk__in=created_ids[start : start + 2000]).delete()
                progress.report(batch, start, total, "Đang xoá hội viên đã thêm…")
        except ProtectedError:
            raise CommitRefused(
                "Có hội viên do lần nhập này thêm đã được giao chức vụ hoặc gắn với dữ liệu khác; không hoàn tác được."
            ) from None
        members = Member.objects.select_for_update().in_bulk([r.member_id for r in updated_rows])
        events = []
        for row in updated_rows:
            member = members[row.member_id]
            before = row.before or {}  # never None: rows were read with before__isnull=False
            before_shown = snapshot(member, before.keys())
            for key, value in before.items():
                if key in DATE_FIELDS:
                    value = PartialDate.from_storage(value) if value else None
                setattr(member, key, value if value not in ("", None) else _blank(key))
            member.version += 1
            member.refresh_derived()
            member.save()
            events.append(
                MemberEvent(
                    member=member,
                    unit_path=member.unit_path,
                    action=EventKind.UPDATED,
                    actor=actor,
                    changes=diff(before_shown, snapshot(member, before.keys()), Member),
                    note=f"Hoàn tác lần nhập #{batch.pk} (“{batch.file_name}”).",
                )
            )
        record_many(MemberEvent, events)
        batch.state = ImportState.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = actor
        batch.save(update_fields=["state", "undone_at", "undone_by"])
    return batch


def _blank(key: str):
    """Return the empty value of a member field (None where the column allows NULL)."""
    field = member_field(key)
    if key in DATE_FIELDS or field.null:
        return None
    return field.get_default()


def _later_event_in_chunks(batch, touched):
    ids = sorted(touched)
    for start in range(0, len(ids), 10_000):
        event = (
            MemberEvent.objects.filter(member_id__in=ids[start : start + 10_000], at__gt=batch.committed_at)
            .exclude(batch=batch)
            .select_related("member")
            .first()
        )
        if event:
            return event
    return None
