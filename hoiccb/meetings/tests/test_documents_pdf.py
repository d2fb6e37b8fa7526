"""The meeting's documents read back as printed (LibreOffice PDF): programme, invitations, conclusions."""

import datetime

import pytest

from hoiccb.conftest import seat_officer
from hoiccb.lib.pdf import docx_to_pdf
from hoiccb.lib.tests import pdfcheck
from hoiccb.meetings import docs, services
from hoiccb.meetings import places as meeting_places

CHAIR = "Đỗ Văn Chính"


@pytest.fixture
def prepared(meeting, cast, tree):
    seat_officer(tree["bloc"], CHAIR, home=tree["unit_a"])
    for hour, content, who in (
        (8, "Đón tiếp đại biểu", "Ban tổ chức"),
        (9, "Báo cáo tổng kết phong trào thi đua Cựu chiến binh gương mẫu giai đoạn 2019–2024", "Chủ tịch Hội"),
        (10, "Khen thưởng các tập thể, cá nhân tiêu biểu", "Ban Thường vụ"),
    ):
        services.agenda_add(
            actor=cast["khoi"], meeting=meeting, time=datetime.time(hour), content=content, presenter=who
        )
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Nguyễn Văn Bí", title="Bí thư Đảng ủy Khối")
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Bà Lê Thị Hoa", organisation="Hội CCB tỉnh")
    return meeting


def test_programme_prints_ready_to_sign(prepared):
    doc = pdfcheck.read(docs.programme_pdf(prepared))
    pdfcheck.check_decree_30(doc, signer=CHAIR, numbered=False)
    assert "CHƯƠNG TRÌNH" in doc.text and "09:00" in doc.text
    # Organisation top-left, motto top-right: both on the header's first line.
    assert "HỘI CCB TỈNH" in doc.lines(0)[0] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.lines(0)[0]
    assert "–" not in "\n".join(doc.lines(0)[:3])  # the motto is written with hyphens


def test_invitations_numbered_addressed_and_signed(prepared):
    one = pdfcheck.read(docx_to_pdf(docs.invitation(prepared.guests.get(name="Nguyễn Văn Bí"))))
    pdfcheck.check_decree_30(one, signer=CHAIR)
    assert any("Số: ……/GM-CCB" in line for line in one.lines(0))
    assert "Kính gửi: Đồng chí Nguyễn Văn Bí – Bí thư Đảng ủy Khối" in one.text
    assert "Nơi nhận:" in one.text and "TM. BAN THƯỜNG VỤ" in one.text
    both = pdfcheck.read(docx_to_pdf(docs.invitations(prepared)))
    pdfcheck.check_decree_30(both, signer=CHAIR, one_page_documents=True)
    assert len(both.pages) == 2 and "Kính gửi: Bà Lê Thị Hoa – Hội CCB tỉnh" in both.pages[1]


def test_working_session_conclusions_print_ready_to_sign(prepared, cast):
    services.conclusion_add(
        actor=cast["khoi"],
        meeting=prepared,
        text="Các cơ sở hoàn thành báo cáo tổng kết.",
        action="Nộp báo cáo tổng kết",
        owner=cast["coso1"],
        due_date=datetime.date(2025, 1, 10),
    )
    doc = pdfcheck.read(docx_to_pdf(docs.conclusions(prepared)))
    pdfcheck.check_decree_30(doc, signer=CHAIR)
    assert "THÔNG BÁO" in doc.text and "hoàn thành trước ngày 10/01/2025" in doc.text


def test_conclusions_are_for_the_meetings_managers(prepared, cast, login):
    url = f"/hoi-nghi/{prepared.pk}/thong-bao-ket-luan.docx"
    page = login(cast["khoi"]).get(f"/hoi-nghi/{prepared.pk}/").content.decode()
    assert url in page and url.replace(".docx", ".pdf") in page
    assert login(cast["khoi"]).get(url).status_code == 200
    assert login(cast["coso2"]).get(url).status_code == 404
