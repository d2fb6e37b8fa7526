"""Import of awards received before the system existed, from a spreadsheet.

upload → preview (each row New, Already recorded or Error, with a Vietnamese reason
naming the row and the column) → the user confirms → one transaction writes every
confirmed row or none (`history.services.preview` and `commit`).
Synchronous: a few thousand rows read in well under a second.

The member import's readers do the reading (`reading.read_upload`: size, real type, zip
bombs; `columns`: headings; `parsing.parse_row`: names, birth dates, card and CCCD
numbers, legacy encodings). Members are matched by card number or CCCD, else by the
accent-free name and birth year within the unit, and only within the user's scope: a
person outside it is "not found", exactly like one who does not exist.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds.models import AwardForm, Recipient
from hoiccb.lib.excel import Column as ExcelColumn
from hoiccb.lib.excel import write_list
from hoiccb.lib.legacy_encodings import column_mix
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.lib.sheets.headings import footer_kind, heading_key, is_numbering_row, readable
from hoiccb.lib.sheets.reading import FileRejected
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.members import access as members_access
from hoiccb.members.imports.columns import Column, alias_for, field_for_heading
from hoiccb.members.imports.parsing import name_key, parse_row
from hoiccb.members.models import Member
from hoiccb.org.matching import UnitMatcher

ImportRefused = FileRejected
MAX_ROWS = 5000
MIN_YEAR = 1945
STATUS_LABELS = {"new": "Mới", "exists": "Đã có", "error": "Lỗi"}
# Member fields read with the member import's parser; every other column is ours or ignored.
MEMBER_FIELDS = {
    "stt",
    "full_name",
    "ho_dem",
    "ho",
    "chu_dem",
    "ten",
    "birth_date",
    "birth_date_male",
    "birth_date_female",
    "cccd",
    "card_number",
    "unit",
}
# Our own columns, by heading in its comparable form (see columns.heading_key).
AWARD_HEADINGS = {
    "form": ("hinh thuc khen thuong", "hinh thuc", "hinh thuc khen", "loai khen thuong", "khen thuong"),
    "year": ("nam", "nam khen thuong", "nam khen", "nam duoc khen", "nam nhan"),
    "decision": ("so quyet dinh", "quyet dinh", "so qd", "qd", "so ngay quyet dinh", "so, ngay quyet dinh"),
    "achievement": ("thanh tich", "noi dung thanh tich", "ly do khen thuong", "ghi chu"),
}
TEMPLATE_COLUMNS = [
    ExcelColumn("Họ và tên", 26),
    ExcelColumn("Năm sinh", 10),
    ExcelColumn("Số thẻ hội viên", 14),
    ExcelColumn("Số CCCD", 15),
    ExcelColumn("Đơn vị", 26),
    ExcelColumn("Hình thức khen thưởng", 28),
    ExcelColumn("Năm", 8),
    ExcelColumn("Số quyết định", 16),
    ExcelColumn("Thành tích", 30),
]
_AWARD_ALIASES = {alias: key for key, aliases in AWARD_HEADINGS.items() for alias in aliases}


def award_field(label) -> str | None:
    return alias_for(heading_key(label), _AWARD_ALIASES)


@dataclass
class Layout:
    data_start: int
    member_columns: list[Column]  # for parse_row
    award_columns: dict[str, Column]  # form, year, decision, achievement


def find_columns(rows: list[list]) -> Layout:
    """Find the heading row among the first 30 and name each column; raises FileRejected."""
    best, best_score, best_fields = None, 0, []
    for index, cells in enumerate(rows[:30]):
        fields = []
        for cell in cells:
            label = readable(cell) if isinstance(cell, str) else ""
            mine = award_field(label) if label else None
            theirs = field_for_heading(label) if label and not mine else None
            fields.append((label, mine, theirs if theirs in MEMBER_FIELDS else None))
        found = {f for _label, mine, theirs in fields for f in (mine, theirs) if f}
        score = len(found)
        if {"form", "year"} <= found and score > best_score:
            best, best_score, best_fields = index, score, fields
    if best is None or best_score < 3:
        raise FileRejected(
            "Không tìm thấy dòng tiêu đề cột trong 30 dòng đầu: cần ít nhất các cột “Hình thức khen thưởng”, "
            "“Năm” và “Họ và tên” hoặc “Đơn vị”. Hãy dùng tệp mẫu."
        )
    member_columns, award_columns, taken = [], {}, set()
    for index, (label, mine, theirs) in enumerate(best_fields):
        if mine and mine not in award_columns:
            award_columns[mine] = Column(index=index, label=label, field=None)
        elif theirs and theirs not in taken:
            taken.add(theirs)
            member_columns.append(Column(index=index, label=label, field=theirs))
    start = best + 1
    if start < len(rows) and is_numbering_row(rows[start]):
        start += 1
    body = rows[start : start + 2000]
    for column in [*member_columns, *award_columns.values()]:
        cells = [r[column.index] for r in body if column.index < len(r) and isinstance(r[column.index], str)]
        column.majority = column_mix(cells)[0].value  # each cell is read by its own evidence, this breaks ties
    return Layout(start, member_columns, award_columns)


class FormMatcher:
    """Match a form of commendation by its code, its name (tone marks and quotes aside) or a unique start of it."""

    def __init__(self):
        self.forms = list(AwardForm.objects.all())
        self.by_key = {f.code.lower(): f for f in self.forms}
        self.names = {heading_key(f.name): f for f in self.forms}

    def match(self, text: str) -> AwardForm | None:
        key = heading_key(text)
        found = self.by_key.get(text.strip().lower()) or self.names.get(key)
        if found is None and len(key) >= 5:
            starting = [f for name, f in self.names.items() if name.startswith(key + " ")]
            found = starting[0] if len(starting) == 1 else None
        return found


def _year(text: str, today_year: int) -> int:
    if not text.isdigit() or not MIN_YEAR <= int(text) <= today_year:
        raise ValidationError(f"năm khen thưởng ghi bốn chữ số từ {MIN_YEAR} đến {today_year}; không hiểu “{text}”.")
    return int(text)


def past_awards(member_ids: set[int], unit_ids: set[int]) -> tuple[set[tuple], dict[tuple, int]]:
    """Return the (who, form, year) already recorded, and the first year of each (who, form)."""
    records = AwardRecord.objects.filter(member_id__in=member_ids) | AwardRecord.objects.filter(unit_id__in=unit_ids)
    recorded: set[tuple] = set()
    first: dict[tuple, int] = {}
    for member_id, unit_id, form_id, year in records.values_list("member_id", "unit_id", "form_id", "year"):
        who = ("m", member_id) if member_id else ("u", unit_id)
        recorded.add((who, form_id, year))
        first[(who, form_id)] = min(year, first.get((who, form_id), year))
    return recorded, first


class _Index:
    """The members of the user's scope that the file may name, loaded in three queries."""

    def __init__(self, actor: User, parsed: list[dict]):
        people = members_access.members(actor).only(
            "id", "ho", "chu_dem", "ten", "birth_year", "unit_path", "card_number", "cccd"
        )
        cards = {p["values"]["card_number"] for p in parsed if p["values"].get("card_number")}
        cccds = {p["values"]["cccd"] for p in parsed if p["values"].get("cccd")}
        years = {int(p["values"]["birth_date"][:4]) for p in parsed if p["values"].get("birth_date")}
        self.by_card = {m.card_number: m for m in people.filter(card_number__in=cards)} if cards else {}
        self.by_cccd = {m.cccd: m for m in people.filter(cccd__in=cccds)} if cccds else {}
        self.by_name: dict[tuple, list[Member]] = defaultdict(list)
        if years:
            for m in people.filter(birth_year__in=years):
                self.by_name[(normalize_search(m.full_name), m.birth_year)].append(m)


def _find_member(index: _Index, values: dict, unit) -> tuple[Member | None, str]:
    """Return (member, "") or (None, why not): by card or CCCD, else by name and birth year."""
    name = name_key(values)
    for key, table, label in (("card_number", index.by_card, "số thẻ"), ("cccd", index.by_cccd, "CCCD")):
        if values.get(key):
            member = table.get(values[key])
            if member is not None:
                if name and normalize_search(member.full_name) != name:
                    return None, f"{label} “{values[key]}” là của hội viên {member.full_name}, khác tên trong tệp."
                return member, ""
    birth = values.get("birth_date")
    if not birth:
        if values.get("card_number") or values.get("cccd"):
            return None, "không tìm thấy hội viên có số thẻ hoặc CCCD này trong phạm vi của bạn."
        return None, "cần năm sinh, hoặc số thẻ hội viên, hoặc CCCD để xác định hội viên."
    candidates = index.by_name.get((name, int(birth[:4])), [])
    if unit is not None:
        candidates = [m for m in candidates if m.unit_path.startswith(unit.path)]
    if len(candidates) == 1:
        return candidates[0], ""
    where = f" thuộc {unit}" if unit is not None else ""
    if not candidates:
        return None, f"không tìm thấy hội viên sinh năm {birth[:4]}{where} có tên này trong phạm vi của bạn."
    return None, f"có {len(candidates)} hội viên cùng tên, cùng năm sinh{where}: ghi thêm số thẻ hoặc CCCD."


def analyse(actor: User, rows: list[list], layout: Layout, *, untyped: bool = False) -> list[dict]:
    """Return one preview row per data line: status new/exists/error, with the reason and what it names."""
    today_year = timezone.localdate().year
    units = UnitMatcher(actor, {})
    forms = FormMatcher()
    cols = layout.award_columns
    parsed = []
    for offset, cells in enumerate(rows[layout.data_start :]):
        if not any(c != "" and str(c).strip() for c in cells):
            continue
        kind = footer_kind(cells)
        if kind == "signature":
            break
        if kind == "total":
            continue
        number = layout.data_start + offset + 1
        values, errors, _conversions = parse_row(layout.member_columns, cells, number, untyped=untyped)
        named = any(values.get(k) for k in ("ten", "card_number", "cccd", "birth_date"))
        if not named:  # a collective award: only the unit is written
            errors = [e for e in errors if not e.endswith("Thiếu họ tên.")]
        text = {
            key: cell_text(cells[c.index], c.encoding, c.majority) if c.index < len(cells) else ""
            for key, c in cols.items()
        }
        parsed.append({"number": number, "values": values, "errors": errors, "named": named, "text": text})
        if len(parsed) > MAX_ROWS:
            raise FileRejected(f"Tệp có hơn {MAX_ROWS:,} dòng khen thưởng; hãy chia thành nhiều tệp.".replace(",", "."))
    if not parsed:
        raise FileRejected("Tệp không có dòng khen thưởng nào dưới dòng tiêu đề.")
    index = _Index(actor, parsed)
    out = []
    for p in parsed:
        out.append(_classify(p, layout, units, forms, index, today_year))
    member_ids = {r["member_id"] for r in out if r.get("member_id")}
    unit_ids = {r["unit_id"] for r in out if r.get("unit_id") and not r.get("member_id")}
    recorded, first = past_awards(member_ids, unit_ids)
    seen: dict[tuple, int] = {}
    for row in out:
        if row["status"] == "error":
            continue
        who = ("m", row["member_id"]) if row["member_id"] else ("u", row["unit_id"])
        key = (who, row["form_id"], row["year"])
        earlier_once = first.get((who, row["form_id"]))
        if key in recorded:
            row["status"], row["message"] = "exists", "Đã có trong lịch sử khen thưởng: bỏ qua."
        elif key in seen:
            row["status"], row["message"] = "exists", f"Trùng dòng {seen[key]} của tệp: bỏ qua."
        elif row["once"] and earlier_once is not None:
            row["status"] = "error"
            row["message"] = f"Dòng {row['number']}: đã nhận {row['form']} năm {earlier_once} (chỉ nhận một lần)."
        else:
            seen[key] = row["number"]
            if row["once"]:
                first[(who, row["form_id"])] = row["year"]
    return out


def _unit_of(number: int, unit_text: str, layout: Layout, units: UnitMatcher, errors: list[str]):
    """Return the unit the row names (None when it names none), noting in `errors` one not found."""
    if not unit_text:
        return None
    unit = units.match(unit_text)
    if unit is None:
        column = next(c for c in layout.member_columns if c.field == "unit")
        errors.append(
            f"Dòng {number}, cột {column.letter} “{column.label}”: không tìm thấy đơn vị “{unit_text}” "
            "trong phạm vi của bạn."
        )
    return unit


def _classify(p: dict, layout: Layout, units: UnitMatcher, forms: FormMatcher, index: _Index, today_year) -> dict:
    number, values, errors, text = p["number"], p["values"], list(p["errors"]), p["text"]
    cols = layout.award_columns

    def where(key: str) -> str:
        column = cols.get(key)
        return f"Dòng {number}, cột {column.letter} “{column.label}”" if column else f"Dòng {number}"

    unit_text = values.get("unit_text", "")
    unit = _unit_of(number, unit_text, layout, units, errors)
    form = None
    if not text.get("form"):
        errors.append(f"{where('form')}: thiếu hình thức khen thưởng.")
    else:
        form = forms.match(text["form"])
        if form is None:
            errors.append(f"{where('form')}: không có hình thức “{text['form']}”; ghi tên hoặc mã như trong danh mục.")
    year = None
    if not text.get("year"):
        errors.append(f"{where('year')}: thiếu năm khen thưởng.")
    else:
        try:
            year = _year(text["year"], today_year)
        except ValidationError as exc:
            errors.append(f"{where('year')}: {exc.messages[0]}")
    for key, limit in (("decision", 100), ("achievement", 255)):
        if len(text.get(key, "")) > limit:
            errors.append(f"{where(key)}: dài quá {limit} ký tự.")
    member = None
    if not p["named"] and not unit_text:
        errors.append(f"Dòng {number}: ghi họ tên hội viên (khen cá nhân) hoặc đơn vị (khen tập thể).")
    elif p["named"] and not errors:
        member, why = _find_member(index, values, unit)
        if member is None:
            errors.append(f"Dòng {number}: {why}")
    if form is not None and not errors:
        if member is not None and form.recipient == Recipient.COLLECTIVE:
            errors.append(f"{where('form')}: {form.name} dành cho tập thể, dòng này ghi một cá nhân.")
        elif member is None and form.recipient == Recipient.INDIVIDUAL:
            errors.append(f"{where('form')}: {form.name} dành cho cá nhân, dòng này chỉ ghi đơn vị.")
    shown_name = (
        member.full_name
        if member is not None
        else " ".join(v for v in (values.get("ho"), values.get("chu_dem"), values.get("ten")) if v)
    )
    return {
        "number": number,
        "status": "error" if errors else "new",
        "message": " ".join(errors),
        "who": shown_name or (str(unit) if unit else unit_text),
        "collective": not p["named"],
        "unit": str(unit) if unit else unit_text,
        "form": form.name if form else text.get("form", ""),
        "year": year,
        "decision": text.get("decision", "")[:100],
        "achievement": text.get("achievement", "")[:255],
        "member_id": member.pk if member is not None and not errors else None,
        "unit_id": unit.pk if unit is not None and not errors else None,
        "form_id": form.pk if form is not None and not errors else None,
        "once": bool(form and form.once_in_lifetime),
    }


def blank_template(unit):
    """Return the blank .xlsx to fill in (a file rewound), with the headings the import reads."""
    heading = (
        [unit.parent.name, unit.name] if unit and unit.parent_id else [unit.name if unit else "HỘI CỰU CHIẾN BINH"]
    )
    output, _count = write_list(
        heading=heading,
        title="Danh sách khen thưởng đã nhận",
        subtitle=(
            "Mỗi khen thưởng một dòng. Khen thưởng tập thể: bỏ trống họ tên, chỉ ghi Đơn vị. "
            "Hình thức: ghi tên hoặc mã như trong danh mục."
        ),
        columns=TEMPLATE_COLUMNS,
        rows=[],
        sheet_name="Khen thưởng",
    )
    return output
