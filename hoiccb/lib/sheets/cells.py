"""A cell as text: numbers without a trailing ".0", dates as dd/mm/yyyy, legacy encodings converted."""

import datetime
from functools import lru_cache

from hoiccb.lib.legacy_encodings import AUTO, Encoding, cell_encoding, decode_cell
from hoiccb.lib.text import clean_text


def cell_text(value, encoding: str = AUTO, majority: str = Encoding.UNICODE) -> str:
    """Return a cell as text: numbers without a trailing ".0", legacy encodings converted, cleaned.

    `encoding` is the column's setting (AUTO: each cell by its own evidence, the
    column's `majority` breaking ties; an encoding: forced, Unicode cells left alone).
    The legacy conversion comes before `clean_text`, which drops U+00AD, TCVN3's "ư".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _clean_text(str(value), encoding, majority)


@lru_cache(maxsize=65_536)  # places, ranks, units and "x" repeat down a long list
def _clean_text(text: str, encoding: str, majority: str) -> str:
    if text.isascii() and text.isprintable():
        return " ".join(text.split())  # nothing to convert or remove: the common case, kept cheap
    if cell_encoding(text, encoding, majority) in (None, Encoding.UNICODE):
        return clean_text(text)  # clean_text normalises to NFC itself
    return clean_text(decode_cell(text, encoding, majority))
