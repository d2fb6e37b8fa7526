"""Vietnamese text helpers: search normalisation, collation keys, names, money.

Every place that compares, searches or sorts Vietnamese text goes through here so
that the database columns and the user's query are normalised the same way.
"""

import re
import unicodedata
from functools import lru_cache

import icu

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD keeps them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """Return text in NFC with runs of white space folded to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


@lru_cache(maxsize=65_536)  # names, places and ranks repeat down a list of thousands
def normalize_search(text: str) -> str:
    """Return the accent-insensitive search form: lower case, no tone or vowel marks, đ→d.

    "Nguyễn Văn Hùng" → "nguyen van hung". The stored search columns and every
    query use this, so "nguyen van hung" finds "Nguyễn Văn Hùng".
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi"))


@lru_cache(maxsize=65_536)
def collation_key(text: str) -> bytes:
    """Return ICU's Vietnamese sort key of one string (bytes ending in a NUL)."""
    return _collator().getSortKey(nfc(text))


def name_sort_key(ho: str, chu_dem: str, ten: str) -> bytes:
    """Return the byte key that orders people as Vietnamese lists do: tên, chữ đệm, họ.

    Each part's ICU key ends in a NUL byte that sorts below every weight, so
    "An" comes before "Anh" and the parts compare one after another. Both SQLite
    (BLOB) and PostgreSQL (bytea) order these bytes the same way.
    """
    return collation_key(ten) + collation_key(chu_dem) + collation_key(ho)


@lru_cache(maxsize=65_536)
def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Văn Hùng" into (họ, chữ đệm, tên): first word, middle words, last word."""
    words = title_case_name(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


@lru_cache(maxsize=65_536)
def title_case_name(text: str) -> str:
    """Return a name with each word capitalised: "NGUYỄN văn hùng" → "Nguyễn Văn Hùng"."""
    return " ".join(map(_title_word, nfc(text).split(" ")))


@lru_cache(maxsize=65_536)  # a list of 100,000 names holds a few thousand distinct words
def _title_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def format_money(amount: int | None) -> str:
    """Return VND as offices write it: 1234567 → "1.234.567 đ"."""
    if amount is None:
        return ""
    return f"{int(amount):,} đ".replace(",", ".")
