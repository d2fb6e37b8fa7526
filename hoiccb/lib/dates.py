"""Partial dates: birth dates and service dates are often known only as a year or month/year.

A partial date is stored as ISO-like text ("1950", "1950-06", "1950-06-05"), which
sorts in date order in every database, and shown as Vietnamese offices write it
("1950", "06/1950", "05/06/1950").
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

_INPUT = re.compile(r"^(?:(\d{1,2})[/.\- ]+(?=\d{1,2}[/.\- ]))?(?:(\d{1,2})[/.\- ]+)?(\d{4})$")
# Phone keypads often have no "/": "15081950" is 15/08/1950 and "081950" is 08/1950.
_DIGITS_ONLY = re.compile(r"^(\d{2})?(\d{2})(\d{4})$")
_STORED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_YEAR = 1880


def _year(year: int | None) -> int:
    """Return the year group of a matched date (both patterns require it)."""
    if year is None:
        raise ValueError("a date needs a year")
    return year


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not MIN_YEAR <= self.year <= 2200:
            raise ValueError("year out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError("month out of range")
        if self.day is not None:
            datetime.date(self.year, self.month or 1, self.day)  # raises on 31/02

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse what a clerk types: "05/6/1950", "5-6-1950", "6/1950", "1950".

        Raises ValidationError with a Vietnamese message on anything else.
        """
        text = (text or "").strip()
        match = _INPUT.match(text) or (_DIGITS_ONLY.match(text) if len(text) in (6, 8) else None)
        if not match:
            raise ValidationError(
                "Ngày không hợp lệ: “%(value)s”. Nhập ngày/tháng/năm, tháng/năm hoặc năm "
                "(ví dụ 05/06/1950, 6/1950, 1950).",
                code="invalid",
                params={"value": text},
            )
        day, month, year = (int(g) if g else None for g in match.groups())
        try:
            return cls(_year(year), month, day)
        except ValueError:
            raise ValidationError("Ngày không tồn tại: “%(value)s”.", code="invalid", params={"value": text}) from None

    @classmethod
    def from_storage(cls, value: str) -> "PartialDate":
        match = _STORED.match(value)
        if not match:
            raise ValueError(f"not a stored partial date: {value!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        return cls(_year(year), month, day)

    @classmethod
    def from_date(cls, value: datetime.date) -> "PartialDate":
        return cls(value.year, value.month, value.day)

    def to_storage(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def earliest(self) -> datetime.date:
        """Return the first day the partial date can mean (for order checks)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> datetime.date:
        """Return the last day the partial date can mean (for order checks)."""
        if self.day is not None:
            return self.earliest()
        if self.month is not None:
            next_month = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return next_month - datetime.timedelta(days=1)
        return datetime.date(self.year, 12, 31)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        return str(self.year)


def may_precede(earlier: PartialDate | None, later: PartialDate | None) -> bool:
    """Return False only when `earlier` is certainly after `later` (unknowns pass)."""
    if earlier is None or later is None:
        return True
    return earlier.earliest() <= later.latest()
