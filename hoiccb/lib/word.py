"""Word layout of official documents (Decree 30/2020/NĐ-CP), in python-docx.

What it offers, all on plain values (strings, dates, lists; never models):

- `date_line`: "Yên Bái, ngày 05 tháng 6 năm 2024", as the Decree writes it;
- `setup_page`: A4 portrait, the Decree's margins, Times New Roman 14;
- `decree_header`: the two-column header (parent body, issuing body, "Số: …" on the left;
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and the date line on
  the right);
- `para`, `titles`, `body`: one-run paragraphs, centred bold titles, indented justified text;
- `signature_block`: "Nơi nhận" with its list on the left, on behalf of whom, title and
  name on the right;
- `list_table`: a bordered table with a bold heading row;
- `to_bytes`: the document as .docx bytes.

Used by the awards documents (decision template, upward dossier); the meetings and reports
documents still build their own and may move here.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def date_line(place: str, day: datetime.date | None) -> str:
    """Return "Yên Bái, ngày 05 tháng 6 năm 2024" (Decree 30: day < 10 and months 1–2 with a leading 0)."""
    place = place or "……"
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def para(
    doc_or_cell: Document | _Cell,
    text: str = "",
    *,
    size: int = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
) -> Paragraph:
    """Add a paragraph of one Times New Roman run; returns the paragraph."""
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.7)
    p.paragraph_format.space_after = Pt(3)
    run = p.add_run(text)
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return p


def setup_page(doc: Document) -> None:
    """Set A4 portrait, margins 20/20/30/15 mm, Times New Roman 14 as the normal style."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def decree_header(doc: Document, *, parent_name: str, unit_name: str, number: str, date_line: str) -> Table:
    """Add the header table and return it.

    Parent body and issuing unit over "Số: …" on the left, the national motto and the place
    and date on the right. Texts are written as given (callers pass the bodies in capitals).
    """
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    para(left, parent_name, size=13, align=CENTER)
    para(left, unit_name, size=13, bold=True, align=CENTER)
    para(left, "———", size=13, align=CENTER)
    para(left, f"Số: {number}", size=13, align=CENTER)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=CENTER)
    para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align=CENTER)
    para(right, date_line, size=13, italic=True, align=CENTER)
    return header


def titles(doc: Document, *lines: str) -> None:
    """Add each line as a centred bold title."""
    for line in lines:
        para(doc, line, bold=True, align=CENTER)


def body(doc: Document, lines: Sequence[str], *, italic: bool = False) -> None:
    """Add each line as a justified paragraph with a first-line indent."""
    for line in lines:
        para(doc, line, italic=italic, indent=True, align=JUSTIFY)


def signature_block(doc: Document, *, receivers: Sequence[str], signer_lines: Sequence[str], signer: str) -> Table:
    """Add the signature table and return it.

    "Nơi nhận:" (bold italic 12, its list in 11) on the left; on behalf of whom, the title
    and, after room for the signature, the name on the right.
    """
    sign = doc.add_table(rows=1, cols=2)
    where, who = sign.rows[0].cells
    where.paragraphs[0].text = ""
    para(where, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in receivers:
        para(where, line, size=11)
    for line in signer_lines:
        para(who, line, bold=True, align=CENTER)
    for _ in range(3):
        para(who, "")
    para(who, signer, bold=True, align=CENTER)
    return sign


def list_table(doc: Document, headings: Sequence[str], rows: Sequence[Sequence[str]], *, size: int = 13) -> Table:
    """Add a bordered table, a bold heading row and then one row per item; returns it."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.name, run.font.size = True, FONT, Pt(size)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.name, run.font.size = FONT, Pt(size)
    return table


def to_bytes(doc: Document) -> bytes:
    """Return the document as .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
