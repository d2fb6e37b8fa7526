"""The unit tree in bulk from a sheet of units with their parents' codes.

Rows are checked together before anything is written (a parent may be a unit
already in the tree or one further down the same sheet); then every new unit is
created in one transaction, parents before children, through `unit_create`, so
the level rules and the scope apply exactly as on the form.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.lib.sheets.headings import heading_key, readable
from hoiccb.lib.sheets.reading import FileRejected, Sheet, read_upload
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org import services
from hoiccb.org.models import Unit, UnitGroup, UnitKind

HEADINGS = {
    "code": ("ma don vi", "ma", "ma dv"),
    "name": ("ten don vi", "ten", "don vi", "ten hoi"),
    "kind": ("cap", "cap don vi", "loai don vi"),
    "parent": ("ma don vi cap tren", "ma cap tren", "don vi cap tren", "cap tren", "ma don vi cha"),
    "host_organisation": ("co quan, doanh nghiep", "co quan doanh nghiep", "co quan"),
    "group": ("khoi",),
    "address": ("dia chi",),
    "phone": ("dien thoai", "so dien thoai"),
}
_BY_ALIAS = {heading_key(alias): key for key, aliases in HEADINGS.items() for alias in aliases}


@dataclass
class UnitRow:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)
    exists: bool = False


def _heading_row(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """Return (index of the heading row, {field: column}); raises FileRejected when there is none."""
    for i, cells in enumerate(sheet.rows[:30]):
        found = {_BY_ALIAS.get(heading_key(readable(c))): j for j, c in enumerate(cells) if isinstance(c, str)}
        found.pop(None, None)
        if {"code", "name", "kind", "parent"} <= found.keys():
            return i, {key: column for key, column in found.items() if key is not None}
    raise FileRejected("Không tìm thấy dòng tiêu đề gồm “Mã đơn vị”, “Tên đơn vị”, “Cấp”, “Mã đơn vị cấp trên”.")


def _kinds_by_name() -> dict[str, UnitKind]:
    """Return every way a level is written ("Hội CCB cơ sở", "Hội cơ sở", "co-so", "cơ sở") → the level."""
    kinds: dict[str, UnitKind] = {}
    for kind in UnitKind.objects.all():
        name = normalize_search(kind.name)
        for key in (name, name.replace("ccb ", ""), kind.code.lower(), kind.code.replace("-", " ")):
            kinds.setdefault(key, kind)
    return kinds


def read_units(actor: User, file_name: str, data: bytes) -> list[UnitRow]:
    """Read and check a sheet of units; raises FileRejected when it cannot be read."""
    if not scoping.can(actor, "manage_units"):
        raise PermissionDenied("Bạn không có quyền quản lý đơn vị.")
    sheet = read_upload(file_name, data)
    header_index, columns = _heading_row(sheet)
    kinds = _kinds_by_name()
    groups = {normalize_search(g.name): g for g in UnitGroup.objects.all()} | {
        g.code.lower(): g for g in UnitGroup.objects.all()
    }
    visible = {u.code.lower(): u for u in scoping.units(actor).select_related("kind")}
    taken = {c.lower() for c in Unit.objects.values_list("code", flat=True)}
    rows: list[UnitRow] = []
    codes_in_file: dict[str, int] = {}
    code_column = columns["code"]
    all_codes = {
        cell_text(cells[code_column]).strip().lower()
        for cells in sheet.rows[header_index + 1 :]
        if code_column < len(cells)
    }
    for offset, cells in enumerate(sheet.rows[header_index + 1 :]):
        number = header_index + offset + 2
        text = {key: cell_text(cells[j]) if j < len(cells) else "" for key, j in columns.items()}
        if not any(text.values()):
            continue
        row = UnitRow(number, text)
        code = text["code"].strip()
        if not code or not text["name"]:
            row.errors.append(f"Dòng {number}: thiếu mã hoặc tên đơn vị.")
        elif code.lower() in codes_in_file:
            row.errors.append(f"Dòng {number}: mã “{code}” trùng với dòng {codes_in_file[code.lower()]}.")
        elif code.lower() in taken:
            row.exists = True
        codes_in_file.setdefault(code.lower(), number)
        kind = kinds.get(normalize_search(text["kind"])) or kinds.get(text["kind"].strip().lower())
        if kind is None:
            row.errors.append(f"Dòng {number}: không hiểu cấp “{text['kind']}”.")
        row.values["kind"] = kind
        parent_code = text["parent"].strip().lower()
        if not parent_code:
            row.errors.append(f"Dòng {number}: thiếu mã đơn vị cấp trên.")
        elif parent_code not in visible and parent_code not in all_codes:
            row.errors.append(f"Dòng {number}: đơn vị cấp trên “{text['parent']}” không có trong phạm vi của bạn.")
        group_text = text.get("group", "")
        row.values["group"] = groups.get(normalize_search(group_text)) if group_text else None
        if group_text and row.values["group"] is None:
            row.errors.append(f"Dòng {number}: không có khối “{group_text}”.")
        rows.append(row)
    return rows


@transaction.atomic
def create_units(actor: User, rows: list[UnitRow]) -> list[Unit]:
    """Create the new units of a checked sheet, parents first; all of them or none."""
    if any(r.errors for r in rows):
        raise ValidationError("Tệp còn dòng lỗi; hãy sửa tệp rồi tải lên lại.")
    known = {u.code.lower(): u for u in scoping.units(actor)}
    pending = [r for r in rows if not r.exists]
    created = []
    while pending:
        ready = [r for r in pending if r.values["parent"].strip().lower() in known]
        if not ready:
            numbers = ", ".join(str(r.number) for r in pending)
            raise ValidationError(f"Các dòng {numbers} có đơn vị cấp trên không tạo được (vòng lặp hoặc thiếu).")
        for row in ready:
            v = row.values
            try:
                unit = services.unit_create(
                    actor=actor,
                    parent=known[v["parent"].strip().lower()],
                    kind=v["kind"],
                    code=v["code"].strip(),
                    name=v["name"],
                    host_organisation=v.get("host_organisation", ""),
                    group=v.get("group"),
                    address=v.get("address", ""),
                    phone=v.get("phone", ""),
                )
            except ValidationError as exc:
                raise ValidationError(f"Dòng {row.number}: {'; '.join(exc.messages)}") from None
            known[unit.code.lower()] = unit
            created.append(unit)
            pending.remove(row)
    return created
