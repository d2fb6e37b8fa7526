"""Where an uploaded list is kept (outside the static root), and the sheet as read at upload."""

from pathlib import Path

from hoiccb.lib.files import private_dir
from hoiccb.lib.sheets.reading import Sheet, read_upload
from hoiccb.lib.sheets.store import load_sheet, save_sheet
from hoiccb.members.models import (
    MemberImport,
)


def storage_dir() -> Path:
    return private_dir("imports")


def stored_file(batch: MemberImport) -> Path:
    extension = batch.file_name.rsplit(".", 1)[-1].lower()
    return storage_dir() / f"{batch.pk}-{batch.file_sha256[:16]}.{extension}"


def cells_file(batch: MemberImport) -> Path:
    return stored_file(batch).with_suffix(".cells.json")


def read_sheet(batch: MemberImport) -> Sheet:
    """Return the sheet as read at upload (kept beside the file), or read the file again."""
    try:
        return load_sheet(cells_file(batch))
    except (OSError, ValueError, KeyError, TypeError):
        return read_upload(batch.file_name, stored_file(batch).read_bytes())


def save_cells(batch: MemberImport, sheet: Sheet) -> None:
    """Keep the sheet as read at upload beside the file, so later steps need not parse it again."""
    save_sheet(sheet, cells_file(batch))
