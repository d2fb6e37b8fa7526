"""Where an uploaded list is kept (outside the static root), and the sheet as read at upload."""

import pickle
from pathlib import Path

from hoiccb.lib.files import private_dir
from hoiccb.lib.sheets.reading import Sheet, read_upload
from hoiccb.members.models import (
    MemberImport,
)


def storage_dir() -> Path:
    return private_dir("imports")


def stored_file(batch: MemberImport) -> Path:
    extension = batch.file_name.rsplit(".", 1)[-1].lower()
    return storage_dir() / f"{batch.pk}-{batch.file_sha256[:16]}.{extension}"


def cells_file(batch: MemberImport) -> Path:
    return stored_file(batch).with_suffix(".cells")


def read_sheet(batch: MemberImport) -> Sheet:
    """Return the sheet as read at upload (kept beside the file), or read the file again."""
    try:
        with cells_file(batch).open("rb") as cells:
            # Written by import_upload from our own reading of the file, never user bytes.
            return pickle.load(cells)  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError):
        return read_upload(batch.file_name, stored_file(batch).read_bytes())
