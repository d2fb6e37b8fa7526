"""The unit report read back as printed (LibreOffice PDF): header, figures table, page numbers, signer."""

import datetime

from hoiccb.conftest import seat_officer
from hoiccb.lib.pdf import docx_to_pdf
from hoiccb.lib.tests import pdfcheck
from hoiccb.reports import services
from hoiccb.reports.documents import report_docx

CHAIR = "Đỗ Văn Chính"


def test_report_prints_ready_to_sign(staffed, tree, period):
    seat_officer(tree["unit_a"], CHAIR)
    chair = staffed["coso1"]
    report = services.report_open(actor=chair, period=period, unit=tree["unit_a"])
    long = "\n".join(
        f"Chi hội {i} tổ chức sinh hoạt định kỳ, học tập nghị quyết, thăm hỏi hội viên ốm đau." for i in range(30)
    )
    report = services.report_update(
        actor=chair,
        report=report,
        expected_version=report.version,
        header={"number": "05/BC-CCB", "place": "Yên Bái", "dated_on": datetime.date(2024, 6, 5)},
        texts={"building": long, "shortcomings": "Còn chậm.", "plan": "Tổng kết phong trào."},
        edited={"awards": 2},
    )
    doc = pdfcheck.read(docx_to_pdf(report_docx(report).getvalue()))
    assert len(doc.pages) >= 3
    # No signer typed: the Chairman on record for the report's date signs.
    pdfcheck.check_decree_30(doc, signer=CHAIR)
    assert any("Số: 05/BC-CCB" in line and "ngày 05 tháng 6 năm 2024" in line for line in doc.lines(0))
    assert "Hội viên CCB gương mẫu" in doc.text  # the figure's name, without the form's "(nhập tay)"
