"""Headings and footers of a list, whatever the office that typed it.

Headings are compared in their search form (lower case, no tone marks, punctuation
dropped), so "HỌ VÀ TÊN", "Họ và tên" and "Ho va ten" are one heading; headings typed
in TCVN3 or VNI are read in Unicode first.
"""

import re

from hoiccb.lib.legacy_encodings import decode_cell
from hoiccb.lib.sheets.reading import Sheet
from hoiccb.lib.text import clean_text
from hoiccb.lib.vietnamese import normalize_search

_PUNCT = re.compile(r"[^\w/]+")


def heading_key(text) -> str:
    """Return the comparable form of a heading cell: "HỌ VÀ TÊN (1)" → "ho va ten"."""
    text = normalize_search(str(text or ""))
    text = re.sub(r"\(\d+\)|\d+\)$", " ", text)
    return _PUNCT.sub(" ", text).replace("_", " ").strip()


def readable(text) -> str:
    """Return a heading in Unicode, converted when it was typed in TCVN3 or VNI.

    The same per-cell reading as the data: "Ghi chó" is a Unicode word too, but "Ghi chú"
    reads better, so it is read as TCVN3.
    """
    return clean_text(decode_cell(str(text or "")))


def merged_value(sheet: Sheet, row: int, col: int) -> str:
    """Return the text of the merged range that covers (row, col), or of the cell itself."""
    for (r1, c1), (r2, c2) in sheet.merged:
        if r1 <= row <= r2 and c1 <= col <= c2:
            value = sheet.rows[r1][c1] if r1 < len(sheet.rows) and c1 < len(sheet.rows[r1]) else ""
            return readable(value)
    cells = sheet.rows[row] if row < len(sheet.rows) else []
    return readable(cells[col]) if col < len(cells) else ""


_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def is_numbering_row(cells: list) -> bool:
    """Return True for the "(1) (2) (3)…" row that official forms put under the headings."""
    filled = [str(c).strip() for c in cells if str(c).strip()]
    return len(filled) >= 3 and all(_NUMBERING.match(c.removesuffix(".0")) for c in filled)


_SIGNATURE = re.compile(r"^(nguoi lap|xac nhan|chu tich|ky ten|ky, ghi ro|t/m |tm |thu truong|.*ngay .+ thang .+ nam)")
_TOTAL = re.compile(r"^(tong cong|tong so|cong:|cong |tong:)")


def footer_kind(cells: list) -> str | None:
    """Return "signature" or "total" for the lines under a list, None for a data row.

    Only short lines count (at most two filled cells), so a member named "Chủ Tịch…"
    in a full row is never mistaken for a footer.
    """
    filled = [c for c in cells if c != "" and str(c).strip()]
    if not filled or len(filled) > 2:
        return None
    text = " ".join(normalize_search(str(c)) for c in filled)
    if _SIGNATURE.match(text):
        return "signature"
    if _TOTAL.match(text):
        return "total"
    return None
