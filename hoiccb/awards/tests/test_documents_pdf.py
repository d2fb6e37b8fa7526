"""Every awards document read back as printed: rendered, converted to PDF by LibreOffice (the
certificates by WeasyPrint), and checked page by page as a clerk would before signing."""

import datetime
import io
import re

import pypdf
import pytest
from docx import Document

from hoiccb.awards.documents import certificates, decision_template, dossier
from hoiccb.awards.documents import services as document_services
from hoiccb.awards.documents.models import CitationUse
from hoiccb.awards.documents.selectors import citations
from hoiccb.awards.models import NominationState
from hoiccb.awards.rounds import services
from hoiccb.awards.tests.test_dossier import upward  # noqa: F401  (fixture)
from hoiccb.conftest import seat_officer
from hoiccb.lib import pdf_jobs
from hoiccb.lib.pdf import docx_to_pdf
from hoiccb.lib.tests import pdfcheck
from hoiccb.members.models import Gender, Member

S = NominationState
SIGNED = datetime.date(2024, 2, 5)
CHAIR = "Đỗ Văn Chính"
SUMMARIES = {
    "hung": "Đã vận động 12 hội viên tham gia mô hình kinh tế trang trại, giúp 3 hộ thoát nghèo.",
    "an": "Hoàn thành xuất sắc nhiệm vụ Chi hội trưởng, 5 năm liền chi hội vững mạnh.",
    "hai": "Tích cực tham gia phong trào dân vận khéo.",
}


@pytest.fixture
def decision(round_, cast, tree, people, forms):
    """A decision of 05/02/2024 for three members (Ân a woman), signed by the bloc's Chairman on record."""
    seat_officer(tree["bloc"], CHAIR, home=tree["unit_a"])
    Member.objects.filter(pk=people["an"].pk).update(gender=Gender.FEMALE)
    form = forms["giay-khen-khoi"]
    for key, unit, chair in (("hung", "unit_a", "coso1"), ("an", "unit_a", "coso1"), ("hai", "unit_b", "coso2")):
        n = services.nominate(
            actor=cast[chair], round=round_, form=form, unit=tree[unit], member=people[key], summary=SUMMARIES[key]
        )
        services.transition(actor=cast[chair], nomination=n, to=S.SUBMITTED)
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
        services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=9, no=0, abstain=0)
    return services.decision_issue(actor=cast["khoi"], round=round_, form=form, issued_on=SIGNED, signer=CHAIR)


def test_decision_and_its_annex_print_ready_to_sign(decision):
    doc = pdfcheck.read(docx_to_pdf(decision_template.decision_docx(decision)))
    pdfcheck.check_decree_30(doc, signer=CHAIR)
    first = doc.lines(0)
    assert any("Số: 01/QĐ-CCB" in line and "Yên Bái, ngày 05 tháng 02 năm 2024" in line for line in first)
    assert "QUYẾT ĐỊNH" in first and any(line.startswith("Về việc tặng Giấy khen") for line in first)
    # The citations in force on 05/02/2024: the 2022 law and Decree 98/2023, not the 2003 law.
    assert "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15" in doc.text and "98/2023/NĐ-CP" in doc.text
    assert "91/2017" not in doc.text and "năm 2003" not in doc.text
    assert "TM. BAN THƯỜNG VỤ" in doc.text and "CHỦ TỊCH" in doc.text
    # The annex: each name on one line (the name column is wide), in list order.
    annex = doc.pages[-1]
    names = [re.search(name, annex) for name in ("Nguyễn Văn Hùng", "Lê Thị Ân", "Trần Văn Hải")]
    assert all(names) and "Kèm theo Quyết định số 01/QĐ-CCB" in " ".join(annex.split())


def test_certificates_name_the_person_and_the_achievement(decision):
    pdf = certificates.certificates_pdf(decision)
    doc = pdfcheck.read(pdf)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595  # A4 landscape
    assert len(doc.pages) == 3
    text = "\n".join(" ".join(p.split()) for p in doc.pages)
    assert "Ông Nguyễn Văn Hùng" in text and "Bà Lê Thị Ân" in text and "Ông (Bà)" not in text
    assert "ngày 05 tháng 02 năm 2024" in text and "Quyết định số 01/QĐ-CCB" in text
    assert "5 năm liền chi hội vững mạnh" in text and decision.round.name not in text
    for page_text in doc.pages:
        lines = [line.strip() for line in page_text.splitlines() if line.strip()]
        assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines)
        assert any("Độc lập - Tự do - Hạnh phúc" in line for line in lines)
        assert CHAIR in page_text and "None" not in page_text


def test_cover_letter_and_summaries_print_ready_to_sign(round_, upward, cast, tree):  # noqa: F811
    seat_officer(tree["bloc"], CHAIR, home=tree["unit_a"])
    document_services.dossier_send(
        actor=cast["khoi"], round=round_, form=upward, seq=3, sent_on=SIGNED, signer=CHAIR, place="Yên Bái"
    )
    d = dossier.dossier_for(round_, upward)
    cover = pdfcheck.read(docx_to_pdf(dossier.cover_docx(d)))
    pdfcheck.check_decree_30(cover, signer=CHAIR)
    assert any("Số: 03/TTr-CCB" in line and "ngày 05 tháng 02 năm 2024" in line for line in cover.lines(0))
    assert "06/2022/QH15" in cover.text and "Nơi nhận:" in cover.text
    summaries = pdfcheck.read(docx_to_pdf(dossier.summaries_docx(d)))
    # One nominee a section, each its own first page: no page number on any of them, the nominee signs.
    pdfcheck.check_decree_30(summaries, signer="Lê Thị Ân", numbered=False, one_page_documents=True)
    assert "BÁO CÁO TÓM TẮT THÀNH TÍCH" in summaries.text


def test_citations_follow_the_signing_date(db):
    before = citations(datetime.date(2023, 6, 1), CitationUse.DECISION)
    after = citations(datetime.date(2024, 6, 1), CitationUse.DECISION)
    assert any("năm 2003" in c for c in before) and any("91/2017" in c for c in before)
    assert not any("06/2022" in c for c in before)
    assert any("06/2022/QH15" in c for c in after) and any("98/2023" in c for c in after)
    assert not any("91/2017" in c or "năm 2003" in c for c in after)


def test_a_deputy_signs_for_the_chairman_when_no_chairman_is_on_record(round_, cast, tree, people, forms):
    seat_officer(tree["bloc"], "Hà Văn Phó", role="pho_chu_tich", home=tree["unit_a"])
    form = forms["giay-khen-khoi"]
    n = services.nominate(
        actor=cast["coso1"], round=round_, form=form, unit=tree["unit_a"], member=people["an"], summary="Tốt."
    )
    services.transition(actor=cast["coso1"], nomination=n, to=S.SUBMITTED)
    services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
    services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=9, no=0, abstain=0)
    decision = services.decision_issue(
        actor=cast["khoi"], round=round_, form=form, issued_on=SIGNED, signer="Hà Văn Phó"
    )
    doc = Document(io.BytesIO(decision_template.decision_docx(decision)))
    sign = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert sign == ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hà Văn Phó"]


def test_decision_pdf_through_the_page_with_the_worker(decision, cast, login):
    url = f"/thi-dua/quyet-dinh/{decision.pk}/tai-ve.pdf"
    client = login(cast["khoi"])
    assert url in client.get(f"/thi-dua/dot/{decision.round_id}/").content.decode()
    assert 'role="progressbar"' in client.get(url).content.decode()  # queued for the worker
    pdf_jobs.convert(pdf_jobs.key_of(decision_template.decision_docx(decision)))  # what the worker's task does
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(cast["coso2"]).get(url).status_code == 404  # a unit outside the decision's scope
