"""Where an uploaded list is kept (private storage, hoiccb/lib/storage.py): the file, the sheet as
read at upload, and the values of the clean new rows found by analysis."""

from bisect import bisect_right
from functools import lru_cache

import orjson

from hoiccb.lib import storage
from hoiccb.lib.sheets.reading import FileRejected, Sheet, read_upload
from hoiccb.lib.sheets.store import load_sheet
from hoiccb.members.models import ImportRow, MemberImport, RowStatus


def stored_file(batch: MemberImport) -> str:
    """Return the storage name of the uploaded file."""
    extension = batch.file_name.rsplit(".", 1)[-1].lower()
    return storage.private_name("imports", f"{batch.pk}-{batch.file_sha256[:16]}.{extension}")


def cells_file(batch: MemberImport) -> str:
    return stored_file(batch).rsplit(".", 1)[0] + ".cells.json"


def save_upload(batch: MemberImport, data: bytes, document: bytes) -> None:
    """Keep the file and the sheet as read at upload (lib.sheets.store's JSON), so later steps
    (on any machine) need not parse it again."""
    storage.write(stored_file(batch), data)
    storage.write(cells_file(batch), document)


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


def keeps_cells(status: str) -> bool:
    """Whether a preview row keeps a copy of its cells and values. A new row's cells stay only in
    the sheet kept at upload and its values in a side file (save_new_values): copying 100,000 of
    them into the preview table and reading them back was a third of the import's time. The rows
    a clerk looks at closely (errors, matches, duplicates, and any row fixed by hand) keep theirs."""
    return status != RowStatus.NEW


def new_values_file(batch: MemberImport, part: int) -> str:
    return stored_file(batch).rsplit(".", 1)[0] + f".new-{part}.json"


def save_new_values(batch: MemberImport, part: int, rows: list[tuple[int, dict]]) -> list[int]:
    """Keep one chunk of new rows' values, [(row number, values)] in row order; returns the chunk's
    [first, last] row number, which analysis lists in batch.counts["new_parts"]."""
    storage.write(new_values_file(batch, part), orjson.dumps(rows))
    return [rows[0][0], rows[-1][0]]


def forget_new_values(batch: MemberImport) -> None:
    """Delete every side file of the batch (before it is read again).

    Not only those counts["new_parts"] lists: a reading that died midway wrote parts no count
    lists. Parts are written 0, 1, 2… in turn, so the first one missing is the end.
    """
    part = 0
    while storage.exists(new_values_file(batch, part)):
        storage.delete(new_values_file(batch, part))
        part += 1


class RowValues:
    """The values of a batch's preview rows: the row's own, or for a new row (stored with values {})
    those kept in the side files. Reads one side file at a time: ask in row order."""

    def __init__(self, batch: MemberImport) -> None:
        self.batch = batch
        self.parts: list[list[int]] = batch.counts.get("new_parts") or []
        self._firsts = [first for first, _last in self.parts]
        self._part: int | None = None
        self._values: dict[int, dict] = {}

    def __call__(self, row: ImportRow) -> dict:
        return self.get(row.number, row.values)

    def get(self, number: int, stored: dict) -> dict:
        """Return `stored` when the row keeps its values, else the side file's ({} when it is gone)."""
        if stored:
            return stored
        part = bisect_right(self._firsts, number) - 1
        if part < 0 or number > self.parts[part][1]:
            return {}
        if part != self._part:
            try:
                rows = orjson.loads(storage.read(new_values_file(self.batch, part)))
            except (OSError, ValueError):  # gone (a database restored without its files) or damaged
                rows = []
            self._part, self._values = part, {number: values for number, values in rows}
        return self._values.get(number, {})


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


def with_values(batch: MemberImport, rows) -> list[ImportRow]:
    """Return the preview rows (in row order) with every row's values in hand, new rows' too."""
    kept = RowValues(batch)
    rows = list(rows)
    for row in rows:
        row.values = kept(row)
    return rows
