"""The upward dossier: tờ trình (DOCX), list (XLSX), achievement summaries (DOCX), the ZIP, and recording it sent."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from docx.shared import Mm

from hoiccb.awards.documents import dossier
from hoiccb.awards.documents import services as document_services
from hoiccb.awards.history import services as history_services
from hoiccb.awards.models import AwardEvent, NominationState, UpwardDossier
from hoiccb.awards.rounds import services
from hoiccb.org import services as org_services

S = NominationState
SENT_ON = datetime.date(2024, 6, 10)


@pytest.fixture
def upward(round_, cast, tree, people, forms):
    """Three Bằng khen tỉnh nominations approved and moved upward: Hùng and Ân (unit A), Hải (unit B)."""
    form = forms["bang-khen-tinh"]
    services.quota_set(actor=cast["khoi"], round=round_, form=form, basis="number", value=3)
    term = org_services.term_create(actor=cast["khoi"], unit=tree["unit_a"], start_year=2022, end_year=2027)
    org_services.officer_assign(
        actor=cast["khoi"],
        unit=tree["unit_a"],
        term=term,
        member=people["hung"],
        role="chu_tich",
        start_date=datetime.date(2022, 7, 1),
    )
    history_services.award_record_add(
        actor=cast["khoi"], form=forms["giay-khen-khoi"], year=2020, member=people["hung"]
    )
    for key, unit, chair in (("hung", "unit_a", "coso1"), ("an", "unit_a", "coso1"), ("hai", "unit_b", "coso2")):
        n = services.nominate(
            actor=cast[chair],
            round=round_,
            form=form,
            unit=tree[unit],
            member=people[key],
            summary=f"Gương mẫu chấp hành chủ trương.\nTích cực giúp {people[key].full_name} phát triển kinh tế.",
        )
        services.transition(actor=cast[chair], nomination=n, to=S.SUBMITTED)
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
        services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=9, no=0, abstain=0)
        services.transition(actor=cast["khoi"], nomination=n, to=S.UPWARD)
    return form


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def test_cover_letter_in_the_decree_30_layout(round_, upward, cast):
    d = dossier.dossier_for(round_, upward)
    doc = Document(io.BytesIO(dossier.cover_docx(d)))
    section = doc.sections[0]
    margins = section.left_margin, section.right_margin, section.top_margin, section.page_width
    margin_left, margin_right, top, width = margins
    assert margin_left is not None and margin_right is not None and top is not None and width is not None
    assert abs(margin_left - Mm(30)) < Mm(1) and abs(margin_right - Mm(15)) < Mm(1)
    assert abs(top - Mm(20)) < Mm(1) and abs(width - Mm(210)) < Mm(1)
    (left, right), (number, when) = doc.tables[0].rows[0].cells, doc.tables[0].rows[1].cells
    assert [p.text for p in left.paragraphs if p.text] == ["HỘI CCB TỈNH", "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert (number.text, when.text) == ("Số: ……/TTr-CCB", "Yên Bái, ngày …… tháng …… năm ……")
    assert {r.font.name for p in doc.paragraphs for r in p.runs if r.text} == {"Times New Roman"}
    body = texts(doc)
    assert body[:2] == ["TỜ TRÌNH", "Về việc đề nghị tặng Bằng khen của Hội CCB tỉnh"]
    assert "Kính gửi: Ban Thường vụ Hội CCB tỉnh" in body
    assert any("tặng Bằng khen của Hội CCB tỉnh cho 3 cá nhân (có danh sách" in t for t in body)
    assert "- Hội CCB Sở Tài chính: 2 cá nhân;" in body and "- Hội CCB Sở Y tế: 1 cá nhân;" in body
    # Once recorded as sent, the number and date are printed.
    document_services.dossier_send(
        actor=cast["khoi"],
        round=round_,
        form=upward,
        seq=7,
        sent_on=SENT_ON,
        signer="Nguyễn Văn Thắng",
        place="Yên Bái",
    )
    doc = Document(io.BytesIO(dossier.cover_docx(dossier.dossier_for(round_, upward))))
    number, when = doc.tables[0].rows[1].cells
    assert (number.text, when.text) == ("Số: 07/TTr-CCB", "Yên Bái, ngày 10 tháng 6 năm 2024")
    assert "Nguyễn Văn Thắng" in [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs]


def test_central_forms_are_addressed_through_the_province(round_, upward, forms):
    d = dossier.dossier_for(round_, upward)
    d.form = forms["bang-khen-trung-uong"]
    assert d.addressee == "Ban Thường vụ Trung ương Hội Cựu chiến binh Việt Nam (qua Ban Thường vụ Hội CCB tỉnh)"


def test_list_sorted_by_unit_then_vietnamese_names(round_, upward):
    sheet, count = dossier.list_xlsx(dossier.dossier_for(round_, upward))
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[header] == ("STT", "Họ và tên", "Năm sinh", "Đơn vị", "Chức vụ", "Hình thức", "Tóm tắt thành tích")
    data = rows[header + 1 : header + 1 + count]
    assert count == 3 and [r[1] for r in data] == ["Lê Thị Ân", "Nguyễn Văn Hùng", "Trần Văn Hải"]
    assert [r[3] for r in data] == ["Hội CCB Sở Tài chính", "Hội CCB Sở Tài chính", "Hội CCB Sở Y tế"]
    assert data[1][4] == "Chủ tịch Hội CCB Sở Tài chính" and data[0][4] == "Hội viên"
    assert data[0][2] == 1950 and data[0][5] == "Bằng khen của Hội CCB tỉnh"
    assert data[0][6].startswith("Gương mẫu chấp hành chủ trương. Tích cực")


def test_summaries_one_section_per_nominee(round_, upward):
    doc = Document(io.BytesIO(dossier.summaries_docx(dossier.dossier_for(round_, upward))))
    assert len(doc.sections) == 3
    body = texts(doc)
    assert body.count("BÁO CÁO TÓM TẮT THÀNH TÍCH") == 3
    assert "- Họ và tên: Nguyễn Văn Hùng" in body and "- Chức vụ: Chủ tịch Hội CCB Sở Tài chính" in body
    assert "- Năm 2020: Giấy khen của Hội CCB Khối" in body
    assert "- Hội viên CCB gương mẫu các năm 2019, 2020, 2021, 2022, 2023, 2024." in body
    assert {r.font.name for p in doc.paragraphs for r in p.runs if r.text} == {"Times New Roman"}


def test_zip_and_single_downloads_through_the_page(login, round_, upward, cast):
    client = login(cast["khoi"])
    page = client.get(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/").content.decode()
    assert "Bằng khen của Hội CCB tỉnh" in page and "Chưa gửi" in page and "Nguyễn Văn Hùng" in page
    url = f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/tai-ve/?hinh_thuc={upward.pk}"
    response = client.get(url + "&tep=zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''H%E1%BB%93%20s%C6%A1" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["01-to-trinh.docx", "02-danh-sach.xlsx", "03-tom-tat-thanh-tich.docx"]
    assert "TỜ TRÌNH" in texts(Document(io.BytesIO(archive.read("01-to-trinh.docx"))))
    assert openpyxl.load_workbook(io.BytesIO(archive.read("02-danh-sach.xlsx"))).active.max_row >= 6
    assert len(Document(io.BytesIO(archive.read("03-tom-tat-thanh-tich.docx"))).sections) == 3
    for which, kind in (
        ("to-trinh", "wordprocessingml"),
        ("danh-sach", "spreadsheetml"),
        ("tom-tat", "wordprocessingml"),
    ):
        response = client.get(f"{url}&tep={which}")
        assert response.status_code == 200 and kind in response["Content-Type"], which
    assert client.get(f"{url}&tep=khac").status_code == 404
    assert client.get(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/tai-ve/?hinh_thuc=abc").status_code == 404


def test_recording_the_dossier_sent(login, round_, upward, cast):
    client = login(cast["khoi"])
    url = f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/"
    bad = client.post(
        url, {"hinh_thuc": upward.pk, "seq": "7", "sent_on": "31/02/2024", "signer": "X", "place": "Yên Bái"}
    )
    assert "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024." in bad.content.decode()
    assert not UpwardDossier.objects.exists()
    data = {
        "hinh_thuc": upward.pk,
        "seq": "7",
        "sent_on": "10/06/2024",
        "signer": "Nguyễn Văn Thắng",
        "place": "Yên Bái",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "Đã ghi gửi hồ sơ Bằng khen của Hội CCB tỉnh: Tờ trình số 07/TTr-CCB." in page
    sent = UpwardDossier.objects.get()
    assert (sent.number, sent.sent_on, sent.sent_by, sent.nominations) == ("07/TTr-CCB", SENT_ON, cast["khoi"], 3)
    event = AwardEvent.objects.get(action="dossier_send")
    assert "Tờ trình số 07/TTr-CCB ngày 10/06/2024" in event.summary
    nomination = sent.round.nominations.filter(form=upward)[0]
    step = nomination.events.latest("at", "id")
    assert (step.action, step.unit_path) == ("dossier_sent", nomination.unit_path)
    assert step.summary == "Gửi hồ sơ đề nghị cấp trên: Tờ trình số 07/TTr-CCB ngày 10/06/2024"
    # Correcting the number keeps one record and says what changed.
    client.post(url, {**data, "seq": "8"})
    assert UpwardDossier.objects.get().number == "08/TTr-CCB"
    assert AwardEvent.objects.filter(action="dossier_send")[0].changes["trước"] == ["07/TTr-CCB", "10/06/2024"]
    nomination.refresh_from_db()
    assert nomination.state == S.UPWARD


def test_dossier_rules_and_access(login, round_, upward, cast, forms):
    with pytest.raises(PermissionDenied):
        document_services.dossier_send(
            actor=cast["coso1"], round=round_, form=upward, seq=1, sent_on=SENT_ON, signer="X", place="Yên Bái"
        )
    with pytest.raises(ValidationError, match="Không có đề nghị Kỷ niệm chương"):
        document_services.dossier_send(
            actor=cast["khoi"],
            round=round_,
            form=forms["ky-niem-chuong"],
            seq=1,
            sent_on=SENT_ON,
            signer="X",
            place="Y",
        )
    with pytest.raises(ValidationError, match="người ký"):
        document_services.dossier_send(
            actor=cast["khoi"], round=round_, form=upward, seq=1, sent_on=SENT_ON, signer=" ", place="Y"
        )
    # A chair sees the round, not its dossier; a bloc form (Giấy khen) is not proposed upward.
    chair = login(cast["coso1"])
    assert chair.get(f"/thi-dua/dot/{round_.pk}/").status_code == 200
    assert chair.get(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/").status_code == 404
    url = f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/tai-ve/?hinh_thuc={upward.pk}&tep=zip"
    assert chair.get(url).status_code == 404
    bloc = login(cast["khoi"])
    gk = forms["giay-khen-khoi"].pk
    assert bloc.get(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/tai-ve/?hinh_thuc={gk}").status_code == 404
    assert "Hồ sơ đề nghị cấp trên" in bloc.get(f"/thi-dua/dot/{round_.pk}/").content.decode()
    assert not UpwardDossier.objects.exists()
