"""A sheet as read, kept beside its upload as JSON (never pickle: a file on disk must not run code when read)."""

import datetime
import json
from pathlib import Path

from hoiccb.lib.sheets.reading import Sheet

_DATE, _DATETIME = "$d", "$dt"


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"cell of type {type(value).__name__} cannot be stored")


def _decode(obj: dict):
    if _DATE in obj:
        return datetime.date.fromisoformat(obj[_DATE])
    if _DATETIME in obj:
        return datetime.datetime.fromisoformat(obj[_DATETIME])
    return obj


def save_sheet(sheet: Sheet, path: Path) -> None:
    """Write the sheet's name, merged ranges and cells (str, int, float, bool, date, datetime) to `path`."""
    document = {"name": sheet.name, "merged": sheet.merged, "rows": sheet.rows}
    path.write_text(json.dumps(document, default=_encode, ensure_ascii=False, separators=(",", ":")), "utf-8")


def load_sheet(path: Path) -> Sheet:
    """Return the sheet written by save_sheet; raises OSError or ValueError when the file is missing or damaged."""
    document = json.loads(path.read_text("utf-8"), object_hook=_decode)
    merged = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in document["merged"]]
    return Sheet(document["name"], document["rows"], merged)
