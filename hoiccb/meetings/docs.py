"""Word documents of a meeting, in the Decree 30 layout (`lib/word.py`): the printed programme,
the invitations (GIẤY MỜI, per guest or all in one file) and the working-session conclusions
(THÔNG BÁO KẾT LUẬN); each also as PDF, converted from the same DOCX by LibreOffice."""

from django.utils import timezone
from docx.document import Document as DocxDocument

from hoiccb.lib import word
from hoiccb.lib.pdf import docx_to_pdf
from hoiccb.meetings.models import Guest, Meeting
from hoiccb.org.selectors import place_of, signer_for

HONORIFICS = ("đồng chí", "ông", "bà", "anh", "chị")


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local:%H} giờ {local:%M}, ngày {local:%d/%m/%Y}"


def _day(meeting: Meeting):
    return timezone.localtime(meeting.starts_at).date()


def _header(doc: DocxDocument, meeting: Meeting, number: str | None, dated=None) -> None:
    parent = meeting.unit.parent
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=meeting.unit.name.upper(),
        number=number,
        date_line=word.date_line(place_of(meeting.unit), dated or timezone.localdate()),
    )


def _sign(doc: DocxDocument, meeting: Meeting, receivers: list[str]) -> None:
    word.signature(doc, receivers=receivers, signer=signer_for(meeting.unit, _day(meeting)))


def programme(meeting: Meeting) -> bytes:
    """The programme: the header, the title, time and place, the agenda as a table sized to its content."""
    doc = word.new()
    _header(doc, meeting, None)
    word.doc_title(doc, "CHƯƠNG TRÌNH", meeting.title)
    word.body(doc, [f"Thời gian: {_when(meeting)}.", f"Địa điểm: {meeting.venue or '……'}."])
    rows = [
        (str(number), f"{item.time:%H:%M}" if item.time else "", item.content, item.presenter)
        for number, item in enumerate(meeting.agenda.all(), 1)
    ]
    word.para(doc, "")
    word.list_table(
        doc,
        ("TT", "Thời gian", "Nội dung", "Người thực hiện"),
        rows,
        align=(word.CENTER, word.CENTER, None, None),
    )
    _sign(doc, meeting, [])
    return word.to_bytes(doc)


def addressee(guest: Guest) -> str:
    """ "Đồng chí Nguyễn Văn Bí – Bí thư Đảng ủy Khối": the guest's name with the honorific, then title and body."""
    name = guest.name
    if not name.lower().startswith(HONORIFICS):
        name = f"Đồng chí {name}"
    where = ", ".join(p for p in (guest.title, guest.organisation) if p)
    return f"{name} – {where}" if where else name


def _invitation(doc: DocxDocument, meeting: Meeting, guest: Guest) -> None:
    # The number given by services.invitation_number_give when first printed; blank before that.
    _header(doc, meeting, word.doc_number(meeting.invitation_number, "GM-CCB"), meeting.invitation_dated)
    word.doc_title(doc, "GIẤY MỜI", meeting.title)
    word.para(doc, f"Kính gửi: {addressee(guest)}", align=word.CENTER, after=8)
    word.body(
        doc,
        [
            f"Ban Thường vụ {meeting.unit.name} trân trọng kính mời đồng chí tới dự {meeting.title}.",
            f"Thời gian: {_when(meeting)}.",
            f"Địa điểm: {meeting.venue or '……'}.",
            "Sự có mặt của đồng chí góp phần vào thành công của hội nghị./.",
        ],
    )
    _sign(doc, meeting, ["- Như trên;", "- Lưu: VT."])


def invitation(guest: Guest) -> bytes:
    """One guest's invitation."""
    doc = word.new()
    _invitation(doc, guest.meeting, guest)
    return word.to_bytes(doc)


def invitations(meeting: Meeting) -> bytes:
    """Every guest's invitation, one per page (none carries a page number)."""
    doc = word.new(page_numbers=False)
    for number, guest in enumerate(meeting.guests.all()):
        if number:
            word.new_page(doc)  # the next invitation starts with its header table
        _invitation(doc, meeting, guest)
    return word.to_bytes(doc)


def conclusions(meeting: Meeting) -> bytes:
    """THÔNG BÁO KẾT LUẬN of a working session: its recorded conclusions (what, who, by when),
    else the lines of its minutes."""
    doc = word.new()
    _header(doc, meeting, word.doc_number(None, "TB-CCB"))
    word.doc_title(doc, "THÔNG BÁO", f"Kết luận {meeting.title}")
    word.body(
        doc,
        [
            f"Ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y}, tại {meeting.venue or '……'}, "
            f"Ban Thường vụ {meeting.unit.name} tổ chức {meeting.title}. "
            f"Ban Thường vụ thông báo kết luận như sau:",
        ],
    )
    items = list(meeting.conclusions.select_related("owner").order_by("due_date", "id"))
    if items:
        word.body(
            doc,
            [
                f"{i}. {c.text.strip()} Giao {c.owner.full_name or c.owner.username}: {c.action}, "
                f"hoàn thành trước ngày {c.due_date:%d/%m/%Y}."
                for i, c in enumerate(items, 1)
            ],
        )
    else:
        lines = [line.strip() for line in meeting.minutes.splitlines() if line.strip()]
        word.body(doc, lines or ["……"])
    _sign(doc, meeting, ["- Các đơn vị dự họp;", "- Lưu: VT."])
    return word.to_bytes(doc)


def programme_pdf(meeting: Meeting) -> bytes:
    """The programme as PDF, converted from the same DOCX (raises lib.pdf.ConversionError)."""
    return docx_to_pdf(programme(meeting))
