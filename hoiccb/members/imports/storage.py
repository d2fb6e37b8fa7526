"""Where an uploaded list is kept (private storage, hoiccb/lib/storage.py), and the sheet as read at upload."""

from hoiccb.lib import storage
from hoiccb.lib.sheets.reading import Sheet, read_upload
from hoiccb.lib.sheets.store import dump_sheet, load_sheet
from hoiccb.members.models import (
    MemberImport,
)


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
