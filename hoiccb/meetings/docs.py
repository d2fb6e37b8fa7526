"""Word documents of a meeting: the printed programme and the invitations (python-docx)."""

import io

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from hoiccb.meetings.models import Guest, Meeting

FONT = "Times New Roman"


def _document() -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    return document


def _centred(document, text: str, *, bold=False, size=13, italic=False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    return paragraph


def _heading(document, meeting: Meeting) -> None:
    _centred(document, meeting.unit.name.upper(), bold=True)
    _centred(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _centred(document, "Độc lập – Tự do – Hạnh phúc", bold=True)


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local:%H} giờ {local:%M}, ngày {local:%d/%m/%Y}"


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def programme(meeting: Meeting) -> bytes:
    document = _document()
    _heading(document, meeting)
    _centred(document, "CHƯƠNG TRÌNH", bold=True, size=15)
    _centred(document, meeting.title, bold=True)
    _centred(document, f"Thời gian: {_when(meeting)}. Địa điểm: {meeting.venue or '…'}", italic=True)
    items = list(meeting.agenda.all())
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("TT", "Thời gian", "Nội dung", "Người thực hiện"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for number, item in enumerate(items, 1):
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[1].text = f"{item.time:%H:%M}" if item.time else ""
        cells[2].text = item.content
        cells[3].text = item.presenter
    return _bytes(document)


def _invitation(document, meeting: Meeting, guest: Guest) -> None:
    _heading(document, meeting)
    _centred(document, "GIẤY MỜI", bold=True, size=15)
    addressee = ", ".join(p for p in (guest.title, guest.organisation) if p)
    _centred(document, f"Kính gửi: {guest.name}{f' – {addressee}' if addressee else ''}", bold=True)
    document.add_paragraph(f"{meeting.unit.name} trân trọng kính mời đồng chí tới dự {meeting.title}.")
    document.add_paragraph(f"Thời gian: {_when(meeting)}.")
    document.add_paragraph(f"Địa điểm: {meeting.venue or '…'}.")
    document.add_paragraph("Sự có mặt của đồng chí góp phần vào thành công của hội nghị.")
    closing = document.add_paragraph(f"TM. {meeting.unit.name.upper()}")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def invitation(guest: Guest) -> bytes:
    document = _document()
    _invitation(document, guest.meeting, guest)
    return _bytes(document)


def invitations(meeting: Meeting) -> bytes:
    """Every guest's invitation, one per page."""
    document = _document()
    for number, guest in enumerate(meeting.guests.all()):
        if number:
            document.add_page_break()
        _invitation(document, meeting, guest)
    return _bytes(document)


def programme_pdf(meeting: Meeting) -> bytes:
    """The programme as PDF (WeasyPrint; needs Pango and a Times-compatible font, see install-system-deps.sh)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "meetings/programme_pdf.html", {"meeting": meeting, "agenda": meeting.agenda.all(), "when": _when(meeting)}
    )
    return HTML(string=html).write_pdf()
