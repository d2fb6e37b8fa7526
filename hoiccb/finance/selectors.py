"""Reads of dues and funds: a unit's sheet for a year, totals rolled up the tree, statements."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from hoiccb.accounts.models import User
from hoiccb.finance import access, dues
from hoiccb.finance.models import DuesPayment, DuesRate, Fund, FundEntry, Remittance
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit
from hoiccb.org.paths import subtree_filter

SHEET_CAP = 2000  # members shown on one dues sheet; a larger unit is paid "as a list"


@dataclass
class DuesRow:
    member: Member
    exempt: bool
    payment: DuesPayment | None


def dues_sheet(unit: Unit, year: int, rate: DuesRate) -> list[DuesRow]:
    """Return the unit subtree's members for `year` in name order: active ones and any who paid."""
    paid = {p.member_id: p for p in DuesPayment.objects.filter(year=year, **subtree_filter("unit_path", unit.path))}
    members = (
        Member.objects.filter(**subtree_filter("unit_path", unit.path))
        .filter(Q(status=MemberStatus.ACTIVE) | Q(pk__in=list(paid)))
        .select_related("unit")
        .order_by("sort_key", "id")[:SHEET_CAP]
    )
    return [
        DuesRow(
            member=m,
            exempt=dues.is_exempt(rate, year, birth_year=m.birth_year, family_circumstance=m.family_circumstance),
            payment=paid.get(m.pk),
        )
        for m in members
    ]


@dataclass
class DuesTotals:
    unit: Unit | None
    label: str
    active: int = 0
    exempt: int = 0
    paid: int = 0
    collected: int = 0
    rate: int = 0

    @property
    def due(self) -> int:
        return self.active - self.exempt

    @property
    def arrears(self) -> int:
        return max(self.due - self.paid, 0)

    @property
    def arrears_amount(self) -> int:
        return self.arrears * self.rate


def dues_rollup(unit: Unit, year: int, rate: DuesRate) -> tuple[list[DuesTotals], DuesTotals]:
    """Totals and arrears of each child of `unit` (its own members in a row of their own) and overall.

    Three grouped queries whatever the size of the tree: children's paths all have the
    same length, so a prefix of each row's path names its child.
    """
    children = list(Unit.objects.filter(parent=unit).order_by("path"))
    cut = len(unit.path) + 4
    rows: dict[str, DuesTotals] = {unit.path: DuesTotals(unit=unit, label=f"{unit} (trực thuộc)", rate=rate.amount)}
    for child in children:
        rows[child.path] = DuesTotals(unit=child, label=str(child), rate=rate.amount)
    scope = subtree_filter("unit_path", unit.path)
    active = Member.objects.filter(status=MemberStatus.ACTIVE, **scope)

    def bucket(path: str) -> DuesTotals:
        return rows.get(path) or rows[unit.path]

    for key, n in (
        active.annotate(k=Substr("unit_path", 1, cut)).values("k").annotate(n=Count("id")).values_list("k", "n")
    ):
        bucket(key).active += n
    exempt = active.filter(dues.exempt_q(rate, year))
    for key, n in (
        exempt.annotate(k=Substr("unit_path", 1, cut)).values("k").annotate(n=Count("id")).values_list("k", "n")
    ):
        bucket(key).exempt += n
    paid = DuesPayment.objects.filter(year=year, **scope)
    for key, n, total in (
        paid.annotate(k=Substr("unit_path", 1, cut))
        .values("k")
        .annotate(n=Count("id"), s=Sum("amount"))
        .values_list("k", "n", "s")
    ):
        bucket(key).paid += n
        bucket(key).collected += total or 0
    listed = [r for r in rows.values() if r.unit != unit or r.active or r.paid]
    overall = DuesTotals(unit=unit, label="Tổng cộng", rate=rate.amount)
    for r in rows.values():
        overall.active += r.active
        overall.exempt += r.exempt
        overall.paid += r.paid
        overall.collected += r.collected
    return listed, overall


@dataclass
class StatementLine:
    to_unit: Unit
    basis_points: int
    due: int
    remitted: int

    @property
    def outstanding(self) -> int:
        return self.due - self.remitted


@dataclass
class DuesStatement:
    unit: Unit
    year: int
    collected: int
    count: int
    kept: int
    lines: list[StatementLine] = field(default_factory=list)
    remittances: list[Remittance] = field(default_factory=list)


def dues_statement(unit: Unit, year: int) -> DuesStatement:
    """What `unit` collected itself in `year`, each upper level's share, and what it has passed up."""
    agg = DuesPayment.objects.filter(unit=unit, year=year).aggregate(s=Sum("amount"), n=Count("id"))
    collected = agg["s"] or 0
    shares, kept = dues.shares_of(unit, collected)
    remittances = list(Remittance.objects.filter(unit=unit, year=year).select_related("to_unit").order_by("paid_on"))
    paid_to: dict[int, int] = {}
    for r in remittances:
        paid_to[r.to_unit_id] = paid_to.get(r.to_unit_id, 0) + r.amount
    lines = [
        StatementLine(to_unit=s.unit, basis_points=s.basis_points, due=s.amount, remitted=paid_to.get(s.unit.pk, 0))
        for s in shares
        if s.unit is not None
    ]
    return DuesStatement(
        unit=unit, year=year, collected=collected, count=agg["n"], kept=kept, lines=lines, remittances=remittances
    )


# --- Funds ----------------------------------------------------------------------------------


def funds_with_balance(user: User, on: datetime.date) -> QuerySet[Fund]:
    return (
        access.funds(user)
        .select_related("unit")
        .annotate(balance=Sum("entries__amount", filter=Q(entries__on__lte=on)))
        .order_by("unit_path", "name")
    )


@dataclass
class FundStatement:
    fund: Fund
    start: datetime.date
    end: datetime.date
    opening: int
    entries: list[FundEntry]

    @property
    def income(self) -> int:
        return sum(e.income for e in self.entries)

    @property
    def expense(self) -> int:
        return sum(e.expense for e in self.entries)

    @property
    def closing(self) -> int:
        return self.opening + self.income - self.expense


def fund_statement(fund: Fund, start: datetime.date, end: datetime.date) -> FundStatement:
    """Opening balance, the entries from `start` to `end` (both included), and the closing balance."""
    opening = FundEntry.objects.filter(fund=fund, on__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    entries = list(
        FundEntry.objects.filter(fund=fund, on__gte=start, on__lte=end)
        .select_related("gift", "activity", "reverses", "reversal")
        .order_by("on", "id")
    )
    return FundStatement(fund=fund, start=start, end=end, opening=opening, entries=entries)
