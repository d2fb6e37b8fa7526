"""The dues and funds pages through the HTTP client, with the sibling unit's negative case."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from hoiccb.conftest import admit
from hoiccb.finance import services
from hoiccb.finance.models import DuesPayment, EntryCategory, FundEntry
from hoiccb.lib.dates import PartialDate


@pytest.fixture
def payers(cast, tree, rate, shares):
    return [admit(cast["khoi"], tree["unit_a"], f"Hoàng Văn {n}", birth_date=PartialDate(1960)) for n in ("An", "Bình")]


def test_pay_a_unit_and_print_receipts(login, cast, tree, payers):
    client = login(cast["coso1"])
    page = client.get(reverse("finance:dues"), {"don_vi": tree["unit_a"].pk, "nam": 2025})
    assert page.status_code == 200 and "Hoàng Văn An" in page.content.decode()
    response = client.post(
        reverse("finance:dues_pay"),
        {
            "don_vi": tree["unit_a"].pk,
            "nam": 2025,
            "paid_on": "10/03/2025",
            "collected_by": "Lê Thủ Quỹ",
            "hv": [payers[0].pk],
        },
    )
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert payment.member == payers[0] and payment.receipt_no == 1
    client.post(
        reverse("finance:dues_pay"),
        {
            "don_vi": tree["unit_a"].pk,
            "nam": 2025,
            "paid_on": "11/03/2025",
            "collected_by": "Lê Thủ Quỹ",
            "tat_ca": "1",
        },
    )
    assert DuesPayment.objects.count() == 2
    docx = client.get(reverse("finance:receipt_docx", args=[payment.pk]))
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "PHIẾU THU" in text and "Hai mươi bốn nghìn đồng" in text and "Hoàng Văn An" in text
    assert "Yên Bái, ngày 10 tháng 3 năm 2025" in cells and "Số: 0001/2025" in cells
    pdf = client.get(reverse("finance:receipts"), {"don_vi": tree["unit_a"].pk, "nam": 2025})
    assert pdf.content.startswith(b"%PDF")
    # The sibling unit's chair sees neither the receipt nor unit A's sheet.
    other = login(cast["coso2"])
    assert other.get(reverse("finance:receipt_pdf", args=[payment.pk])).status_code == 404
    sheet = other.get(reverse("finance:dues"), {"don_vi": tree["unit_a"].pk, "nam": 2025}).content.decode()
    assert "Hoàng Văn An" not in sheet


def test_bad_input_is_a_message_not_an_error(login, cast, tree, payers):
    client = login(cast["coso1"])
    response = client.post(
        reverse("finance:dues_pay"),
        {"don_vi": tree["unit_a"].pk, "nam": 2025, "paid_on": "31/02/2025", "collected_by": "", "hv": [payers[0].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Ngày nộp: Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024." in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_statement_and_remittance_page(login, cast, tree, payers):
    services.dues_pay_many(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        year=2025,
        member_ids=None,
        paid_on=datetime.date(2025, 3, 1),
        collected_by="Lê",
    )
    client = login(cast["coso1"])
    url = reverse("finance:statement") + f"?don_vi={tree['unit_a'].pk}&nam=2025"
    response = client.post(url, {"to_unit": tree["bloc"].pk, "amount": "7200", "paid_on": "15/03/2025", "note": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "48.000" in page and "7.200" in page


def test_fund_pages(login, cast, tree):
    client = login(cast["coso1"])
    client.post(reverse("finance:funds"), {"unit": tree["unit_a"].pk, "name": "Quỹ Hội", "kind": "quy_hoi"})
    fund = services.Fund.objects.get()
    url = reverse("finance:fund", args=[fund.pk])
    client.post(
        url, {"on": "02/01/2025", "category": EntryCategory.CONTRIBUTION, "amount": "1000000", "description": "Ủng hộ"}
    )
    client.post(
        url, {"on": "03/01/2025", "category": EntryCategory.GIFT, "amount": "300000", "description": "Tặng quà"}
    )
    entry = FundEntry.objects.get(category=EntryCategory.GIFT)
    client.post(reverse("finance:entry_reverse", args=[entry.pk]), {"on": "04/01/2025", "reason": "Ghi nhầm"})
    assert services.fund_balance(fund, datetime.date(2025, 1, 4)) == 1_000_000
    page = client.get(url, {"tu": "01/01/2025", "den": "31/01/2025"}).content.decode()
    assert "Đã đảo" in page
    xlsx = client.get(reverse("finance:fund_xlsx", args=[fund.pk]), {"tu": "01/01/2025", "den": "31/01/2025"})
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    docx = client.get(reverse("finance:fund_docx", args=[fund.pk]))
    assert docx.content[:2] == b"PK"
    assert login(cast["coso2"]).get(url).status_code == 404
