"""Which column holds what: the headings units actually write, and finding the heading row.

Headings are compared in their search form (lower case, no tone marks, punctuation
dropped), so "HỌ VÀ TÊN", "Họ và tên" and "Ho va ten" are one heading.
"""

import dataclasses
from dataclasses import dataclass

from hoiccb.lib.sheets.headings import heading_key, is_numbering_row, merged_value, readable
from hoiccb.lib.sheets.reading import Sheet, column_letter


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    aliases: tuple[str, ...]
    kind: str = "text"  # text, name, date, bool, int, unit, choice, ignore


FIELDS: tuple[ImportField, ...] = (
    ImportField("stt", "Số thứ tự (bỏ qua)", ("stt", "tt", "so tt", "so thu tu"), "ignore"),
    ImportField(
        "full_name",
        "Họ và tên",
        ("ho va ten", "ho ten", "ho va ten hoi vien", "ho ten hoi vien", "ho, ten", "hoi vien"),
        "name",
    ),
    ImportField("ho_dem", "Họ và chữ đệm", ("ho va ten dem", "ho va dem", "ho dem", "ho va chu dem"), "name"),
    ImportField("ho", "Họ", ("ho",), "name"),
    ImportField("chu_dem", "Chữ đệm", ("chu dem", "ten dem", "dem"), "name"),
    ImportField("ten", "Tên", ("ten",), "name"),
    ImportField(
        "birth_date",
        "Ngày sinh",
        ("ngay sinh", "nam sinh", "ngay thang nam sinh", "ngay, thang, nam sinh", "sinh ngay", "ngay/thang/nam sinh"),
        "date",
    ),
    ImportField(
        "birth_date_male", "Năm sinh – Nam", ("nam sinh nam", "ngay sinh nam", "ngay thang nam sinh nam"), "date"
    ),
    ImportField(
        "birth_date_female", "Năm sinh – Nữ", ("nam sinh nu", "ngay sinh nu", "ngay thang nam sinh nu"), "date"
    ),
    ImportField("gender", "Giới tính", ("gioi tinh", "nam/nu", "nam nu", "phai"), "choice"),
    ImportField(
        "cccd",
        "Số CCCD",
        ("so cccd", "cccd", "can cuoc cong dan", "so can cuoc", "so dinh danh", "so dinh danh ca nhan", "cmnd/cccd"),
    ),
    ImportField("card_number", "Số thẻ hội viên", ("so the", "so the hoi vien", "so the hv", "the hoi vien")),
    ImportField(
        "unit",
        "Đơn vị (chi hội, Hội cơ sở)",
        ("chi hoi", "don vi", "hoi co so", "don vi sinh hoat", "chi hoi sinh hoat", "sinh hoat tai", "ma don vi"),
        "unit",
    ),
    ImportField("ethnicity", "Dân tộc", ("dan toc",)),
    ImportField("religion", "Tôn giáo", ("ton giao",)),
    ImportField("hometown", "Quê quán", ("que quan", "nguyen quan", "que")),
    ImportField(
        "residence",
        "Nơi ở hiện nay",
        ("noi o hien nay", "cho o hien nay", "noi o", "dia chi", "noi cu tru", "tru quan", "dia chi thuong tru"),
    ),
    ImportField("phone", "Điện thoại", ("dien thoai", "so dien thoai", "sdt", "dt", "dtdd")),
    ImportField("kind", "Đối tượng (CCB/CQN)", ("doi tuong", "ccb/cqn", "ccb, cqn"), "choice"),
    ImportField("joined_on", "Ngày vào Hội", ("ngay vao hoi", "nam vao hoi", "ngay ket nap", "vao hoi"), "date"),
    ImportField("enlisted_on", "Ngày nhập ngũ", ("ngay nhap ngu", "nhap ngu", "nam nhap ngu"), "date"),
    ImportField(
        "discharged_on",
        "Ngày xuất ngũ",
        ("ngay xuat ngu", "xuat ngu", "nam xuat ngu", "ngay ra quan", "ra quan", "ngay phuc vien"),
        "date",
    ),
    ImportField("rank", "Cấp bậc", ("cap bac", "cap bac cao nhat", "quan ham", "cap bac, chuc vu")),
    ImportField("served_unit", "Đơn vị khi tại ngũ", ("don vi khi tai ngu", "don vi tai ngu", "don vi trong quan doi")),
    ImportField("party_member", "Đảng viên", ("dang vien", "la dang vien"), "bool"),
    ImportField("party_joined_on", "Ngày vào Đảng", ("ngay vao dang", "nam vao dang"), "date"),
    ImportField("war_invalid_rate", "Thương binh (tỷ lệ %)", ("thuong binh", "ty le thuong tat", "tbinh"), "int"),
    ImportField("education", "Trình độ học vấn", ("trinh do hoc van", "trinh do van hoa", "van hoa", "hoc van")),
    ImportField("occupation", "Nghề nghiệp", ("nghe nghiep", "nghe nghiep hien nay", "cong viec hien nay")),
    ImportField("notes", "Ghi chú", ("ghi chu",)),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
NAME_KEYS = ("full_name", "ho_dem", "ten")
_ALIASES = {alias: f.key for f in FIELDS for alias in f.aliases}


def field_for_heading(text, learned: dict[str, str] | None = None) -> str | None:
    """Return the field a heading names (the user's remembered headings first), or None."""
    key = heading_key(text)
    if not key:
        return None
    if learned and key in learned:
        return learned[key] or None
    return alias_for(key, _ALIASES)


def alias_for(key: str, aliases: dict[str, str]) -> str | None:
    """Return what a heading key names in `aliases`: the exact alias, else the longest one it starts with.

    "ho va ten hoi vien ghi chu in hoa" starts with the alias "ho va ten".
    """
    if key in aliases:
        return aliases[key]
    best = max((a for a in aliases if len(a) >= 4 and key.startswith(a + " ")), key=len, default=None)
    return aliases[best] if best else None


@dataclass
class Column:
    index: int
    label: str
    field: str | None
    encoding: str = "auto"  # the column's setting: "auto" (each cell by its own evidence) or a forced encoding
    majority: str = "unicode"  # the encoding most of its cells were typed in: the tie-break
    sample: str = ""
    converted: str = ""
    mix: list[dict] = dataclasses.field(default_factory=list)  # [{encoding, label, count, sample, converted}]

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "letter": self.letter,
            "label": self.label,
            "field": self.field,
            "encoding": self.encoding,
            "majority": self.majority,
            "sample": self.sample,
            "converted": self.converted,
            "mix": self.mix,
        }


def saved_columns(saved: list[dict]) -> list[Column]:
    """Return the columns of an import as saved on it (MemberImport.columns)."""
    return [
        Column(
            index=c["index"],
            label=c["label"],
            field=c["field"],
            encoding=c.get("encoding", "unicode"),
            majority=c.get("majority", "unicode"),
        )
        for c in saved
    ]


def _heading_score(cells: list, learned) -> int:
    fields = [field_for_heading(readable(c), learned) for c in cells if isinstance(c, str)]
    found = {f for f in fields if f}
    return len(found) + (3 if found & set(NAME_KEYS) else 0)


HEADING_ROWS = 30  # the heading row is looked for among the first rows; a sub-heading and numbering row may follow


def detect_columns(sheet: Sheet, learned: dict[str, str] | None = None) -> tuple[int, int, list[Column]]:
    """Find the heading row among the first HEADING_ROWS and name each column.

    Returns (heading row index, first data row index, columns). A second heading
    row under merged cells ("Năm sinh" over "Nam" | "Nữ") is read together with
    the first. Raises ValueError when no row looks like headings.
    """
    candidates = [(i, _heading_score(row, learned)) for i, row in enumerate(sheet.rows[:HEADING_ROWS])]
    best_row, best_score = max(candidates, key=lambda c: (c[1], -c[0]), default=(0, 0))
    if best_score < 4:  # a name column (3) plus at least one more
        raise ValueError("no heading row")
    width = sheet.width
    labels = [merged_value(sheet, best_row, c) for c in range(width)]
    data_start = best_row + 1
    below = sheet.rows[data_start] if data_start < len(sheet.rows) else []
    sub = [readable(c) if isinstance(c, str) else "" for c in below] + [""] * width
    # A sub-heading row has short labels only, under headings that span several columns.
    spans = {c for (r1, c1), (r2, c2) in sheet.merged if r1 <= best_row <= r2 and c2 > c1 for c in range(c1, c2 + 1)}
    if any(sub[c] and c in spans for c in range(width)) and not any(
        field_for_heading(labels[c]) in NAME_KEYS and sub[c] for c in range(width)
    ):
        labels = [f"{labels[c]} {sub[c]}".strip() if c in spans and sub[c] else labels[c] for c in range(width)]
        data_start += 1
    if data_start < len(sheet.rows) and is_numbering_row(sheet.rows[data_start]):
        data_start += 1
    columns = []
    taken: set[str] = set()
    for index, label in enumerate(labels):
        field = field_for_heading(label, learned)
        if field in taken and field != "stt":
            field = None  # two columns claiming one field: the first wins, the user decides
        if field:
            taken.add(field)
        columns.append(Column(index=index, label=label, field=field))
    return best_row, data_start, columns
