"""The inspection's conclusion for one inspected unit (KẾT LUẬN KIỂM TRA), printed for signing
in the Decree 30 layout (`lib/word.py`), from the inspection record: the delegation, the
strengths, the shortcomings, the conclusion and the recommendations with who and by when."""

from hoiccb.activities.models import InspectionRecord
from hoiccb.lib import word
from hoiccb.org.selectors import place_of, signer_for


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or ["……"]


def conclusion_docx(record: InspectionRecord) -> bytes:
    """Return the .docx of the record's conclusion, signed for the inspecting unit's standing committee."""
    plan, inspector = record.plan, record.plan.unit
    parent = inspector.parent
    doc = word.new()
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=inspector.name.upper(),
        number=word.doc_number(None, "KL-CCB"),
        date_line=word.date_line(place_of(inspector), record.inspected_on),
    )
    word.doc_title(doc, "KẾT LUẬN KIỂM TRA", f"{plan.title} tại {record.unit.name}")
    when = f"ngày {record.inspected_on:%d/%m/%Y}" if record.inspected_on else "……"
    word.body(
        doc,
        [
            f"Thực hiện Kế hoạch kiểm tra, giám sát năm {plan.year} của Ban Thường vụ {inspector.name}, "
            f"{when} Đoàn kiểm tra đã làm việc với {record.unit.name} về nội dung: {plan.content.strip()}",
        ],
    )
    delegates = [
        (d.member.full_name if d.member is not None else d.guest_name, d.role)
        for d in plan.delegates.select_related("member")
    ]
    if delegates:
        word.body(doc, ["Đoàn kiểm tra gồm:"])
        word.body(doc, [f"- {name}{f', {role}' if role else ''};" for name, role in delegates])
    word.body(doc, [f"Ban Thường vụ {inspector.name} kết luận như sau:"])
    for title, text in (
        ("I. ƯU ĐIỂM", record.strengths),
        ("II. TỒN TẠI, HẠN CHẾ", record.shortcomings),
        ("III. KẾT LUẬN", record.conclusion),
    ):
        word.body(doc, [title], bold=True)
        word.body(doc, _lines(text))
    recommendations = list(record.recommendations.order_by("due_date", "id"))
    word.body(doc, ["IV. KIẾN NGHỊ"], bold=True)
    if recommendations:
        word.list_table(
            doc,
            ("STT", "Nội dung kiến nghị", "Người chịu trách nhiệm", "Hạn hoàn thành"),
            [(str(i), r.text.strip(), r.owner, f"{r.due_date:%d/%m/%Y}") for i, r in enumerate(recommendations, 1)],
            align=(word.CENTER, None, None, word.CENTER),
        )
        word.para(doc, "", size=6)
    else:
        word.body(doc, ["Không có kiến nghị."])
    word.signature(
        doc,
        receivers=[f"- {record.unit.name};", "- Thành viên Đoàn kiểm tra;", "- Lưu: VT."],
        signer=signer_for(inspector, record.inspected_on),
    )
    return word.to_bytes(doc)
