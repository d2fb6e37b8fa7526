"""The dues receipt (phiếu thu): DOCX through lib.word, PDF (one or many, A5) through WeasyPrint.

One module for the document, so it can follow the Decree 30 layout when lib.word changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from docx import Document

from hoiccb.finance.models import DuesPayment
from hoiccb.lib import word
from hoiccb.lib.money_words import money_words
from hoiccb.lib.vietnamese import format_money


def receipt_lines(payment: DuesPayment) -> dict[str, str]:
    """The texts printed on a receipt, shared by the DOCX and the PDF."""
    unit = payment.unit
    parent = unit.parent
    return {
        "parent": (parent.name if parent else "").upper(),
        "unit": unit.name.upper(),
        "number": f"{payment.receipt_no:04d}/{payment.year}",
        "date": word.date_line("-", payment.paid_on).split(", ", 1)[1].capitalize(),
        "payer": payment.payer_name,
        "member_unit": unit.name,
        "reason": f"Nộp hội phí năm {payment.year}",
        "amount": format_money(payment.amount),
        "words": money_words(payment.amount),
        "collector": payment.collected_by,
    }


def receipt_docx(payment: DuesPayment) -> bytes:
    """Return the receipt as .docx bytes."""
    t = receipt_lines(payment)
    doc = Document()
    word.setup_page(doc)
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    word.para(left, t["parent"], size=12, align=word.CENTER)
    word.para(left, t["unit"], size=12, bold=True, align=word.CENTER)
    right.paragraphs[0].text = ""
    word.para(right, f"Số: {t['number']}", size=12, align=word.CENTER)
    word.titles(doc, "PHIẾU THU")
    word.para(doc, t["date"], size=13, italic=True, align=word.CENTER)
    for label, value in (
        ("Họ và tên người nộp tiền", t["payer"]),
        ("Đơn vị", t["member_unit"]),
        ("Lý do nộp", t["reason"]),
        ("Số tiền", t["amount"]),
        ("Viết bằng chữ", t["words"]),
    ):
        word.para(doc, f"{label}: {value}")
    sign = doc.add_table(rows=1, cols=2)
    payer, collector = sign.rows[0].cells
    for cell, title, name in ((payer, "Người nộp tiền", t["payer"]), (collector, "Người thu tiền", t["collector"])):
        cell.paragraphs[0].text = ""
        word.para(cell, title, bold=True, align=word.CENTER)
        word.para(cell, "(Ký, ghi rõ họ tên)", size=12, italic=True, align=word.CENTER)
        for _ in range(3):
            word.para(cell, "")
        word.para(cell, name, bold=True, align=word.CENTER)
    return word.to_bytes(doc)


def receipts_pdf(payments: Sequence[DuesPayment]) -> bytes:
    """Return the receipts as one PDF, one A5 page each."""
    from weasyprint import HTML

    html = render_to_string("finance/receipts_pdf.html", {"receipts": [receipt_lines(p) for p in payments]})
    return HTML(string=html).write_pdf()
