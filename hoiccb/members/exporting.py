"""Member lists out to Excel in the usual layout, and the blank import template."""

import datetime
from collections.abc import Callable
from typing import Any

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.excel import Column, write_list
from hoiccb.members.models import Gender, MemberStatus
from hoiccb.members.selectors import MemberFilters, filtered_members


def _date(value) -> str:
    return str(value) if isinstance(value, PartialDate) else (value.strftime("%d/%m/%Y") if value else "")


_GENDERS = dict(Gender.choices)
_STATUSES = dict(MemberStatus.choices)

# key → (heading, column width, value from a row of .values(), sensitive?)
EXPORT_COLUMNS: dict[str, tuple[str, int, Callable[[dict[str, Any]], object], bool]] = {
    "full_name": ("Họ và tên", 26, lambda m: " ".join(p for p in (m["ho"], m["chu_dem"], m["ten"]) if p), False),
    "birth_date": ("Ngày sinh", 11, lambda m: _date(m["birth_date"]), False),
    "gender": ("Giới tính", 8, lambda m: _GENDERS.get(m["gender"], ""), False),
    "hometown": ("Quê quán", 24, lambda m: m["hometown"], False),
    "residence": ("Nơi ở hiện nay", 28, lambda m: m["residence"], False),
    "phone": ("Điện thoại", 13, lambda m: m["phone"], False),
    "kind": ("Đối tượng", 10, lambda m: m["kind"].upper(), False),
    "enlisted_on": ("Ngày nhập ngũ", 11, lambda m: _date(m["enlisted_on"]), False),
    "discharged_on": ("Ngày xuất ngũ", 11, lambda m: _date(m["discharged_on"]), False),
    "rank": ("Cấp bậc", 12, lambda m: m["rank"], False),
    "joined_on": ("Ngày vào Hội", 11, lambda m: _date(m["joined_on"]), False),
    "card_number": ("Số thẻ hội viên", 14, lambda m: m["card_number"] or "", False),
    "unit": ("Đơn vị", 26, lambda m: m["unit__name"], False),
    "status": ("Tình trạng", 14, lambda m: _STATUSES.get(m["status"], ""), False),
    "party_member": ("Đảng viên", 9, lambda m: "x" if m["party_member"] else "", True),
    "cccd": ("Số CCCD", 14, lambda m: m["cccd"] or "", True),
}
# The database columns each export column reads.
_READS = {"full_name": ("ho", "chu_dem", "ten"), "unit": ("unit__name",)}
DEFAULT_COLUMNS = ("full_name", "birth_date", "hometown", "enlisted_on", "rank", "card_number", "unit")


def allowed_columns(user: User) -> list[str]:
    sensitive = scoping.can(user, "sensitive")
    return [key for key, (_, _, _, is_sensitive) in EXPORT_COLUMNS.items() if sensitive or not is_sensitive]


def sensitive_columns(columns: list[str]) -> list[str]:
    """Return the chosen columns that hold sensitive data (their export is logged)."""
    return [c for c in columns if c in EXPORT_COLUMNS and EXPORT_COLUMNS[c][3]]


def export_members(user: User, filters: MemberFilters, columns: list[str], *, seen: list[int] | None = None):
    """Write the filtered list to a temporary .xlsx file; returns (file, row count).

    `seen`, when given, receives the id of every member written (for the access log).

    Rows come in Vietnamese name order (the stored ICU sort key), streamed from the
    database in chunks and to disk row by row, so memory stays flat for any size.
    """
    columns = [c for c in columns if c in allowed_columns(user)] or list(DEFAULT_COLUMNS)
    root = filters.unit or scoping.root_unit(user)
    getters = [EXPORT_COLUMNS[c][2] for c in columns]
    reads = {name for c in columns for name in _READS.get(c, (c,))}
    # Plain rows, not model instances: a hundred thousand of those would cost seconds.
    if seen is not None:
        reads.add("id")
    members = filtered_members(user, filters).values(*reads)

    def rows():
        for member in members.iterator(chunk_size=5000):
            if seen is not None:
                seen.append(member["id"])
            yield [get(member) for get in getters]

    return write_list(
        heading=["Hội Cựu chiến binh Việt Nam", root.name if root else ""],
        title="Danh sách hội viên",
        subtitle=f"(Tính đến ngày {datetime.date.today():%d/%m/%Y})",
        columns=[Column(EXPORT_COLUMNS[c][0], EXPORT_COLUMNS[c][1]) for c in columns],
        rows=rows(),
    )


TEMPLATE_HEADINGS = [
    ("Họ và tên", 26),
    ("Ngày sinh", 12),
    ("Giới tính", 9),
    ("Số CCCD", 15),
    ("Quê quán", 24),
    ("Nơi ở hiện nay", 28),
    ("Điện thoại", 13),
    ("Ngày nhập ngũ", 12),
    ("Ngày xuất ngũ", 12),
    ("Cấp bậc", 12),
    ("Đảng viên", 9),
    ("Ngày vào Hội", 12),
    ("Số thẻ hội viên", 14),
    ("Chi hội", 26),
    ("Ghi chú", 20),
]
TEMPLATE_EXAMPLE = [
    "Nguyễn Văn Hùng",
    "05/06/1950",
    "Nam",
    "015050000123",
    "Xã Tuy Lộc, TP Yên Bái",
    "Tổ 3, phường Yên Ninh",
    "0912345678",
    "3/1968",
    "1975",
    "Trung úy",
    "x",
    "2000",
    "",
    "Chi hội 1",
    "Dòng mẫu: xoá trước khi nhập",
]


def import_template():
    """Return a temporary .xlsx with the headings the import reads and one example row."""
    output, _count = write_list(
        heading=[],
        title="Danh sách hội viên (mẫu nhập)",
        subtitle="Ngày ghi ngày/tháng/năm, tháng/năm hoặc năm; Đảng viên ghi “x”. Xoá dòng mẫu trước khi nhập.",
        columns=[Column(heading, width) for heading, width in TEMPLATE_HEADINGS],
        rows=[TEMPLATE_EXAMPLE],
        sheet_name="Danh sách hội viên",
    )
    return output
