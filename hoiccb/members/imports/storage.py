"""Where an uploaded list is kept (private storage, hoiccb/lib/storage.py), and the sheet as read at upload."""

from functools import lru_cache

from hoiccb.lib import storage
from hoiccb.lib.sheets.reading import FileRejected, Sheet, read_upload
from hoiccb.lib.sheets.store import dump_sheet, load_sheet
from hoiccb.members.models import ImportRow, MemberImport, RowStatus


def stored_file(batch: MemberImport) -> str:
    """Return the storage name of the uploaded file."""
    extension = batch.file_name.rsplit(".", 1)[-1].lower()
    return storage.private_name("imports", f"{batch.pk}-{batch.file_sha256[:16]}.{extension}")


def cells_file(batch: MemberImport) -> str:
    return stored_file(batch).rsplit(".", 1)[0] + ".cells.json"


def save_upload(batch: MemberImport, data: bytes, sheet: Sheet) -> None:
    """Keep the file and the sheet as read at upload, so later steps (on any machine) need not parse it again."""
    storage.write(stored_file(batch), data)
    storage.write(cells_file(batch), dump_sheet(sheet))


def read_sheet(batch: MemberImport) -> Sheet:
    """Return the sheet as read at upload (kept beside the file), or read the file again."""
    try:
        return load_sheet(storage.read(cells_file(batch)))
    except (OSError, ValueError, KeyError, TypeError):
        return read_upload(batch.file_name, storage.read(stored_file(batch)))


def preview_cells(cells: list) -> list:
    """A row's cells as the preview keeps them (JSON): dates as written in Vietnam, whole numbers without ".0"."""
    return [c if type(c) is str else _preview_cell(c) for c in cells]


def _preview_cell(cell):
    if type(cell) is float:
        return int(cell) if cell.is_integer() else cell
    if hasattr(cell, "isoformat"):
        return _date_text(cell)
    return cell


@lru_cache(maxsize=65_536)
def _date_text(cell) -> str:
    return cell.strftime("%d/%m/%Y")


_NEW = RowStatus.NEW.value  # a plain string: this runs on every row


def keeps_cells(status: str) -> bool:
    """Whether a preview row keeps a copy of its cells. A new row's cells stay only in the sheet
    kept at upload (copying 100,000 of them was a fifth of the preview's time); the rows a clerk
    looks at closely (errors, matches, duplicates) keep theirs."""
    return status != _NEW


class RowCells:
    """The cells of a batch's preview rows, from the row or, for a new row, from the stored sheet
    (read once, on the first row that needs it)."""

    def __init__(self, batch: MemberImport) -> None:
        self.batch = batch
        self._rows: list | None = None

    def __call__(self, row: ImportRow) -> list:
        if row.raw or keeps_cells(row.status):
            return row.raw
        if self._rows is None:
            try:
                self._rows = read_sheet(self.batch).rows
            except (OSError, FileRejected):  # the stored file is gone (a database restored without its files)
                self._rows = []
        index = row.number - 1  # the row number as Excel shows it
        return preview_cells(self._rows[index]) if index < len(self._rows) else []


def row_cells(row: ImportRow) -> list:
    """One preview row's cells (see RowCells)."""
    return RowCells(row.batch)(row)
