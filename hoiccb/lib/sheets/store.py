"""A sheet as read, kept beside its upload as JSON (never pickle: a stored file must not run code when read)."""

import datetime

import orjson

from hoiccb.lib.sheets.reading import Sheet, parse_in_child, read_checked

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
    raise ValueError("unknown cell")


def dump_sheet(sheet: Sheet) -> bytes:
    """Return the sheet's name, merged ranges and cells (str, int, float, bool, date, datetime) as JSON."""
    document = {"name": sheet.name, "merged": sheet.merged, "rows": sheet.rows}
    # Dates go through _encode (tagged), not orjson's own ISO strings: a date must come back a date.
    return orjson.dumps(document, default=_encode, option=orjson.OPT_PASSTHROUGH_DATETIME)


def load_sheet(data: bytes) -> Sheet:
    """Return the sheet written by dump_sheet; raises ValueError (or KeyError, TypeError) when it is damaged."""
    document = orjson.loads(data)  # orjson.JSONDecodeError is a ValueError
    rows = document["rows"]
    for row in rows:
        if dict not in map(type, row):  # most rows hold no date; this test runs in C
            continue
        for i, cell in enumerate(row):
            if type(cell) is dict:
                row[i] = _decode(cell)
    merged = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in document["merged"]]
    return Sheet(document["name"], rows, merged)


def read_upload_kept(name: str, data: bytes, head_rows: int) -> tuple[Sheet, bytes]:
    """Read an upload (reading.read_upload's checks and sandbox) for keeping: its first `head_rows`
    rows, and the whole sheet as dump_sheet writes it.

    The child writes the JSON itself, so the whole sheet never crosses back as Python objects
    (unpickling 100,000 rows took longer than reading them from the .xlsx).
    """
    sheet_name, rows, merged, width, document = read_checked(name, data, _parse_and_dump, head_rows)
    return Sheet(sheet_name, rows, merged, full_width=width), document


def _parse_and_dump(kind: str, data: bytes, lim: dict, head_rows: int) -> tuple[str, list[list], list, int, bytes]:
    """Runs in the sandbox child."""
    sheet = Sheet(*parse_in_child(kind, data, lim))
    return sheet.name, sheet.rows[:head_rows], sheet.merged, sheet.width, dump_sheet(sheet)
