"""Dues arithmetic: the rate of a year, who is exempt, and how a collected sum is shared upward.

Plain functions over plain values (and one Q for the database), so the rules can be
checked by hand and by a property test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from hoiccb.finance.models import DuesRate, DuesShare
from hoiccb.members.models import FamilyCircumstance, MemberStatus
from hoiccb.org.models import Unit

HARDSHIP = (FamilyCircumstance.POOR, FamilyCircumstance.NEAR_POOR, FamilyCircumstance.HARDSHIP)


def rate_for(year: int) -> DuesRate | None:
    """Return the rate in force in `year` (the latest one starting on or before it), or None."""
    return DuesRate.objects.filter(from_year__lte=year).order_by("-from_year").first()


def is_exempt(rate: DuesRate, year: int, *, birth_year: int | None, family_circumstance: str) -> bool:
    """Whether a member owes nothing in `year`: old enough that year, or a household in hardship."""
    if rate.exempt_from_age is not None and birth_year is not None and year - birth_year >= rate.exempt_from_age:
        return True
    return rate.exempt_hardship and family_circumstance in HARDSHIP


def exempt_q(rate: DuesRate, year: int, prefix: str = "") -> Q:
    """The database form of `is_exempt` for Member rows (through `prefix`, e.g. "member__")."""
    q = Q(pk__in=[])
    if rate.exempt_from_age is not None:
        q |= Q(**{f"{prefix}birth_year__lte": year - rate.exempt_from_age})
    if rate.exempt_hardship:
        q |= Q(**{f"{prefix}family_circumstance__in": HARDSHIP})
    return q


def due_q(rate: DuesRate, year: int) -> Q:
    """Members who owe dues in `year`: active and not exempt."""
    return Q(status=MemberStatus.ACTIVE) & ~exempt_q(rate, year)


@dataclass(frozen=True)
class Share:
    unit: Unit | None
    label: str
    basis_points: int
    amount: int


def split(amount: int, basis_points: Sequence[int]) -> tuple[list[int], int]:
    """Return (the share of each upper level, what the collecting unit keeps).

    Each share is rounded down to a whole đồng; the remainder stays with the collecting
    unit, so the shares and what is kept always add up to `amount`.
    """
    if sum(basis_points) > 10000:
        raise ValueError("shares above 100%")
    shares = [amount * bp // 10000 for bp in basis_points]
    return shares, amount - sum(shares)


def shares_of(unit: Unit, amount: int) -> tuple[list[Share], int]:
    """Split `amount` collected by `unit` among its ancestors by their level's rate; returns (shares, kept)."""
    rates = {s.kind_id: s.basis_points for s in DuesShare.objects.all()}
    uppers = [a for a in unit.ancestors().select_related("kind").order_by("-path") if rates.get(a.kind_id)]
    amounts, kept = split(amount, [rates[a.kind_id] for a in uppers])
    shares = [
        Share(unit=a, label=str(a), basis_points=rates[a.kind_id], amount=value)
        for a, value in zip(uppers, amounts, strict=True)
    ]
    return shares, kept
