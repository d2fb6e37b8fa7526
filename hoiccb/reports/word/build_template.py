"""Build the default Word template of a report (`bao_cao.docx`) in the Decree 30 layout.

The committed .docx is what the app renders (with docxtpl); an office may replace it with
its own, keeping the {{ … }} fields. Run `python -m hoiccb.reports.word.build_template`
to rebuild it after changing this file.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATE = Path(__file__).with_name("bao_cao.docx")


def _para(container, text="", *, bold=False, italic=False, underline=False, size=14, align=None, indent=False):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(3)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    return p


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    doc.paragraphs and doc.paragraphs[0]._element.getparent().remove(doc.paragraphs[0]._element)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].text = ""
    _para(left, "{{ parent_name|upper }}", size=13, align=center)
    _para(left, "{{ unit_name|upper }}", bold=True, size=13, align=center)
    _para(left, "―――――", size=10, align=center)
    _para(left, "Số: {{ number }}", size=13, align=center)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=center)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13, align=center)
    _para(right, "")
    _para(right, "{{ date_line }}", italic=True, size=14, align=center)

    _para(doc, "")
    _para(doc, "BÁO CÁO", bold=True, align=center)
    _para(doc, "{{ title }}", bold=True, align=center)
    _para(doc, "―――――", size=10, align=center)

    just = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True, align=just, indent=True)
    _para(doc, "{%p for s in sections %}")
    _para(doc, "{{ s.number }}. {{ s.title }}", bold=True, align=just, indent=True)
    _para(doc, "{%p for line in s.lines %}")
    _para(doc, "{{ line }}", align=just, indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ figures_heading }}", bold=True, align=just, indent=True)
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("TT", "Chỉ tiêu", "Số liệu"), strict=True):
        cell.paragraphs[0].alignment = center
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(13)
    # A {%tr %} tag takes its whole row: the loop opens and closes in rows of their own.
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for f in figures %}")
    cells = table.rows[2].cells
    cells[0].paragraphs[0].add_run("{{ f.number }}").font.size = Pt(13)
    cells[1].paragraphs[0].add_run("{{ f.label }}").font.size = Pt(13)
    cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cells[2].paragraphs[0].add_run("{{ f.value }}").font.size = Pt(13)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _para(doc, "{%p if missing %}")
    _para(
        doc,
        "Số liệu tổng hợp từ báo cáo đã duyệt; chưa có báo cáo của: {{ missing }}.",
        italic=True,
        align=just,
        indent=True,
    )
    _para(doc, "{%p endif %}")
    _para(doc, "II. TỒN TẠI, HẠN CHẾ", bold=True, align=just, indent=True)
    _para(doc, "{%p for line in shortcomings %}")
    _para(doc, "{{ line }}", align=just, indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ next_period }}", bold=True, align=just, indent=True)
    _para(doc, "{%p for line in plan %}")
    _para(doc, "{{ line }}", align=just, indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "")

    sign = doc.add_table(rows=1, cols=2)
    recipients, signature = sign.rows[0].cells
    recipients.paragraphs[0].text = ""
    p = _para(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    p.paragraph_format.space_after = Pt(0)
    for line in ("- {{ parent_name }};", "- Các Hội CCB cơ sở;", "- Lưu: VT."):
        _para(recipients, line, size=11).paragraph_format.space_after = Pt(0)
    _para(signature, "TM. BAN THƯỜNG VỤ", bold=True, align=center)
    _para(signature, "CHỦ TỊCH", bold=True, align=center)
    for _ in range(3):
        _para(signature, "")
    _para(signature, "{{ signer }}", bold=True, align=center)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
