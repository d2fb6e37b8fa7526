"""The invitations' number (Số: 03/GM-CCB), given on first print from the unit's count of the year,
and one guest's invitation as PDF."""

import datetime
import io

import docx
import pypdf
from django.utils import timezone

from hoiccb.lib import pdf_jobs
from hoiccb.meetings import docs, services
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings.models import Meeting, MeetingEvent


def header_text(data: bytes) -> str:
    return "\n".join(cell.text for row in docx.Document(io.BytesIO(data)).tables[0].rows for cell in row.cells)


def another_meeting(cast, unit, title="Hội nghị sơ kết 6 tháng") -> Meeting:
    """A meeting with one guest to invite."""
    meeting = services.meeting_create(
        actor=cast["khoi"],
        unit=unit,
        kind="tong_ket",
        title=title,
        starts_at=timezone.make_aware(datetime.datetime(2025, 6, 20, 8, 0)),
    )
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Trần Văn Khách")
    return meeting


def test_invitations_take_the_units_next_number_of_the_year_and_keep_it(login, cast, tree, meeting):
    guest = meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Nguyễn Văn Bí")
    client = login(cast["khoi"])
    first = client.get(f"/hoi-nghi/khach/{guest.pk}/giay-moi.docx")
    assert first.status_code == 200 and "Số: 01/GM-CCB" in header_text(first.content)
    # Reprinted, one or all: the same number and date, and no second audit entry.
    again = client.get(f"/hoi-nghi/{meeting.pk}/giay-moi.docx")
    assert "Số: 01/GM-CCB" in header_text(again.content)
    assert header_text(again.content) == header_text(first.content)
    assert MeetingEvent.objects.filter(meeting=meeting, summary__startswith="Cấp số giấy mời").count() == 1

    second = another_meeting(cast, tree["bloc"])
    assert "Số: 02/GM-CCB" in header_text(client.get(f"/hoi-nghi/{second.pk}/giay-moi.docx").content)
    # Another unit counts on its own.
    other = another_meeting(cast, tree["unit_a"], "Hội nghị Hội cơ sở")
    assert "Số: 01/GM-CCB" in header_text(client.get(f"/hoi-nghi/{other.pk}/giay-moi.docx").content)
    # A meeting without guests takes no number.
    empty = services.meeting_create(
        actor=cast["khoi"], unit=tree["bloc"], title="Họp Ban Thường vụ", starts_at=timezone.now()
    )
    client.get(f"/hoi-nghi/{empty.pk}/giay-moi.docx")
    assert Meeting.objects.get(pk=empty.pk).invitation_number is None


def test_the_count_starts_again_each_year(login, cast, tree, meeting):
    last_year = timezone.localdate().year - 1
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Nguyễn Văn Bí")
    Meeting.objects.filter(pk=meeting.pk).update(
        invitation_number=41, invitation_year=last_year, invitation_dated=datetime.date(last_year, 12, 1)
    )
    fresh = another_meeting(cast, tree["bloc"])
    numbered = services.invitation_number_give(actor=cast["khoi"], meeting=fresh)
    assert (numbered.invitation_number, numbered.invitation_year) == (1, last_year + 1)
    # The old one keeps its number and its date.
    assert f"ngày 01 tháng 12 năm {last_year}" in header_text(
        login(cast["khoi"]).get(f"/hoi-nghi/{meeting.pk}/giay-moi.docx").content
    )
    assert "Số: 41/GM-CCB" in header_text(docs.invitations(Meeting.objects.get(pk=meeting.pk)))


def test_only_the_meetings_managers_print_and_number_invitations(login, cast, meeting):
    guest = meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Nguyễn Văn Bí")
    assert login(cast["coso2"]).get(f"/hoi-nghi/khach/{guest.pk}/giay-moi.pdf").status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).invitation_number is None


def test_one_guests_invitation_as_pdf(login, cast, meeting):
    guest = meeting_places.guest_add(
        actor=cast["khoi"], meeting=meeting, name="Nguyễn Văn Bí", title="Bí thư Đảng ủy Khối"
    )
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Bà Lê Thị Hoa")
    client = login(cast["khoi"])
    assert f"/hoi-nghi/khach/{guest.pk}/giay-moi.pdf" in client.get(f"/hoi-nghi/{meeting.pk}/").content.decode()
    url = f"/hoi-nghi/khach/{guest.pk}/giay-moi.pdf"
    assert 'role="progressbar"' in client.get(url).content.decode()  # converting in the background
    guest.meeting.refresh_from_db()
    pdf_jobs.convert(pdf_jobs.key_of(docs.invitation(guest)))  # what the worker's task does
    response = client.get(url)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert f"giay-moi-{guest.pk}.pdf" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert len(reader.pages) == 1 and "Số: 01/GM-CCB" in text
    assert "Kính gửi: Đồng chí Nguyễn Văn Bí – Bí thư Đảng ủy Khối" in text and "Lê Thị Hoa" not in text


def test_all_invitations_one_per_page_with_no_break_paragraph(login, cast, meeting):
    from docx.oxml.ns import qn

    from hoiccb.lib.pdf import docx_to_pdf, soffice
    from hoiccb.lib.tests import pdfcheck

    names = ["Nguyễn Văn Bí", "Bà Lê Thị Hoa", "Trần Văn Khách"]
    for name in names:
        meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name=name, title="Bí thư Đảng ủy Khối")
    data = login(cast["khoi"]).get(f"/hoi-nghi/{meeting.pk}/giay-moi.docx").content
    body = docx.Document(io.BytesIO(data)).element.body
    assert not body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")  # no paragraph holding only a break
    headers = body.findall(qn("w:tbl"))[::2]  # each invitation: its header table, then its signature table
    assert len(headers) == 3
    for header in headers[1:]:  # each later invitation starts its page by page-break-before
        starter = header.getprevious()
        assert starter.tag == qn("w:p") and starter.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    if soffice() is None:
        return
    pages = pdfcheck.read(docx_to_pdf(data)).pages
    assert len(pages) == 3
    for page, name in zip(pages, ["Nguyễn Văn Bí", "Lê Thị Hoa", "Trần Văn Khách"], strict=True):
        assert "GIẤY MỜI" in page and name in page
