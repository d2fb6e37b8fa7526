"""A fund's statement for a period: Excel (lib.excel) and DOCX (lib.word)."""

from __future__ import annotations

from django.http import FileResponse

from hoiccb.finance.selectors import FundStatement
from hoiccb.lib import word
from hoiccb.lib.excel import XLSX_TYPE, Column, write_list
from hoiccb.lib.forms import today
from hoiccb.lib.vietnamese import format_money
from hoiccb.org.selectors import place_of, signer_for


def _title(s: FundStatement) -> tuple[str, str]:
    return (
        f"SỔ QUỸ – {s.fund.name.upper()}",
        f"Từ ngày {s.start:%d/%m/%Y} đến ngày {s.end:%d/%m/%Y}",
    )


def _rows(s: FundStatement) -> list[tuple]:
    running = s.opening
    rows: list[tuple] = [(None, "Số dư đầu kỳ", "", None, None, s.opening)]
    for e in s.entries:
        running += e.amount
        rows.append((e.on, e.get_category_display(), e.description, e.income or None, e.expense or None, running))
    rows.append((None, "Cộng phát sinh", "", s.income, s.expense, None))
    rows.append((None, "Số dư cuối kỳ", "", None, None, s.closing))
    return rows


def statement_xlsx(s: FundStatement) -> FileResponse:
    title, subtitle = _title(s)
    output, _ = write_list(
        heading=[s.fund.unit.name],
        title=title,
        subtitle=subtitle,
        columns=[
            Column("Ngày", 12, "date"),
            Column("Khoản", 26),
            Column("Nội dung", 40),
            Column("Thu (đồng)", 15, "int"),
            Column("Chi (đồng)", 15, "int"),
            Column("Tồn quỹ (đồng)", 16, "int"),
        ],
        rows=_rows(s),
        sheet_name="Sổ quỹ",
    )
    return FileResponse(output, as_attachment=True, filename=f"so-quy-{s.end:%Y%m%d}.xlsx", content_type=XLSX_TYPE)


def statement_docx(s: FundStatement) -> bytes:
    """Return the statement as .docx bytes, in the Decree 30 layout (lib.word), signed for the unit on its last day."""
    title, subtitle = _title(s)
    unit = s.fund.unit
    parent = unit.parent
    doc = word.new()
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=unit.name.upper(),
        number=None,
        date_line=word.date_line(place_of(unit), today()),
    )
    word.doc_title(doc, title)
    word.para(doc, subtitle, size=13, italic=True, align=word.CENTER)

    def money(value: int | None) -> str:
        return format_money(value) if value is not None else ""

    rows = [
        [f"{on:%d/%m/%Y}" if on else "", kind, text, money(income), money(expense), money(balance)]
        for on, kind, text, income, expense, balance in _rows(s)
    ]
    word.list_table(doc, ["Ngày", "Khoản", "Nội dung", "Thu", "Chi", "Tồn quỹ"], rows, size=11)
    word.signature(doc, receivers=["- Ban Thường vụ;", "- Lưu sổ quỹ."], signer=signer_for(unit, s.end))
    return word.to_bytes(doc)
