"""The dues receipt (phiếu thu): DOCX through lib.word, PDF (one or many, A5) through WeasyPrint.

One module for the document, so it can follow the Decree 30 layout when lib.word changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string

from hoiccb.finance.models import DuesPayment
from hoiccb.lib import word
from hoiccb.lib.money_words import money_words
from hoiccb.lib.pdf import html_pdf
from hoiccb.lib.vietnamese import format_money
from hoiccb.org.selectors import place_of, signer_for


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
    """Return the receipt as .docx bytes, in the Decree 30 layout (lib.word).

    Header table with the receipt number level with the place-and-date line; the payment's
    lines; the payer and the collector sign; the unit's chair (or the vice-chair for him, on
    the day of payment) signs for the standing committee.
    """
    t = receipt_lines(payment)
    doc = word.new()
    word.decree_header(
        doc,
        parent_name=t["parent"],
        unit_name=t["unit"],
        number=t["number"],
        date_line=word.date_line(place_of(payment.unit), payment.paid_on),
    )
    word.doc_title(doc, "PHIẾU THU", f"Hội phí năm {payment.year}")
    word.body(
        doc,
        [
            f"Họ và tên người nộp tiền: {t['payer']}",
            f"Đơn vị: {t['member_unit']}",
            f"Lý do nộp: {t['reason']}",
            f"Số tiền: {t['amount']}",
            f"Viết bằng chữ: {t['words']}",
        ],
    )
    hands = doc.add_table(rows=1, cols=2)
    word.set_widths(hands, word.SIGNATURE_WIDTHS)
    for cell, title, name in zip(
        hands.rows[0].cells,
        ("Người nộp tiền", "Người thu tiền"),
        (t["payer"], t["collector"]),
        strict=True,
    ):
        word.para(cell, title, bold=True, align=word.CENTER, after=0)
        word.para(cell, "(Ký, ghi rõ họ tên)", size=12, italic=True, align=word.CENTER, after=0)
        for _ in range(3):
            word.para(cell, "", after=0)
        word.para(cell, name, bold=True, align=word.CENTER, after=0)
        first = cell.paragraphs[0]  # the empty paragraph a new cell starts with
        first._element.getparent().remove(first._element)
    word.signature(
        doc,
        receivers=["- Người nộp tiền;", "- Lưu sổ quỹ."],
        signer=signer_for(payment.unit, payment.paid_on),
    )
    return word.to_bytes(doc)


def receipts_pdf(payments: Sequence[DuesPayment]) -> bytes:
    """Return the receipts as one PDF, one A5 page each."""
    html = render_to_string("finance/receipts_pdf.html", {"receipts": [receipt_lines(p) for p in payments]})
    return html_pdf(html)
