"""A celebration list as Excel (lib.excel) and as a Word list for signing (lib.word)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import FileResponse

from hoiccb.lib import word
from hoiccb.lib.excel import XLSX_TYPE, Column, write_list
from hoiccb.lib.forms import today
from hoiccb.members.celebrations.selectors import Entry
from hoiccb.org.models import Unit
from hoiccb.org.selectors import place_of, signer_for

HEADINGS = ["Họ và tên", "Ngày sinh", "Đơn vị", "Mốc kỷ niệm", "Tính từ"]


def _row(e: Entry) -> list[str]:
    return [e.member.full_name, str(e.member.birth_date or ""), e.member.unit.name, e.milestone, e.date_text]


def list_xlsx(unit: Unit, title: str, subtitle: str, rows: Iterable[Entry], filename: str) -> FileResponse:
    output, _ = write_list(
        heading=[unit.name],
        title=title,
        subtitle=subtitle,
        columns=[
            Column("Họ và tên", 28),
            Column("Ngày sinh", 12),
            Column("Đơn vị", 32),
            Column("Mốc kỷ niệm", 26),
            Column("Tính từ", 12),
        ],
        rows=(_row(e) for e in rows),
    )
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def list_docx(unit: Unit, title: str, subtitle: str, rows: Iterable[Entry]) -> bytes:
    """Return the list for signing as .docx bytes, in the Decree 30 layout (lib.word), signed for the unit today."""
    doc = word.new()
    parent = unit.parent
    on = today()
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=unit.name.upper(),
        number=word.doc_number(None, "DS-CCB"),
        date_line=word.date_line(place_of(unit), on),
    )
    word.doc_title(doc, title.upper())
    word.para(doc, subtitle, size=13, italic=True, align=word.CENTER)
    word.list_table(doc, ["STT", *HEADINGS], [[str(i), *_row(e)] for i, e in enumerate(rows, start=1)], size=12)
    word.signature(doc, receivers=["- Như trên;", "- Lưu VP."], signer=signer_for(unit, on))
    return word.to_bytes(doc)
