"""The receipt, the fund statement and the celebration list as Word documents in the Decree 30 layout."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from hoiccb.conftest import admit
from hoiccb.finance import services
from hoiccb.finance.models import DuesPayment, EntryCategory
from hoiccb.lib.dates import PartialDate
from hoiccb.org import services as org_services
from hoiccb.org.models import PositionRole


@pytest.fixture
def chair(cast, tree):
    """Unit A's chairman since 2022."""
    member = admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Chủ Tịch", birth_date=PartialDate(1955))
    term = org_services.term_create(actor=cast["khoi"], unit=tree["unit_a"], start_year=2022, end_year=2027)
    org_services.officer_assign(
        actor=cast["khoi"],
        unit=tree["unit_a"],
        term=term,
        member=member,
        role=PositionRole.CHAIR,
        start_date=datetime.date(2022, 7, 1),
    )
    return member


def read(content: bytes):
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    return doc, text


def signer_cell(doc) -> str:
    return doc.tables[-1].rows[0].cells[1].text


def page_numbered(doc) -> bool:
    return "PAGE" in doc.sections[0].header._element.xml


def test_receipt_docx_has_the_decree_layout_amount_in_words_and_the_chair(login, cast, tree, chair, rate, shares):
    payer = admit(cast["khoi"], tree["unit_a"], "Hoàng Văn An", birth_date=PartialDate(1960))
    services.dues_pay_many(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        year=2025,
        member_ids=[payer.pk],
        paid_on=datetime.date(2025, 3, 10),
        collected_by="Lê Thủ Quỹ",
    )
    payment = DuesPayment.objects.get(member=payer)
    client = login(cast["coso1"])
    doc, text = read(client.get(reverse("finance:receipt_docx", args=[payment.pk])).content)
    header = doc.tables[0]
    # The number and the place-and-date line sit in the same row of the header table.
    number, when = (c.text for c in header.rows[1].cells)
    assert number == "Số: 0001/2025" and when == "Yên Bái, ngày 10 tháng 3 năm 2025"
    assert "HỘI CCB SỞ TÀI CHÍNH" in header.rows[0].cells[0].text
    assert "PHIẾU THU" in text and "Viết bằng chữ: Hai mươi bốn nghìn đồng" in text
    assert "Số tiền: 24.000 đ" in text
    payer_cell, collector_cell = (c.text for c in doc.tables[1].rows[0].cells)
    assert "Hoàng Văn An" in payer_cell and "Lê Thủ Quỹ" in collector_cell
    signed = signer_cell(doc)
    assert "TM. BAN THƯỜNG VỤ" in signed and "CHỦ TỊCH" in signed and "Nguyễn Văn Chủ Tịch" in signed
    assert page_numbered(doc)


def test_fund_statement_and_celebration_list_are_signed_by_the_chair(login, cast, tree, chair):
    client = login(cast["coso1"])
    client.post(reverse("finance:funds"), {"unit": tree["unit_a"].pk, "name": "Quỹ Hội", "kind": "quy_hoi"})
    fund = services.Fund.objects.get()
    client.post(
        reverse("finance:fund", args=[fund.pk]),
        {"on": "02/01/2025", "category": EntryCategory.CONTRIBUTION, "amount": "1000000", "description": "Ủng hộ"},
    )
    response = client.get(reverse("finance:fund_docx", args=[fund.pk]), {"tu": "01/01/2025", "den": "31/01/2025"})
    doc, text = read(response.content)
    assert "SỔ QUỸ – QUỸ HỘI" in text and "Yên Bái, ngày" in doc.tables[0].rows[1].cells[1].text
    assert "1.000.000" in "\n".join(c.text for r in doc.tables[1].rows for c in r.cells)
    assert "Nguyễn Văn Chủ Tịch" in signer_cell(doc) and page_numbered(doc)

    doc, text = read(client.get(reverse("members:celebrations_docx"), {"nam": 2025}).content)
    number, when = (c.text for c in doc.tables[0].rows[1].cells)
    assert number == "Số: ……/DS-CCB" and when.startswith("Yên Bái, ngày")
    assert "DANH SÁCH HỘI VIÊN MỪNG THỌ" in text
    assert "Nguyễn Văn Chủ Tịch" in doc.tables[1].rows[1].cells[1].text  # 70 in 2025: on the list
    assert "Nguyễn Văn Chủ Tịch" in signer_cell(doc) and page_numbered(doc)
