"""The round's share-out as a reader sees it: by form, then by khối with subtotals, filtered.

A bloc round shares seats among ~90 units for each form (~180 lines): grouping them
by khối (org.UnitGroup) shows at a glance whether the groups are treated fairly
("đảm bảo hài hoà các Khối"), and a subtotal per khối is what the council checks.
The page, its print view and the Excel export all read this one grouping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest
from django.utils import timezone

from hoiccb.awards.rounds.models import Round, Share
from hoiccb.lib.excel import XLSX_TYPE, Column, Subtotal, write_list
from hoiccb.lib.search import search_param
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.models import UnitGroup

NO_GROUP = "Chưa xếp khối"
# A khối with more lines than this starts folded on the page (its subtotal stays visible).
OPEN_UP_TO = 12


@dataclass
class ShareLine:
    share: Share
    used: int


@dataclass
class GroupBlock:
    """The lines of one khối for one form, with their subtotals."""

    name: str
    lines: list[ShareLine] = field(default_factory=list)
    folded: bool = False  # starts closed on the page (a long khối of the whole round, unfiltered)

    @property
    def members(self) -> int:
        return sum(line.share.weight for line in self.lines)

    @property
    def seats(self) -> int:
        return sum(line.share.amount for line in self.lines)

    @property
    def used(self) -> int:
        return sum(line.used for line in self.lines)

    @property
    def exact(self) -> float:
        return float(sum(line.share.exact for line in self.lines))


@dataclass
class FormBlock:
    """One form's share-out: its khối blocks and totals."""

    form_id: int
    name: str
    groups: list[GroupBlock] = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(g.members for g in self.groups)

    @property
    def seats(self) -> int:
        return sum(g.seats for g in self.groups)

    @property
    def used(self) -> int:
        return sum(g.used for g in self.groups)

    @property
    def units(self) -> int:
        return sum(len(g.lines) for g in self.groups)


@dataclass(frozen=True)
class ShareFilter:
    """What the reader narrowed the table to: a form (its id) and words of a unit's name."""

    form_id: int | None = None
    unit_query: str = ""
    open_all: bool = False  # "mo=1": every khối open, for printing without JavaScript

    @classmethod
    def from_request(cls, request: HttpRequest) -> ShareFilter:
        raw = request.GET.get("hinh_thuc", "").strip()
        form_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
        return cls(form_id=form_id, unit_query=search_param(request, "don_vi"), open_all=request.GET.get("mo") == "1")

    @property
    def active(self) -> bool:
        return bool(self.form_id or self.unit_query)

    @property
    def query(self) -> str:
        """The filter as a query string, for the export and print links."""
        params = {"hinh_thuc": self.form_id or "", "don_vi": self.unit_query}
        return urlencode({k: v for k, v in params.items() if v})

    def keeps(self, share: Share) -> bool:
        if self.form_id and share.quota.form_id != self.form_id:
            return False
        if self.unit_query:
            name = normalize_search(share.unit.name)
            return all(word in name for word in normalize_search(self.unit_query).split())
        return True


def share_blocks(shares: Iterable[Share], used: dict[tuple[int, int], int], wanted: ShareFilter) -> list[FormBlock]:
    """Group the round's shares (already ordered by form, then unit) by form and khối.

    used: seats held, by (unit id, form id) (selectors.seats_used). Khối come in name
    order with the units outside any khối last; one query reads the khối names.
    """
    kept = [s for s in shares if wanted.keeps(s)]
    group_ids = {s.unit.group_id for s in kept if s.unit.group_id}
    names = dict(UnitGroup.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    forms: dict[int, FormBlock] = {}
    groups: dict[tuple[int, str], GroupBlock] = {}
    for share in kept:
        form_block = forms.setdefault(
            share.quota.form_id, FormBlock(form_id=share.quota.form_id, name=share.quota.form.name)
        )
        group_name = names.get(share.unit.group_id, NO_GROUP) if share.unit.group_id else NO_GROUP
        key = (share.quota.form_id, group_name)
        if key not in groups:
            groups[key] = GroupBlock(name=group_name)
            form_block.groups.append(groups[key])
        groups[key].lines.append(ShareLine(share, used.get((share.unit_id, share.quota.form_id), 0)))
    for form_block in forms.values():
        form_block.groups.sort(key=lambda g: (g.name == NO_GROUP, normalize_search(g.name)))
        for group in form_block.groups:
            group.folded = not (wanted.active or wanted.open_all) and len(group.lines) > OPEN_UP_TO
    return list(forms.values())


def form_choices(shares: Sequence[Share]) -> list[tuple[int, str]]:
    """The forms present in the round's share-out, for the filter."""
    seen: dict[int, str] = {}
    for share in shares:
        seen.setdefault(share.quota.form_id, share.quota.form.name)
    return list(seen.items())


EXCEL_COLUMNS = [
    Column("Hình thức", 24),
    Column("Khối", 20),
    Column("Đơn vị", 36),
    Column("Hội viên", 10, "int"),
    Column("Suất chính xác", 11),
    Column("Phần nguyên", 10, "int"),
    Column("Phần dư", 9),
    Column("Số suất", 9, "int"),
    Column("Đã dùng", 9, "int"),
    Column("Giải thích", 50),
]


def _excel_rows(blocks: list[FormBlock]) -> Iterable[Sequence | Subtotal]:
    for form_block in blocks:
        for group in form_block.groups:
            for line in group.lines:
                s = line.share
                adjusted = f" Điều chỉnh từ {s.computed}: {s.adjusted_reason}" if s.adjusted_reason else ""
                yield [
                    form_block.name,
                    group.name,
                    s.unit.name,
                    s.weight,
                    _decimal(s.exact),
                    s.whole,
                    _decimal(s.remainder),
                    s.amount,
                    line.used,
                    s.reason + adjusted,
                ]
            yield _subtotal(form_block.name, f"Cộng {group.name}", len(group.lines), group)
        yield _subtotal(f"Cộng {form_block.name}", "", form_block.units, form_block)


def _subtotal(first: str, second: str, units: int, block: GroupBlock | FormBlock) -> Subtotal:
    return Subtotal([first, second, f"{units} đơn vị", block.members, "", "", "", block.seats, block.used, ""])


def _decimal(value) -> str:
    """3 decimals with the Vietnamese comma, as on the page."""
    return f"{value:.3f}".replace(".", ",")


def shares_xlsx(rnd: Round, blocks: list[FormBlock], wanted: ShareFilter) -> FileResponse:
    """The share-out as shown (same filter), one line per unit, a subtotal per khối and per form."""
    narrowed = " (đã lọc)" if wanted.active else ""
    output, _ = write_list(
        heading=[rnd.unit.name],
        title=f"Phân bổ suất khen thưởng – {rnd}",
        subtitle=f"Phương pháp số dư lớn nhất · lập ngày {timezone.localdate():%d/%m/%Y}{narrowed}",
        columns=EXCEL_COLUMNS,
        rows=_excel_rows(blocks),
        sheet_name="Phân bổ suất",
    )
    return FileResponse(output, as_attachment=True, filename=f"phan-bo-suat-dot-{rnd.pk}.xlsx", content_type=XLSX_TYPE)
