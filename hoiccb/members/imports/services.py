"""Import a member list: upload → map columns → analyse (preview) → commit → undo.

The slow steps (analyse, commit, undo) run in the background worker (tasks.py)
and report progress through `progress`. Commit is one transaction: every row the
user confirmed goes in, or none does. Every created member's admission entry and
every update's history entry carries the import, which is how undo finds them.
"""

import difflib
import hashlib
import pickle
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.audit import diff, snapshot
from hoiccb.lib.bulk import insert_rows
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.legacy_encodings import Encoding, detect_encoding
from hoiccb.lib.vietnamese import name_sort_key, normalize_search
from hoiccb.members.generate import GeneratedMember, bulk_insert_members
from hoiccb.members.imports import progress
from hoiccb.members.imports.columns import FIELD_BY_KEY, NAME_KEYS, Column, detect_columns
from hoiccb.members.imports.parsing import name_key, parse_row
from hoiccb.members.imports.reading import FileRejected, Sheet, read_upload
from hoiccb.members.models import (
    ColumnAlias,
    EventKind,
    ImportRow,
    ImportState,
    Member,
    MemberEvent,
    MemberImport,
    MemberStatus,
    RowDecision,
    RowStatus,
    build_search_text,
)
from hoiccb.members.services import validate_record
from hoiccb.org.models import Unit
from hoiccb.org.paths import subtree_filter

# Fields an import may set on a member (unit and status are not among them: an
# import never moves or ends a registered member).
IMPORTED_FIELDS = (
    "ho",
    "chu_dem",
    "ten",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "phone",
    "cccd",
    "card_number",
    "kind",
    "joined_on",
    "enlisted_on",
    "discharged_on",
    "rank",
    "served_unit",
    "party_member",
    "party_joined_on",
    "war_invalid_rate",
    "education",
    "occupation",
    "notes",
)
DATE_FIELDS = {"birth_date", "joined_on", "enlisted_on", "discharged_on", "party_joined_on"}
ANALYSE_BATCH = 5000


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "private" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_file(batch: MemberImport) -> Path:
    extension = batch.file_name.rsplit(".", 1)[-1].lower()
    return storage_dir() / f"{batch.pk}-{batch.file_sha256[:16]}.{extension}"


def _check_importer(actor: User, unit: Unit | None = None) -> None:
    if not scoping.can(actor, "edit_members"):
        raise PermissionDenied("Bạn không có quyền nhập danh sách hội viên.")
    if unit is not None and not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")


def _learned_headings(actor: User) -> dict[str, str]:
    return dict(ColumnAlias.objects.filter(user=actor).values_list("heading", "field"))


def _cells_file(batch: MemberImport) -> Path:
    return stored_file(batch).with_suffix(".cells")


def _read(batch: MemberImport) -> Sheet:
    """Return the sheet as read at upload (kept beside the file), or read the file again."""
    try:
        with _cells_file(batch).open("rb") as cells:
            # Written by import_upload from our own reading of the file, never user bytes.
            return pickle.load(cells)  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError):
        return read_upload(batch.file_name, stored_file(batch).read_bytes())


def _detect_encodings(sheet: Sheet, data_start: int, columns: list[Column]) -> None:
    """Set each text column's encoding from its cells, with one converted example to show."""
    from hoiccb.members.imports.parsing import cell_text

    body = sheet.rows[data_start : data_start + 2000]
    for column in columns:
        if not column.field or FIELD_BY_KEY[column.field].kind in ("date", "ignore"):
            continue
        cells = [row[column.index] for row in body if column.index < len(row) and isinstance(row[column.index], str)]
        column.encoding = detect_encoding(cells).value
        example = next((c for c in cells if c.strip()), "")
        column.sample = example[:80]
        column.converted = cell_text(example, column.encoding)[:80] if example else ""


@transaction.atomic
def import_upload(*, actor: User, file_name: str, data: bytes, default_unit: Unit | None) -> MemberImport:
    """Check and store an uploaded list, find its headings and guess each column; raises FileRejected."""
    _check_importer(actor, default_unit)
    sheet = read_upload(file_name, data)
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
    stored_file(batch).write_bytes(data)
    with _cells_file(batch).open("wb") as cells:
        pickle.dump(sheet, cells, protocol=pickle.HIGHEST_PROTOCOL)
    return batch


def columns_of(batch: MemberImport) -> list[Column]:
    return [
        Column(index=c["index"], label=c["label"], field=c["field"], encoding=c.get("encoding", "unicode"))
        for c in batch.columns
    ]


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
            column["encoding"] = Encoding(encodings[column["index"]]).value
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
    from hoiccb.members.imports import tasks

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


class UnitMatcher:
    """Match the unit names and codes written in a file to units in the user's subtree."""

    def __init__(self, actor: User, choices: dict[str, int]):
        units = list(scoping.units(actor).filter(kind__holds_members=True, status="active").select_related("kind"))
        self.by_id = {u.pk: u for u in units}
        self.by_key: dict[str, Unit] = {}
        ambiguous: set[str] = set()
        for unit in units:
            for key in self._keys(unit):
                if key in self.by_key and self.by_key[key].pk != unit.pk:
                    ambiguous.add(key)
                self.by_key.setdefault(key, unit)
        for key in ambiguous:
            self.by_key.pop(key, None)
        self.choices = {k: self.by_id[v] for k, v in choices.items() if v in self.by_id}
        self.names = {normalize_search(u.name): u for u in units}

    @staticmethod
    def _keys(unit: Unit) -> set[str]:
        name = normalize_search(unit.name)
        keys = {unit.code.lower(), name}
        for prefix in ("hoi ccb ", "hoi cuu chien binh ", "chi hoi ccb ", "chi hoi "):
            if name.startswith(prefix):
                keys.add(name.removeprefix(prefix))
        return keys

    def match(self, text: str) -> Unit | None:
        key = normalize_search(text)
        return self.choices.get(key) or self.by_key.get(key) or self.by_key.get(text.strip().lower())

    def suggestions(self, text: str) -> list[Unit]:
        close = difflib.get_close_matches(normalize_search(text), list(self.names), n=3, cutoff=0.6)
        return [self.names[c] for c in close]


def _common_path(paths: set[str]) -> str:
    """Return the deepest unit path that every path in `paths` lies under (whole 4-char steps)."""
    if not paths:
        return ""
    prefix = min(paths)
    other = max(paths)
    length = 0
    while length < min(len(prefix), len(other)) and prefix[length] == other[length]:
        length += 1
    return prefix[: length - length % 4]


_partial_date = lru_cache(maxsize=65_536)(PartialDate.from_storage)  # PartialDate is immutable


def _record_view(values: dict) -> SimpleNamespace:
    """Return the row as validate_record reads a member (dates as PartialDate), without a model instance."""
    view = SimpleNamespace(**dict.fromkeys(DATE_FIELDS | {"died_on"}), war_invalid_rate=None, party_member=False)
    for key in DATE_FIELDS:
        if values.get(key):
            setattr(view, key, _partial_date(values[key]))
    view.war_invalid_rate = values.get("war_invalid_rate") or None
    view.party_member = bool(values.get("party_member"))
    return view


def _validation_errors(values: dict, number: int) -> list[str]:
    try:
        validate_record(_record_view(values))
    except ValidationError as exc:
        return [
            f"Dòng {number}, {Member._meta.get_field(field).verbose_name}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def analyse(batch: MemberImport, actor: User) -> MemberImport:
    """Read the stored file with the saved mapping and classify every row (new, match, duplicate, error).

    Rows are parsed, classified and stored chunk by chunk, so only the sheet itself is
    held in memory, whatever the length of the list.
    """
    sheet = _read(batch)
    columns = columns_of(batch)
    data_start = batch.counts.get("data_start", (batch.header_row or 0) + 1)
    body = sheet.rows[data_start:]
    del sheet
    total = len(body)
    untyped = batch.file_name.lower().endswith(".csv")  # CSV cells are all text
    progress.report(batch, 0, total, "Đang đọc từng dòng…")
    matcher = UnitMatcher(actor, batch.unit_choices or {})
    default_unit = batch.default_unit if batch.default_unit and batch.default_unit.pk in matcher.by_id else None
    classifier = Classifier(actor, _target_paths(body, columns, matcher, default_unit))
    unresolved: dict[str, dict] = {}
    counts: dict[str, int] = defaultdict(int)
    chunk: list[dict] = []
    # Each chunk is stored in a transaction of its own: on SQLite a long one would hold the
    # write lock against every clerk for the whole reading. A failed reading is started over.
    batch.rows.all().delete()
    for offset, cells in enumerate(body):
        if not any(c != "" and str(c).strip() for c in cells):
            continue  # blank line
        number = data_start + offset + 1
        footer = footer_kind(cells)
        if footer == "signature":
            break  # "Người lập biểu", "T/M Ban Chấp hành"…: the names below are signatures
        if footer == "total":
            continue
        chunk.append(_parse(cells, number, columns, matcher, default_unit, unresolved, untyped))
        if len(chunk) == ANALYSE_BATCH:
            _store(batch, classifier.classify(chunk), counts)
            chunk = []
            progress.report(batch, offset, total, "Đang đọc và đối chiếu từng dòng…")
    _store(batch, classifier.classify(chunk), counts)
    batch.counts = {"data_start": data_start, "unresolved_units": list(unresolved.values()), **counts}
    batch.state = ImportState.READY
    batch.save(update_fields=["counts", "state"])
    return batch


def _parse(cells, number, columns, matcher, default_unit, unresolved, untyped) -> dict:
    """Parse one row and resolve its unit; returns the row as the classifier and _store take it."""
    values, errors, conversions = parse_row(columns, cells, number, untyped=untyped)
    unit = None
    unit_text = values.pop("unit_text", "")
    if unit_text:
        unit = matcher.match(unit_text)
        if unit is None:
            entry = unresolved.setdefault(normalize_search(unit_text), {"text": unit_text, "rows": 0})
            entry["rows"] += 1
            hint = " hoặc ".join(f"“{u.name}”" for u in matcher.suggestions(unit_text))
            errors.append(
                f"Dòng {number}: không tìm thấy đơn vị “{unit_text}” trong phạm vi của bạn"
                + (f"; có phải {hint}?" if hint else ".")
            )
    elif default_unit is not None:
        unit = default_unit
    elif not errors:
        errors.append(f"Dòng {number}: chưa có đơn vị — ghi cột đơn vị hoặc chọn đơn vị nhận cho cả tệp.")
    if unit is not None and not errors:
        errors.extend(_validation_errors(values, number))
    return {
        "number": number,
        "raw": cells,
        "values": values,
        "unit": unit,
        "errors": errors,
        "notes": [],
        "conversions": conversions,
    }


def _target_paths(body, columns, matcher: "UnitMatcher", default_unit: Unit | None) -> set[str]:
    """Return the paths of the units the file's rows go to (from the unit column alone, cheaply)."""
    paths = {default_unit.path} if default_unit else set()
    unit_column = next((c for c in columns if c.field == "unit"), None)
    if unit_column is not None:
        from hoiccb.members.imports.parsing import cell_text

        texts = {row[unit_column.index] for row in body if unit_column.index < len(row)}
        for text in texts:
            unit = matcher.match(cell_text(text, unit_column.encoding)) if text != "" else None
            if unit is not None:
                paths.add(unit.path)
    return paths


_ROW_COLUMNS = ["batch_id", "number", "raw", "values", "errors", "notes", "conversions", "status", "decision"]


def _store(batch: MemberImport, chunk: list[dict], counts: dict) -> None:
    rows = []
    for p in chunk:
        counts[p["status"]] += 1
        values = {**p["values"], "unit_id": p["unit"].pk if p["unit"] else None}
        rows.append(
            [batch.pk, p["number"], [c if type(c) is str else _jsonable(c) for c in p["raw"]], values]
            + [p["errors"], p["notes"]]
            + [p["conversions"], p["status"], p["decision"], p.get("member_id")]
        )
    with transaction.atomic():
        insert_rows(ImportRow, [*_ROW_COLUMNS, "member_id"], rows)


_SIGNATURE = re.compile(r"^(nguoi lap|xac nhan|chu tich|ky ten|ky, ghi ro|t/m |tm |thu truong|.*ngay .+ thang .+ nam)")
_TOTAL = re.compile(r"^(tong cong|tong so|cong:|cong |tong:)")


def footer_kind(cells: list) -> str | None:
    """Return "signature" or "total" for the lines under a list, None for a data row.

    Only short lines count (at most two filled cells), so a member named "Chủ Tịch…"
    in a full row is never mistaken for a footer.
    """
    filled = [c for c in cells if c != "" and str(c).strip()]
    if not filled or len(filled) > 2:
        return None
    text = " ".join(normalize_search(str(c)) for c in filled)
    if _SIGNATURE.match(text):
        return "signature"
    if _TOTAL.match(text):
        return "total"
    return None


def _jsonable(cell):
    if hasattr(cell, "isoformat"):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


class Classifier:
    """Give parsed rows their status and default decision, chunk after chunk of one file.

    Same CCCD or card number: certainly the same person, wherever registered (a match
    outside the user's subtree is an error that names nobody). Same accent-free name
    and birth year in the same unit or hometown, under the deepest unit holding all
    the file's target units: probably the same person. A row repeating an earlier
    one (same CCCD, or same name, birth date and unit) is a duplicate.
    """

    def __init__(self, actor: User, target_paths: set[str]):
        self.scope = scoping.member_path_prefix(actor)
        self.by_name: dict[tuple[str, int], list[dict]] = defaultdict(list)
        self.seen_cccd: dict[str, int] = {}
        self.seen_person: dict[tuple, int] = {}
        if not target_paths:
            return
        candidates = scoping.members(actor)
        root = _common_path(target_paths)
        if root:
            candidates = candidates.filter(**subtree_filter("unit_path", root))
        fields = ("id", "ho", "chu_dem", "ten", "birth_year", "unit_id", "hometown")
        for m in candidates.exclude(birth_year=None).values(*fields).iterator(chunk_size=5000):
            key = normalize_search(" ".join(x for x in (m["ho"], m["chu_dem"], m["ten"]) if x))
            self.by_name[(key, m["birth_year"])].append(m)

    def classify(self, chunk: list[dict]) -> list[dict]:
        clean = [p for p in chunk if not p["errors"]]
        by_cccd = _existing_by("cccd", {p["values"]["cccd"] for p in clean if p["values"].get("cccd")})
        by_card = _existing_by(
            "card_number", {p["values"]["card_number"] for p in clean if p["values"].get("card_number")}
        )
        for p in chunk:
            self._classify_row(p, by_cccd, by_card)
        self._check_merged_records([p for p in chunk if p["status"] == RowStatus.MATCH])
        return chunk

    def _classify_row(self, p: dict, by_cccd: dict, by_card: dict) -> None:
        values = p["values"]
        if p["errors"]:
            p["status"], p["decision"] = RowStatus.ERROR, RowDecision.SKIP
            return
        person = (name_key(values), values.get("birth_date", ""), p["unit"].pk)
        first = self.seen_cccd.get(values.get("cccd") or "") or self.seen_person.get(person)
        if first:
            p["status"], p["decision"] = RowStatus.DUPLICATE, RowDecision.SKIP
            p["notes"].append(f"Trùng với dòng {first} trong tệp.")
            return
        if values.get("cccd"):
            self.seen_cccd[values["cccd"]] = p["number"]
        self.seen_person[person] = p["number"]
        match = by_cccd.get(values.get("cccd") or "") or by_card.get(values.get("card_number") or "")
        if match is None and values.get("birth_date"):
            hometown = normalize_search(values.get("hometown", ""))
            for m in self.by_name.get((person[0], int(values["birth_date"][:4])), []):
                if m["unit_id"] == p["unit"].pk or (hometown and normalize_search(m["hometown"]) == hometown):
                    match = m
                    break
        if match is None:
            p["status"], p["decision"] = RowStatus.NEW, RowDecision.CREATE
        elif "unit_path" in match and not (self.scope and match["unit_path"].startswith(self.scope)):
            p["status"], p["decision"] = RowStatus.ERROR, RowDecision.SKIP
            p["errors"].append(
                f"Dòng {p['number']}: số CCCD hoặc số thẻ đã có trong sổ ở một đơn vị ngoài phạm vi của bạn."
            )
        else:
            p["status"], p["decision"], p["member_id"] = RowStatus.MATCH, RowDecision.UPDATE, match["id"]

    @staticmethod
    def _check_merged_records(matches: list[dict]) -> None:
        """A match whose file values would make the registered record inconsistent cannot be an update."""
        if not matches:
            return
        members = Member.objects.only(*DATE_FIELDS, "died_on", "war_invalid_rate", "party_member").in_bulk(
            [p["member_id"] for p in matches]
        )
        for p in matches:
            member = members[p["member_id"]]
            merged = {key: _stored(member, key) for key in (*DATE_FIELDS, "war_invalid_rate", "party_member")}
            merged.update({k: v for k, v in p["values"].items() if k in merged and v not in (None, "")})
            problems = _validation_errors(merged, p["number"])
            if problems:
                p["status"], p["decision"] = RowStatus.ERROR, RowDecision.SKIP
                p["errors"].extend(
                    f"{message} (khi gộp với hồ sơ đã có của “{member.full_name}”)" for message in problems
                )


def _existing_by(field: str, wanted: set[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    wanted_list = sorted(wanted)
    for start in range(0, len(wanted_list), 2000):
        chunk = wanted_list[start : start + 2000]
        for m in Member.objects.filter(**{f"{field}__in": chunk}).values("id", field, "unit_path"):
            found[m[field]] = m
    return found


# --- Row decisions and fixes --------------------------------------------------------


def row_decide(*, actor: User, row: ImportRow, decision: str) -> ImportRow:
    """Record what to do with one row; an error row can only be skipped until it is fixed."""
    _check_importer(actor)
    if row.batch.state != ImportState.READY:
        raise ValidationError("Lần nhập không còn ở bước xem trước.")
    allowed = {
        RowStatus.NEW: {RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.MATCH: {RowDecision.UPDATE, RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.DUPLICATE: {RowDecision.CREATE, RowDecision.SKIP},
        RowStatus.ERROR: {RowDecision.SKIP},
    }[row.status]
    if decision not in allowed:
        raise ValidationError("Lựa chọn không hợp lệ cho dòng này.")
    row.decision = decision
    row.save(update_fields=["decision"])
    return row


def row_fix(*, actor: User, row: ImportRow, cells: dict[int, str]) -> ImportRow:
    """Replace a row's cells with the user's corrections and read the row again."""
    _check_importer(actor)
    batch = row.batch
    if batch.state != ImportState.READY:
        raise ValidationError("Lần nhập không còn ở bước xem trước.")
    raw = list(row.raw)
    for index, text in cells.items():
        while len(raw) <= index:
            raw.append("")
        raw[index] = text
    # Corrections are typed in Unicode, whatever the file's columns were in.
    columns = [
        Column(c.index, c.label, c.field, "unicode" if c.index in cells else c.encoding) for c in columns_of(batch)
    ]
    values, errors, conversions = parse_row(columns, raw, row.number)
    matcher = UnitMatcher(actor, batch.unit_choices or {})
    unit_text = values.pop("unit_text", "")
    unit = matcher.match(unit_text) if unit_text else batch.default_unit
    if unit_text and unit is None:
        errors.append(f"Dòng {row.number}: không tìm thấy đơn vị “{unit_text}” trong phạm vi của bạn.")
    if unit is not None and not errors:
        errors.extend(_validation_errors(values, row.number))
    parsed = {"number": row.number, "values": values, "unit": unit, "errors": errors, "notes": []}
    # Earlier rows of the file count for duplicates, as they did when the file was read.
    classifier = Classifier(actor, {unit.path} if unit else set())
    earlier = batch.rows.filter(number__lt=row.number).exclude(status=RowStatus.ERROR)
    for other in earlier.values_list("number", "values"):
        number, other_values = other
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
        row.save()
        counts = dict(batch.counts)
        counts[old_status] = counts.get(old_status, 1) - 1
        counts[row.status] = counts.get(row.status, 0) + 1
        batch.counts = counts
        batch.save(update_fields=["counts"])
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


class CommitRefused(Exception):
    """The import cannot go in as it stands; the message names the rows."""


def commit(batch: MemberImport, actor: User) -> MemberImport:
    """Write every confirmed row in one transaction; on any failure nothing is written.

    Rows stream from the preview table in chunks, so memory stays flat for any size.
    """
    confirmed = batch.rows.exclude(status=RowStatus.ERROR)
    total = confirmed.filter(decision__in=[RowDecision.CREATE, RowDecision.UPDATE]).count()
    progress.report(batch, 0, total, "Đang ghi vào sổ hội viên…")
    units = {u.pk: u for u in scoping.units(actor).filter(kind__holds_members=True, status="active")}
    updates = list(confirmed.filter(decision=RowDecision.UPDATE).exclude(member=None))
    creates = confirmed.filter(decision=RowDecision.CREATE).order_by("number").values_list("number", "values")
    now = timezone.now()
    created = 0
    with transaction.atomic():
        chunk: list[tuple[int, dict]] = []
        for number, values in creates.iterator(chunk_size=COMMIT_BATCH):
            chunk.append((number, values))
            if len(chunk) == COMMIT_BATCH:
                created += _create_chunk(batch, actor, units, chunk, now)
                chunk = []
                progress.report(batch, created, total, "Đang ghi vào sổ hội viên…")
        created += _create_chunk(batch, actor, units, chunk, now)
        _apply_updates(batch, updates, actor, units, done=created, total=total)
        batch.state = ImportState.COMMITTED
        batch.committed_at = timezone.now()
        batch.committed_by = actor
        batch.counts = {**batch.counts, "created": created, "updated": len(updates)}
        batch.save(update_fields=["state", "committed_at", "committed_by", "counts"])
    return batch


COMMIT_BATCH = 5000


def _create_chunk(batch, actor: User, units: dict, chunk: list[tuple[int, dict]], now) -> int:
    """Check one chunk of new members (unit in scope, CCCD and card still free) and insert it."""
    for number, values in chunk:
        if values.get("unit_id") not in units:
            raise CommitRefused(f"Dòng {number}: đơn vị nhận không còn trong phạm vi của bạn hoặc đã ngừng.")
    return bulk_insert_members(
        (_record_for(values, units[values["unit_id"]], now) for _number, values in chunk),
        batch=COMMIT_BATCH,
        actor=actor,
        import_batch=batch,
        note=f"Nhập từ tệp “{batch.file_name}” (lần nhập #{batch.pk}).",
    )


def _explain_conflict(batch: MemberImport) -> str:
    """After a unique-constraint failure: name the first row whose CCCD or card number is taken."""
    creates = batch.rows.filter(decision=RowDecision.CREATE).exclude(status=RowStatus.ERROR)
    rows = list(creates.order_by("number").values_list("number", "values"))
    for field, label in (("cccd", "Số CCCD"), ("card_number", "Số thẻ hội viên")):
        wanted = {values[field]: number for number, values in rows if values.get(field)}
        taken = _existing_by(field, set(wanted))
        if taken:
            value = min(taken, key=lambda v: wanted[v])
            return (
                f"Dòng {wanted[value]}: {label} {value} vừa được ghi cho một hội viên khác; "
                "không có gì được ghi. Hãy đọc lại tệp để đối chiếu."
            )
    return "Dữ liệu trùng với hồ sơ vừa được ghi bởi người khác; không có gì được ghi. Hãy đọc lại tệp."


@lru_cache(maxsize=1)
def _member_defaults() -> dict:
    """Every member column's default, computed once (a new record starts from a copy)."""
    defaults = {f.attname: f.get_default() for f in Member._meta.concrete_fields if f.attname != "id"}
    defaults.update({key: "" for key in DATE_FIELDS | {"died_on"}})
    return defaults


def _record_for(values: dict, unit: Unit, now) -> GeneratedMember:
    record = {key: values[key] for key in IMPORTED_FIELDS if key in values}
    full_name = " ".join(p for p in (record.get("ho"), record.get("chu_dem"), record.get("ten")) if p)
    birth = record.get("birth_date")
    return GeneratedMember(
        {
            **_member_defaults(),
            **record,
            "unit_id": unit.pk,
            "unit_path": unit.path,
            "cccd": record.get("cccd") or None,
            "card_number": record.get("card_number") or None,
            "birth_year": int(birth[:4]) if birth else None,
            "status": MemberStatus.ACTIVE,
            "search_text": build_search_text(full_name, record.get("card_number")),
            "sort_key": name_sort_key(record.get("ho", ""), record.get("chu_dem", ""), record.get("ten", "")),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
        [],
    )


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
            if row.values.get(key) not in (None, "") and _stored(member, key) != row.values[key]
        ]
        if not changed:
            continue
        before_shown = snapshot(member, changed)
        row.before = {key: _stored(member, key) for key in changed}
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
                kind=EventKind.UPDATED,
                actor=actor,
                batch=batch,
                changes=diff(before_shown, snapshot(member, changed), Member),
                note=f"Cập nhật từ tệp “{batch.file_name}” (lần nhập #{batch.pk}).",
            )
        )
        if i % 500 == 0:
            progress.report(batch, done + i, total, "Đang cập nhật hội viên đã có…")
    MemberEvent.objects.bulk_create(events)
    ImportRow.objects.bulk_update([r for r in rows if r.before], ["before"], batch_size=1000)


def _stored(member: Member, key: str):
    value = getattr(member, key)
    if isinstance(value, PartialDate):
        return value.to_storage()
    return value if value is not None else ""


def undo(batch: MemberImport, actor: User) -> MemberImport:
    """Take a committed import back: remove the members it created, restore those it updated."""
    created_ids = list(
        MemberEvent.objects.filter(batch=batch, kind=EventKind.ADMITTED).values_list("member_id", flat=True)
    )
    updated_rows = list(batch.rows.filter(before__isnull=False).exclude(member=None))
    touched = set(created_ids) | {r.member_id for r in updated_rows}
    later = (
        MemberEvent.objects.filter(member_id__in=touched, recorded_at__gt=batch.committed_at)
        .exclude(batch=batch)
        .select_related("member")
        .first()
        if len(touched) < 30_000
        else _later_event_in_chunks(batch, touched)
    )
    if later is not None:
        raise CommitRefused(
            f"Hội viên “{later.member}” đã có thay đổi sau lần nhập này ({later.get_kind_display().lower()}), "
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
            before_shown = snapshot(member, row.before.keys())
            for key, value in row.before.items():
                if key in DATE_FIELDS:
                    value = PartialDate.from_storage(value) if value else None
                setattr(member, key, value if value not in ("", None) else _blank(key))
            member.version += 1
            member.refresh_derived()
            member.save()
            events.append(
                MemberEvent(
                    member=member,
                    kind=EventKind.UPDATED,
                    actor=actor,
                    changes=diff(before_shown, snapshot(member, row.before.keys()), Member),
                    note=f"Hoàn tác lần nhập #{batch.pk} (“{batch.file_name}”).",
                )
            )
        MemberEvent.objects.bulk_create(events)
        batch.state = ImportState.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = actor
        batch.save(update_fields=["state", "undone_at", "undone_by"])
    return batch


def _blank(key: str):
    """Return the empty value of a member field (None where the column allows NULL)."""
    field = Member._meta.get_field(key)
    if key in DATE_FIELDS or field.null:
        return None
    return field.get_default()


def _later_event_in_chunks(batch, touched):
    ids = sorted(touched)
    for start in range(0, len(ids), 10_000):
        event = (
            MemberEvent.objects.filter(member_id__in=ids[start : start + 10_000], recorded_at__gt=batch.committed_at)
            .exclude(batch=batch)
            .select_related("member")
            .first()
        )
        if event:
            return event
    return None


def run_job(job: str, batch_id: int, actor_id: int) -> None:
    """Run one background job and leave the import in a clear state whatever happens."""
    batch = MemberImport.objects.select_related("default_unit").get(pk=batch_id)
    actor = User.objects.select_related("unit").get(pk=actor_id)
    fallback = {"analyse": ImportState.FAILED, "commit": ImportState.READY, "undo": ImportState.COMMITTED}[job]
    try:
        {"analyse": analyse, "commit": commit, "undo": undo}[job](batch, actor)
        progress.clear(batch)
    except (FileRejected, CommitRefused, ValidationError, PermissionDenied, IntegrityError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        if isinstance(exc, IntegrityError):
            message = _explain_conflict(batch)
        MemberImport.objects.filter(pk=batch_id).update(state=fallback, message=message)
        progress.clear(batch)
    except Exception:
        MemberImport.objects.filter(pk=batch_id).update(
            state=fallback, message="Lỗi hệ thống khi xử lý; không có gì được ghi. Hãy thử lại hoặc báo quản trị."
        )
        progress.clear(batch)
        raise
