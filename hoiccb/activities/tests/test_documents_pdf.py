"""The inspection's conclusion (KẾT LUẬN KIỂM TRA): printed for signing, reached from the record's page."""

import datetime
import io

import docx

from hoiccb.activities import inspection_docs, services
from hoiccb.conftest import seat_officer
from hoiccb.lib.pdf import docx_to_pdf
from hoiccb.lib.tests import pdfcheck
from hoiccb.org.models import Unit

CHAIR = "Đỗ Văn Chính"


def test_inspection_conclusion_prints_ready_to_sign(cast, tree, kinds, login):
    seat_officer(tree["bloc"], CHAIR, home=tree["unit_a"])
    plan = services.plan_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        year=2024,
        title="Kiểm tra việc thực hiện Điều lệ Hội năm 2024",
        content="Công tác xây dựng tổ chức Hội, quản lý hội viên, thu chi quỹ Hội.",
        start_date=datetime.date(2024, 9, 3),
        end_date=datetime.date(2024, 9, 27),
        inspected_units=[tree["unit_a"], tree["unit_b"]],
    )
    record = plan.records.get(unit=tree["unit_a"])
    services.record_update(
        actor=cast["khoi"],
        record=record,
        inspected_on=datetime.date(2024, 9, 5),
        strengths="Sổ sách đầy đủ.",
        shortcomings="Chưa lập sổ theo dõi quỹ.",
        conclusion="Hội CCB Sở Tài chính thực hiện tốt Điều lệ Hội.",
    )
    services.recommendation_add(
        actor=cast["khoi"],
        record=record,
        text="Lập sổ theo dõi quỹ Hội.",
        owner="Chủ tịch Hội cơ sở",
        due_date=datetime.date(2024, 10, 31),
    )
    doc = pdfcheck.read(docx_to_pdf(inspection_docs.conclusion_docx(record)))
    pdfcheck.check_decree_30(doc, signer=CHAIR)
    assert any("Số: ……/KL-CCB" in line and "ngày 05 tháng 9 năm 2024" in line for line in doc.lines(0))
    assert "KẾT LUẬN KIỂM TRA" in doc.text and "Lập sổ theo dõi quỹ Hội." in doc.text and "31/10/2024" in doc.text

    client = login(cast["khoi"])
    page = client.get(f"/hoat-dong/kiem-tra/don-vi/{record.pk}/").content.decode()
    assert f"/hoat-dong/kiem-tra/don-vi/{record.pk}/ket-luan.docx" in page
    assert client.get(f"/hoat-dong/kiem-tra/don-vi/{record.pk}/ket-luan.docx").status_code == 200
    # Outside the inspecting unit's subtree and not the inspected unit: not found.
    assert login(cast["coso2"]).get(f"/hoat-dong/kiem-tra/don-vi/{record.pk}/ket-luan.docx").status_code == 404


def test_inspection_conclusion_is_dated_at_the_inspecting_units_place(cast, tree):
    Unit.objects.filter(pk=tree["bloc"].pk).update(place="Lào Cai")
    plan = services.plan_create(
        actor=cast["khoi"],
        unit=Unit.objects.get(pk=tree["bloc"].pk),
        year=2024,
        title="Kiểm tra năm 2024",
        content="Công tác tổ chức.",
        start_date=datetime.date(2024, 9, 3),
        end_date=datetime.date(2024, 9, 27),
        inspected_units=[tree["unit_a"]],
    )
    record = plan.records.get(unit=tree["unit_a"])
    services.record_update(actor=cast["khoi"], record=record, inspected_on=datetime.date(2024, 9, 5))
    table = docx.Document(io.BytesIO(inspection_docs.conclusion_docx(record))).tables[0]
    header = "\n".join(cell.text for row in table.rows for cell in row.cells)
    assert "Lào Cai, ngày 05 tháng 9 năm 2024" in header
