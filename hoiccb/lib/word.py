"""Word layout of official documents (Decree 30/2020/NĐ-CP)."""

import datetime


def date_line(place: str, day: datetime.date | None) -> str:
    """Return "Yên Bái, ngày 05 tháng 6 năm 2024" (Decree 30: day < 10 and months 1–2 with a leading 0)."""
    place = place or "……"
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
