"""Where a list stands: "Trang 3 · 1.234 kết quả", or "hơn 1.000" where counting all would cost too much.

Keyset lists carry the page number in the address (`trang`), beside their cursor: the
number costs nothing to keep and the cursor still decides which rows are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAM = "trang"
# Counting stops here: past it the list says "hơn 1.000".
COUNT_CAP = 1_000
# A page number beyond this is nonsense typed by hand; it is shown as page 1.
MAX_PAGE = 1_000_000


def page_number(request: HttpRequest, param: str = PAGE_PARAM) -> int:
    """Return the page number in the address, 1 when missing or not a sensible number."""
    raw = request.GET.get(param, "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 7:
        return 1
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else 1


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Return (count, is_exact), reading at most cap + 1 rows."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n <= cap


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class Position:
    """The page a list shows and how many rows the whole list holds (a floor when not exact)."""

    number: int
    total: int | None = None
    exact: bool = True
    noun: str = "kết quả"

    @property
    def total_label(self) -> str:
        if self.total is None:
            return ""
        if self.exact:
            return f"{_thousands(self.total)} {self.noun}"
        return f"hơn {_thousands(self.total)} {self.noun}"

    @property
    def label(self) -> str:
        total = self.total_label
        return f"Trang {self.number} · {total}" if total else f"Trang {self.number}"

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def prev_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None
