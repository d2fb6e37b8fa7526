"""A sheet as read, kept beside its upload as JSON (never pickle: a stored file must not run code when read)."""

import datetime
import json

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


def dump_sheet(sheet: Sheet) -> bytes:
    """Return the sheet's name, merged ranges and cells (str, int, float, bool, date, datetime) as JSON."""
    document = {"name": sheet.name, "merged": sheet.merged, "rows": sheet.rows}
    return json.dumps(document, default=_encode, ensure_ascii=False, separators=(",", ":")).encode()


def load_sheet(data: bytes) -> Sheet:
    """Return the sheet written by dump_sheet; raises ValueError (or KeyError, TypeError) when it is damaged."""
    document = json.loads(data.decode("utf-8"), object_hook=_decode)
    merged = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in document["merged"]]
    return Sheet(document["name"], document["rows"], merged)
