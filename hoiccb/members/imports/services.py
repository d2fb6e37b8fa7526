"""Import a member list: upload → map columns → analyse (preview) → commit → undo.

The slow steps (analyse, commit, undo) run in the background worker (tasks.py)
and report progress through `progress`. Commit is one transaction: every row the
user confirmed goes in, or none does. Every created member's admission entry and
every update's history entry carries the import, which is how undo finds them.
"""

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.legacy_encodings import AUTO, Encoding, cell_encoding, column_mix
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.lib.sheets.reading import FileRejected, Sheet
from hoiccb.lib.sheets.store import read_upload_kept
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.members.imports import progress, tasks
from hoiccb.members.imports.analysis import Classifier
from hoiccb.members.imports.columns import (
    FIELD_BY_KEY,
    HEADING_ROWS,
    NAME_KEYS,
    Column,
    detect_columns,
    saved_columns,
)
from hoiccb.members.imports.decisions import rows_in_group
from hoiccb.members.imports.parsing import name_key, parse_row
from hoiccb.members.imports.records import IMPORTED_FIELDS, validation_errors
from hoiccb.members.imports.storage import RowValues, row_cells, save_upload
from hoiccb.members.models import (
    ColumnAlias,
    ImportRow,
    ImportState,
    MemberImport,
    RowDecision,
    RowStatus,
)
from hoiccb.org.matching import UnitMatcher
from hoiccb.org.models import Unit


def _check_importer(actor: User, unit: Unit | None = None) -> None:
    if not scoping.can(actor, "edit_members"):
        raise PermissionDenied("Bạn không có quyền nhập danh sách hội viên.")
    if unit is not None and not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")


def _learned_headings(actor: User) -> dict[str, str]:
    return dict(ColumnAlias.objects.filter(user=actor).values_list("heading", "field"))


MIX_SAMPLE_ROWS = 5000


def _detect_encodings(sheet: Sheet, data_start: int, columns: list[Column]) -> None:
    """Find each text column's majority encoding and its mix of encodings, with one example of each.

    Every cell is read by its own evidence at analysis; this is what the columns page shows
    ("TCVN3, 11 ô; Unicode, 1 ô"), counted over the first MIX_SAMPLE_ROWS rows.
    """
    body = sheet.rows[data_start : data_start + MIX_SAMPLE_ROWS]
    for column in columns:
        if not column.field or FIELD_BY_KEY[column.field].kind in ("date", "ignore"):
            continue
        column.encoding = AUTO
        refresh_mix(column, [row[column.index] for row in body if column.index < len(row)])


_SHORT_LABELS = {Encoding.UNICODE: "Unicode", Encoding.TCVN3: "TCVN3", Encoding.VNI: "VNI"}


def refresh_mix(column: Column, cells: list) -> None:
    """Set the column's majority and mix (for its current setting) from some of its cells."""
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    majority, mix = column_mix(texts, column.encoding)
    column.majority = majority.value
    examples: dict[Encoding, str] = {}
    for text in texts:
        encoding = cell_encoding(text, column.encoding, column.majority) or Encoding.UNICODE
        if encoding not in examples and (encoding != Encoding.UNICODE or not text.isascii()):
            examples[encoding] = text
        if len(examples) == len(mix):
            break
    column.mix = [
        {
            "encoding": encoding.value,
            "label": _SHORT_LABELS[encoding],
            "count": count,
            "sample": examples.get(encoding, "")[:80],
            "converted": cell_text(examples[encoding], column.encoding, column.majority)[:80]
            if encoding in examples
            else "",
        }
        for encoding, count in mix.most_common()
    ]
    example = next((t for t in texts if not t.isascii()), texts[0] if texts else "")
    column.sample = example[:80]
    column.converted = cell_text(example, column.encoding, column.majority)[:80] if example else ""


@transaction.atomic
def import_upload(*, actor: User, file_name: str, data: bytes, default_unit: Unit | None) -> MemberImport:
    """Check and store an uploaded list, find its headings and guess each column; raises FileRejected."""
    _check_importer(actor, default_unit)
    # The first rows come back to find the headings and the encodings; the whole sheet is kept as read.
    sheet, document = read_upload_kept(file_name, data, head_rows=HEADING_ROWS + 2 + MIX_SAMPLE_ROWS)
    try:
        header_row, data_start, columns = detect_columns(sheet, _learned_headings(actor))
    except ValueError:
        raise FileRejected(
            "Không tìm thấy dòng tiêu đề cột (như “Họ và tên”, “Năm sinh”) trong 30 dòng đầu. "
            "Hãy dùng tệp mẫu hoặc thêm dòng tiêu đề."
        ) from None
    _detect_encodings(sheet, data_start, columns)
    batch = MemberImport.objects.create(
        created_by=actor,
        file_name=Path(file_name).name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_size=len(data),
        default_unit=default_unit,
        sheet_name=sheet.name[:100],
        header_row=header_row,
        columns=[c.as_dict() for c in columns],
        counts={"data_start": data_start},
    )
    save_upload(batch, data, document)
    return batch


@transaction.atomic
def import_set_columns(
    *,
    actor: User,
    batch: MemberImport,
    fields: dict[int, str | None],
    encodings: dict[int, str],
    default_unit: Unit | None,
    remember: bool,
) -> MemberImport:
    """Save the user's column mapping (and remember it for their next files when asked)."""
    _check_importer(actor, default_unit)
    batch = MemberImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state not in (ImportState.UPLOADED, ImportState.READY, ImportState.FAILED):
        raise ValidationError("Lần nhập này không còn sửa cách ghép cột được.")
    chosen = [f for f in fields.values() if f and f != "stt"]
    doubled = {f for f in chosen if chosen.count(f) > 1}
    if doubled:
        labels = ", ".join(f"“{FIELD_BY_KEY[f].label}”" for f in sorted(doubled))
        raise ValidationError(f"Mỗi thông tin chỉ ghép với một cột; đang có nhiều cột cho {labels}.")
    if not any(f in NAME_KEYS for f in chosen):
        raise ValidationError("Chưa có cột nào là “Họ và tên” (hoặc “Tên”).")
    if "unit" not in chosen and default_unit is None:
        raise ValidationError("Tệp không có cột đơn vị: hãy chọn đơn vị nhận cho cả tệp.")
    columns = []
    for column in batch.columns:
        column = dict(column)
        column["field"] = fields.get(column["index"]) or None
        if column["index"] in encodings:
            setting = encodings[column["index"]]
            column["encoding"] = AUTO if setting == AUTO else Encoding(setting).value
        columns.append(column)
        if remember and column["label"]:
            heading = normalize_search(column["label"])[:200]
            ColumnAlias.objects.update_or_create(user=actor, heading=heading, defaults={"field": column["field"] or ""})
    batch.columns = columns
    batch.default_unit = default_unit
    batch.save(update_fields=["columns", "default_unit"])
    return batch


def start_job(*, actor: User, batch: MemberImport, job: str) -> MemberImport:
    """Move the import into a busy state and queue the background job (analyse, commit, undo)."""
    allowed = {
        "analyse": (ImportState.UPLOADED, ImportState.READY, ImportState.FAILED),
        "commit": (ImportState.READY,),
        "undo": (ImportState.COMMITTED,),
    }[job]
    busy = {"analyse": ImportState.ANALYSING, "commit": ImportState.COMMITTING, "undo": ImportState.UNDOING}[job]
    _check_importer(actor, batch.default_unit)
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=batch.pk)
        if locked.state not in allowed:
            raise ValidationError(f"Lần nhập đang ở trạng thái “{locked.get_state_display()}”, không thực hiện được.")
        if job == "commit" and not locked.rows.filter(decision__in=[RowDecision.CREATE, RowDecision.UPDATE]).exists():
            raise ValidationError("Không có dòng nào được chọn để nhập.")
        locked.state = busy
        locked.message = ""
        locked.save(update_fields=["state", "message"])
    progress.report(locked, 0, 0, "Đang chờ đến lượt xử lý…")
    task = {"analyse": tasks.analyse_import, "commit": tasks.commit_import, "undo": tasks.undo_import}[job]
    transaction.on_commit(lambda: task.enqueue(batch_id=locked.pk, actor_id=actor.pk))
    return locked


# --- Analysis -------------------------------------------------------------------


def row_decide(*, actor: User, row: ImportRow, decision: str) -> ImportRow:
    """Record what to do with one row; an error row can only be skipped until it is fixed."""
    _check_importer(actor)
    if row.batch.state != ImportState.READY:
        raise ValidationError("Lần nhập không còn ở bước xem trước.")
    allowed_by_status: dict[str, set[RowDecision]] = {
        RowStatus.NEW: {RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.MATCH: {RowDecision.UPDATE, RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.DUPLICATE: {RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.ERROR: {RowDecision.SKIP},
    }
    allowed = allowed_by_status[row.status]
    if decision not in allowed:
        raise ValidationError("Lựa chọn không hợp lệ cho dòng này.")
    row.decision = decision
    row.save(update_fields=["decision"])
    return row


BULK_DECISIONS: dict[str, set[str]] = {
    RowStatus.MATCH: {RowDecision.UPDATE, RowDecision.SKIP, RowDecision.CREATE},
    RowStatus.DUPLICATE: {RowDecision.SKIP, RowDecision.CREATE},
    RowStatus.NEW: {RowDecision.CREATE, RowDecision.SKIP},
}


@transaction.atomic
def rows_decide_all(*, actor: User, batch: MemberImport, status: str, decision: str, field: str | None = None) -> int:
    """Give every row of one kind the same decision ("update all matches", "skip all matches
    that differ in the hometown"); returns how many rows it applied to.

    field: only the matches whose file values differ from the registered record in that
    field ("" for the matches that change nothing); None for all rows of `status`.
    """
    _check_importer(actor)
    batch = MemberImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportState.READY:
        raise ValidationError("Lần nhập không còn ở bước xem trước.")
    if decision not in BULK_DECISIONS.get(status, set()):
        raise ValidationError("Lựa chọn không hợp lệ cho loại dòng này.")
    if field and field not in IMPORTED_FIELDS:
        raise ValidationError("Không có loại khác biệt này.")
    return rows_in_group(batch, status, field).update(decision=decision)


def row_fix(*, actor: User, row: ImportRow, cells: dict[int, str]) -> ImportRow:
    """Replace a row's cells with the user's corrections and read the row again."""
    _check_importer(actor)
    batch = row.batch
    if batch.state != ImportState.READY:
        raise ValidationError("Lần nhập không còn ở bước xem trước.")
    raw = list(row_cells(row))
    for index, text in cells.items():
        while len(raw) <= index:
            raw.append("")
        raw[index] = text
    # Corrections are typed in Unicode, whatever the file's columns were in.
    columns = [
        Column(c.index, c.label, c.field, "unicode" if c.index in cells else c.encoding, c.majority)
        for c in saved_columns(batch.columns)
    ]
    values, errors, conversions = parse_row(columns, raw, row.number)
    matcher = UnitMatcher(actor, batch.unit_choices or {})
    unit_text = values.pop("unit_text", "")
    unit = matcher.match(unit_text) if unit_text else batch.default_unit
    if unit_text and unit is None:
        errors.append(f"Dòng {row.number}: không tìm thấy đơn vị “{unit_text}” trong phạm vi của bạn.")
    if unit is not None and not errors:
        errors.extend(validation_errors(values, row.number))
    parsed: dict[str, Any] = {"number": row.number, "values": values, "unit": unit, "errors": errors, "notes": []}
    # Earlier rows of the file count for duplicates, as they did when the file was read.
    classifier = Classifier(actor, {unit.path} if unit else set())
    earlier = batch.rows.filter(number__lt=row.number).exclude(status=RowStatus.ERROR).order_by("number")
    kept = RowValues(batch)
    for number, stored in earlier.values_list("number", "values"):
        other_values = kept.get(number, stored)
        other_unit = matcher.by_id.get(other_values.get("unit_id"))
        if other_unit is not None:
            if other_values.get("cccd"):
                classifier.seen_cccd.setdefault(other_values["cccd"], number)
            person = (name_key(other_values), other_values.get("birth_date", ""), other_unit.pk)
            classifier.seen_person.setdefault(person, number)
    classifier.classify([parsed])
    row.raw = raw
    row.values = {**values, "unit_id": unit.pk if unit else None}
    row.errors, row.notes = parsed["errors"], parsed["notes"]
    row.conversions = conversions  # the corrected cells are Unicode; the others as the file had them
    old_status = row.status
    row.status, row.decision, row.member_id = parsed["status"], parsed["decision"], parsed.get("member_id")
    with transaction.atomic():
        # Read again under a lock: a commit may have begun (and written its counts) meanwhile.
        locked = MemberImport.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.READY:
            raise ValidationError("Lần nhập không còn ở bước xem trước.")
        row.save()
        locked.counts[old_status] = locked.counts.get(old_status, 1) - 1
        locked.counts[row.status] = locked.counts.get(row.status, 0) + 1
        locked.save(update_fields=["counts"])
    return row


def import_choose_units(*, actor: User, batch: MemberImport, choices: dict[str, Unit]) -> MemberImport:
    """Remember which unit each unmatched unit text in the file means, before analysing again."""
    for unit in choices.values():
        _check_importer(actor, unit)
    merged = dict(batch.unit_choices or {})
    merged.update({normalize_search(text): unit.pk for text, unit in choices.items()})
    batch.unit_choices = merged
    batch.save(update_fields=["unit_choices"])
    return batch


# --- Commit and undo ---------------------------------------------------------------
