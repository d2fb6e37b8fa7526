"""Reading a stored list into preview rows: units matched, rows parsed, checked and classified."""

from collections import defaultdict

from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.bulk import collector_paused, insert_alike, insert_rows
from hoiccb.lib.sheets.headings import footer_kind
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.members import access as members_access
from hoiccb.members.imports import progress
from hoiccb.members.imports.columns import saved_columns
from hoiccb.members.imports.parsing import RowParser, name_key
from hoiccb.members.imports.records import DATE_FIELDS, stored_value, validation_errors
from hoiccb.members.imports.storage import (
    forget_new_values,
    keeps_cells,
    preview_cells,
    read_sheet,
    save_new_values,
)
from hoiccb.members.models import (
    ImportRow,
    ImportState,
    Member,
    MemberImport,
    RowDecision,
    RowStatus,
)
from hoiccb.org.matching import UnitMatcher
from hoiccb.org.models import Unit
from hoiccb.org.paths import common_ancestor, subtree_filter

ANALYSE_BATCH = 5000
# The choices as plain strings: reading an enum member off its class costs a call, on every row.
NEW, MATCH, DUPLICATE, ERROR = (s.value for s in (RowStatus.NEW, RowStatus.MATCH, RowStatus.DUPLICATE, RowStatus.ERROR))
CREATE, UPDATE, SKIP = (d.value for d in (RowDecision.CREATE, RowDecision.UPDATE, RowDecision.SKIP))


@collector_paused()
def analyse(batch: MemberImport, actor: User) -> MemberImport:
    """Read the stored file with the saved mapping and classify every row (new, match, duplicate, error).

    Rows are parsed, classified and stored chunk by chunk, and each row of the sheet is
    let go once read, so memory stays flat whatever the length of the list.
    """
    sheet = read_sheet(batch)
    columns = saved_columns(batch.columns)
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
    new_parts: list[list[int]] = []
    chunk: list[dict] = []
    # Each chunk is stored in a transaction of its own: on SQLite a long one would hold the
    # write lock against every clerk for the whole reading. A failed reading is started over.
    batch.rows.all().delete()
    forget_new_values(batch)
    # Until this reading ends, the batch names no rows: a reading that dies midway leaves the
    # columns page to retry from, not the last reading's counts over this one's rows.
    batch.counts = {"data_start": data_start}
    batch.save(update_fields=["counts"])
    parser = RowParser(columns, untyped=untyped, memo={})  # each distinct cell of a column is read once
    body.reverse()  # rows are popped from the end as they are read: memory stays flat as the caches fill
    for offset in range(total):
        cells = body.pop()
        filled = sum(1 for c in cells if c != "" and (type(c) is not str or not c.isspace()))
        if not filled:
            continue  # blank line
        number = data_start + offset + 1
        footer = footer_kind(cells) if filled <= 2 else None  # a footer is a short line
        if footer == "signature":
            break  # "Người lập biểu", "T/M Ban Chấp hành"…: the names below are signatures
        if footer == "total":
            continue
        chunk.append(_parse(parser, cells, number, matcher, default_unit, unresolved))
        if len(chunk) == ANALYSE_BATCH:
            _store(batch, classifier.classify(chunk), counts, new_parts)
            chunk = []
            progress.report(batch, offset, total, "Đang đọc và đối chiếu từng dòng…")
    _store(batch, classifier.classify(chunk), counts, new_parts)
    batch.counts = {
        "data_start": data_start,
        "unresolved_units": list(unresolved.values()),
        "new_parts": new_parts,
        **counts,
    }
    batch.state = ImportState.READY
    batch.save(update_fields=["counts", "state"])
    return batch


def _parse(parser: RowParser, cells, number, matcher, default_unit, unresolved) -> dict:
    """Parse one row and resolve its unit; returns the row as the classifier and _store take it."""
    values, errors, conversions = parser.parse(cells, number)
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
        errors.extend(validation_errors(values, number))
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
        from hoiccb.lib.sheets.cells import cell_text

        texts = {row[unit_column.index] for row in body if unit_column.index < len(row)}
        for text in texts:
            unit = matcher.match(cell_text(text, unit_column.encoding, unit_column.majority)) if text != "" else None
            if unit is not None:
                paths.add(unit.path)
    return paths


_ROW_COLUMNS = ["batch_id", "number", "raw", "values", "errors", "notes", "conversions", "status", "decision"]


def _store(batch: MemberImport, chunk: list[dict], counts: dict, new_parts: list[list[int]]) -> None:
    """Store one chunk of preview rows. A new row's values go to a side file (storage.keeps_cells),
    and a new row with nothing to say (no conversion) is stored with the others like it in one statement."""
    rows = []
    new_values = []
    plain_new = []
    for p in chunk:
        status = p["status"]
        counts[status] += 1
        values = {**p["values"], "unit_id": p["unit"].pk if p["unit"] else None}
        kept = keeps_cells(status)
        if not kept:
            new_values.append((p["number"], values))
            if not p["conversions"]:
                plain_new.append(p["number"])
                continue
        rows.append(
            [
                batch.pk,
                p["number"],
                preview_cells(p["raw"]) if kept else [],
                values if kept else {},
                p["errors"],
                p["notes"],
                p["conversions"],
                status,
                p["decision"],
                p.get("member_id"),
            ]
        )
    if new_values:
        new_parts.append(save_new_values(batch, len(new_parts), new_values))
    with transaction.atomic():
        insert_rows(ImportRow, [*_ROW_COLUMNS, "member_id"], rows)
        insert_alike(ImportRow, _PLAIN_NEW_ROW | {"batch_id": batch.pk}, "number", plain_new)


# A new row's preview entry when it has no conversion to show: its values are in the side file.
_PLAIN_NEW_ROW = {
    "raw": [],
    "values": {},
    "errors": [],
    "notes": [],
    "conversions": [],
    "status": NEW,
    "decision": CREATE,
}


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
        candidates = members_access.members(actor)
        root = common_ancestor(target_paths)
        if root:
            candidates = candidates.filter(**subtree_filter("unit_path", root))
        fields = ("id", "ho", "chu_dem", "ten", "birth_year", "unit_id", "hometown")
        for m in candidates.exclude(birth_year=None).values(*fields).iterator(chunk_size=5000):
            key = normalize_search(" ".join(x for x in (m["ho"], m["chu_dem"], m["ten"]) if x))
            self.by_name[(key, m["birth_year"])].append(m)

    def classify(self, chunk: list[dict]) -> list[dict]:
        clean = [p for p in chunk if not p["errors"]]
        by_cccd = existing_by("cccd", {p["values"]["cccd"] for p in clean if p["values"].get("cccd")})
        by_card = existing_by(
            "card_number", {p["values"]["card_number"] for p in clean if p["values"].get("card_number")}
        )
        for p in chunk:
            self._classify_row(p, by_cccd, by_card)
        self._check_merged_records([p for p in chunk if p["status"] == MATCH])
        return chunk

    def _classify_row(self, p: dict, by_cccd: dict, by_card: dict) -> None:
        values = p["values"]
        if p["errors"]:
            p["status"], p["decision"] = ERROR, SKIP
            return
        person = (name_key(values), values.get("birth_date", ""), p["unit"].pk)
        first = self.seen_cccd.get(values.get("cccd") or "") or self.seen_person.get(person)
        if first:
            p["status"], p["decision"] = DUPLICATE, SKIP
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
            p["status"], p["decision"] = NEW, CREATE
        elif "unit_path" in match and not (self.scope and match["unit_path"].startswith(self.scope)):
            p["status"], p["decision"] = ERROR, SKIP
            p["errors"].append(
                f"Dòng {p['number']}: số CCCD hoặc số thẻ đã có trong sổ ở một đơn vị ngoài phạm vi của bạn."
            )
        else:
            p["status"], p["decision"], p["member_id"] = MATCH, UPDATE, match["id"]

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
            merged = {key: stored_value(member, key) for key in (*DATE_FIELDS, "war_invalid_rate", "party_member")}
            merged.update({k: v for k, v in p["values"].items() if k in merged and v not in (None, "")})
            problems = validation_errors(merged, p["number"])
            if problems:
                p["status"], p["decision"] = ERROR, SKIP
                p["errors"].extend(
                    f"{message} (khi gộp với hồ sơ đã có của “{member.full_name}”)" for message in problems
                )


def existing_by(field: str, wanted: set[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    wanted_list = sorted(wanted)
    for start in range(0, len(wanted_list), 2000):
        chunk = wanted_list[start : start + 2000]
        for m in Member.objects.filter(**{f"{field}__in": chunk}).values("id", field, "unit_path"):
            found[m[field]] = m
    return found


# --- Row decisions and fixes --------------------------------------------------------
