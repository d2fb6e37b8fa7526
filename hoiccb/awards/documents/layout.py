"""The Decree 30/2020 layout in python-docx: page setup, the two-column header, titles, body
paragraphs, the signature block and a list table.

Shared by the decision's default Word template (`decision_template`) and the upward
dossier (`dossier`); imports nothing of the awards app.
"""

import io
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def para(doc_or_cell, text="", *, size=14, bold=False, italic=False, underline=False, align=None, indent=False):
    """Add a paragraph of one Times New Roman run; returns the paragraph."""
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.7)
    p.paragraph_format.space_after = Pt(3)
    run = p.add_run(text)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return p


def setup_page(doc) -> None:
    """A4 portrait, margins 20/20/30/15 mm, Times New Roman 14 as the normal style."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def decree_header(doc, *, parent_name: str, unit_name: str, number: str, date_line: str):
    """The header table: parent body and issuing unit over "Số: …" on the left, the national motto
    and the place and date on the right. Texts are written as given (callers pass them in capitals)."""
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


def titles(doc, *lines: str) -> None:
    for line in lines:
        para(doc, line, bold=True, align=CENTER)


def body(doc, lines: Sequence[str], *, italic=False) -> None:
    for line in lines:
        para(doc, line, italic=italic, indent=True, align=JUSTIFY)


def signature_block(doc, *, receivers: Sequence[str], signer_lines: Sequence[str], signer: str):
    """Nơi nhận (bold italic 12, its list in 11) on the left; on behalf of whom, the title and the name on the right."""
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


def list_table(doc, headings: Sequence[str], rows: Sequence[Sequence[str]], *, size=13):
    """A bordered table: a bold heading row, then one row per item."""
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


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
