"""The result file of an import: the input rows again, with what became of each."""

from hoiccb.lib.excel import ListWorkbook
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
    book = ListWorkbook(sheet_name="Kết quả nhập")
    width = len(batch.columns) + 2
    state = batch.get_state_display().lower()
    book.titles([f"KẾT QUẢ NHẬP TỆP “{batch.file_name}”", f"Lần nhập #{batch.pk} – {state}"], width)
    labels = ["Dòng", *(c["label"] or c["letter"] for c in batch.columns), "Kết quả", "Ghi chú"]
    book.header(labels, [6, *([16] * len(batch.columns)), 16, 50])
    book.rows(
        [row.number, *row.raw[: len(batch.columns)], *[""] * (len(batch.columns) - len(row.raw)),
         outcome(row, batch.state), "; ".join([*row.errors, *row.notes, *row.conversions])]
        for row in batch.rows.order_by("number").iterator(chunk_size=5000)
    )  # fmt: skip
    return book.close()
