"""The result file of an import: the input rows again, with what became of each."""

from hoiccb.lib.excel import Column, write_list
from hoiccb.members.imports.storage import RowCells
from hoiccb.members.models import ImportState, MemberImport, RowDecision, RowStatus


def outcome(row, state: str) -> str:
    """Return what happened (or will happen) to a row, as the result file says it."""
    if row.status == RowStatus.ERROR:
        return "Lỗi – không nhập"
    if row.decision == RowDecision.SKIP:
        return "Bỏ qua"
    done = state == ImportState.COMMITTED
    if row.decision == RowDecision.UPDATE:
        return "Đã cập nhật" if done else "Sẽ cập nhật"
    return "Đã thêm mới" if done else "Sẽ thêm mới"


def result_file(batch: MemberImport):
    state = batch.get_state_display().lower()
    width = len(batch.columns)
    cells = RowCells(batch)
    output, _count = write_list(
        heading=[],
        title=f"Kết quả nhập tệp “{batch.file_name}”",
        subtitle=f"Lần nhập #{batch.pk} – {state}",
        columns=[
            Column("Dòng", 6, "int"),
            *(Column(c["label"] or c["letter"], 16) for c in batch.columns),
            Column("Kết quả", 16),
            Column("Ghi chú", 50),
        ],
        rows=(
            [
                row.number,
                *(raw := cells(row))[:width],
                *([""] * (width - len(raw))),
                outcome(row, batch.state),
                "; ".join([*row.errors, *row.notes, *row.conversions]),
            ]
            for row in batch.rows.order_by("number").iterator(chunk_size=5000)
        ),
        sheet_name="Kết quả nhập",
    )
    return output
