"""Documents of a decision: the decision itself (DOCX, Decree 30/2020 layout) and the certificates (PDF).

The DOCX starts from `MEDIA_ROOT/awards/mau-quyet-dinh.docx` when an administrator has put
one there (its page setup, styles and headers are kept), otherwise from python-docx's blank.
"""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hoiccb.awards.models import Decision, Nomination
from hoiccb.lib.vietnamese import collation_key, name_sort_key

FONT = "Times New Roman"


def template_path() -> Path:
    return Path(settings.MEDIA_ROOT) / "awards" / "mau-quyet-dinh.docx"


def recipients(decision: Decision) -> list[Nomination]:
    """The decision's list, sorted by unit, then by Vietnamese collation of the given name and full name."""
    rows = list(Nomination.objects.filter(decision=decision).select_related("member", "nominee_unit", "unit"))

    def key(n: Nomination):
        if n.member_id:
            return (n.unit.path, name_sort_key(n.member.ho, n.member.chu_dem, n.member.ten))
        return (n.unit.path, collation_key(n.nominee_unit.name))

    return sorted(rows, key=key)


def _para(doc_or_cell, text="", *, size=14, bold=False, italic=False, underline=False, align=None, indent=False):
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


def decision_docx(decision: Decision) -> bytes:
    path = template_path()
    doc = Document(str(path)) if path.exists() else Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    unit = decision.unit
    parent = unit.parent
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _para(left, (parent.name if parent else "").upper(), size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, unit.name.upper(), size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, "———", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, f"Số: {decision.number}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    d = decision.issued_on
    _para(
        right,
        f"{decision.place}, ngày {d.day:02d} tháng {d.month} năm {d.year}",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"Về việc tặng {decision.form.name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"BAN THƯỜNG VỤ {unit.name.upper()}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    movement = decision.round.movement
    body = [
        "Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định số 152/2025/NĐ-CP;",
        f"Căn cứ kết quả phong trào {movement.name} giai đoạn {movement.start_year}–{movement.end_year};",
        "Xét đề nghị của Hội đồng Thi đua – Khen thưởng,",
    ]
    for line in body:
        _para(doc, line, italic=True, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = recipients(decision)
    _para(
        doc,
        f"Điều 1. Tặng {decision.form.name} cho {len(rows)} cá nhân, tập thể (có danh sách kèm theo) "
        f"đã có thành tích xuất sắc trong {decision.round.name}.",
        indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    _para(doc, "Điều 2. Quyết định có hiệu lực kể từ ngày ký.", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(
        doc,
        "Điều 3. Văn phòng, các Hội CCB cơ sở và các cá nhân, tập thể có tên tại Điều 1 "
        "chịu trách nhiệm thi hành Quyết định này.",
        indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    sign = doc.add_table(rows=1, cols=2)
    where, who = sign.rows[0].cells
    where.paragraphs[0].text = ""
    _para(where, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in ("- Như Điều 3;", "- Hội CCB tỉnh (để b/c);", "- Lưu: VT."):
        _para(where, line, size=11)
    _para(who, "TM. BAN THƯỜNG VỤ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(who, decision.signer_title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        _para(who, "")
    _para(who, decision.signer, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_page_break()
    _para(doc, "DANH SÁCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"Cá nhân, tập thể được tặng {decision.form.name}\n"
        f"(Kèm theo Quyết định số {decision.number} ngày {d:%d/%m/%Y})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("STT", "Họ và tên / Tập thể", "Năm sinh", "Đơn vị"), strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.name, run.font.size = True, FONT, Pt(13)
    for i, n in enumerate(rows, 1):
        values = (
            str(i),
            n.member.full_name if n.member_id else n.nominee_unit.name,
            str(n.member.birth_year or "") if n.member_id else "",
            n.unit.name,
        )
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.name, run.font.size = FONT, Pt(13)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def certificates_html(decision: Decision) -> str:
    return render_to_string("awards/certificates.html", {"decision": decision, "rows": recipients(decision)})


def certificates_pdf(decision: Decision) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificates_html(decision)).write_pdf()
