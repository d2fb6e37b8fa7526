"""A cell as text: numbers without a trailing ".0", dates as dd/mm/yyyy, legacy encodings converted."""

import datetime
from functools import lru_cache

from hoiccb.lib.legacy_encodings import Encoding, decode
from hoiccb.lib.vietnamese import nfc


def cell_text(value, encoding: str = Encoding.UNICODE) -> str:
    """Return a cell as text: numbers without a trailing ".0", legacy encodings converted."""
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
    return _clean_text(str(value), encoding)


@lru_cache(maxsize=65_536)  # places, ranks, units and "x" repeat down a long list
def _clean_text(text: str, encoding: str) -> str:
    return nfc(decode(text, Encoding(encoding)))
