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


PER_PAGE = 50


@dataclass(frozen=True)
class OffsetPage:
    """One page of a short-lived list read by offset (directives, tasks, meetings), with the
    addresses of its neighbours; the rows past the page are never read."""

    rows: list
    position: Position
    has_next: bool
    prev_query: str = ""
    next_query: str = ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def _with_page(request: HttpRequest, param: str, number: int | None) -> str:
    params = request.GET.copy()
    params.pop(param, None)
    if number and number > 1:
        params[param] = str(number)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def offset_page(
    request: HttpRequest, qs: QuerySet | list, *, noun: str = "kết quả", param: str = PAGE_PARAM, per_page: int = 0
) -> OffsetPage:
    """Return the page of `qs` the address asks for ("Trang 3 · 120 văn bản"); one count capped at
    COUNT_CAP and one slice of per_page + 1 rows (a list already read is simply cut)."""
    per_page = per_page or PER_PAGE
    number = page_number(request, param)
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    total, exact = (len(qs), True) if isinstance(qs, list) else capped_count(qs)
    position = Position(number=number, total=total, exact=exact, noun=noun)
    has_next = len(rows) > per_page
    return OffsetPage(
        rows=rows[:per_page],
        position=position,
        has_next=has_next,
        prev_query=_with_page(request, param, position.prev_number) if position.prev_number else "",
        next_query=_with_page(request, param, position.next_number) if has_next else "",
    )
